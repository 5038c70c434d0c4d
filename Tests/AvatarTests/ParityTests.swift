import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// The same network on the OpenCL engine (PoCL here) and on the CPU engine, stage by stage.
@Suite(.serialized)
struct ParityTests {
    /// OpenCL vs CPU per stage: both are float32 with different summation orders (and fused
    /// multiply-adds on OpenCL), so stages agree to rounding growth along the chain.
    static let tolerance = Tolerance(absolute: 5e-5, relative: 1e-4)

    /// Compares every stage two recorders share; returns failures and the image PSNR (dB).
    static func compare(_ cpu: StageRecorder, _ cl: StageRecorder) -> (failures: [String], psnr: Double) {
        var failures: [String] = []
        for name in cpu.order {
            guard let a = cl[name], let b = cpu[name] else { failures.append("\(name): missing on OpenCL"); continue }
            guard a.shape == b.shape else { failures.append("\(name): shape \(a.shape) vs \(b.shape)"); continue }
            let c = TestSupport.compare(a, b, tolerance)
            TestSupport.report("opencl-vs-cpu", name, c)
            if !c.passed { failures.append("\(name): \(c)") }
        }
        var psnr = -Double.infinity
        if let a = cl["image"], let b = cpu["image"] {
            psnr = TestSupport.compare(a, b, tolerance).psnr(peak: 1)
            if ProcessInfo.processInfo.environment["AVATAR_TEST_VERBOSE"] == "1" { print("opencl-vs-cpu image PSNR \(psnr) dB") }
        }
        return (failures, psnr)
    }

    static func run(_ engine: Engine, weights: Weights, source: Tensor, mask: Tensor?, driver: Tensor) throws -> StageRecorder {
        let network = try Network(config: try ModelConfig.tiny, weights: weights, engine: engine)
        let recorder = StageRecorder()
        let avatar = try network.makeAvatar(source: source, mask: mask, recorder: recorder)
        _ = try network.renderFrame(avatar: avatar, driver: driver, recorder: recorder)
        var pose = avatar.sourcePose
        pose.yaw += 0.3
        _ = try network.renderFrame(avatar: avatar, pose: pose, recorder: StageRecorder())
        return recorder
    }

    @Test("OpenCL matches the CPU per stage on the fixture weights; image PSNR > 60 dB",
          .enabled(if: TestSupport.fixturesExist))
    func fixtureParity() throws {
        guard let cl = TestSupport.opencl else {
            #expect(!TestSupport.openclRequired, "\(TestSupport.openclProblem)")
            return
        }
        let config = try ModelConfig.tiny
        let weights = try Weights.load(path: TestSupport.weightsPath, config: config)
        let io = try SafeTensorsFile(path: TestSupport.ioPath)
        let (source, mask, driver) = (try io.tensor("source.image"), try io.tensor("source.mask"), try io.tensor("driver.image"))
        let a = try Self.run(TestSupport.cpu, weights: weights, source: source, mask: mask, driver: driver)
        let b = try Self.run(cl, weights: weights, source: source, mask: mask, driver: driver)
        let (failures, psnr) = Self.compare(a, b)
        #expect(a.order.count >= 29, "stages recorded: \(a.order)")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(psnr > 60, "image PSNR OpenCL vs CPU \(psnr) dB")
    }

    @Test("OpenCL matches the CPU per stage with seeded random weights (no fixtures needed)")
    func randomParity() throws {
        guard let cl = TestSupport.opencl else {
            #expect(!TestSupport.openclRequired, "\(TestSupport.openclProblem)")
            return
        }
        let config = try ModelConfig.tiny
        let weights = Weights.random(config: config, seed: 11)
        let source = TestSupport.image(size: 64, seed: 1), driver = TestSupport.image(size: 64, seed: 2)
        let a = try Self.run(TestSupport.cpu, weights: weights, source: source, mask: nil, driver: driver)
        let b = try Self.run(cl, weights: weights, source: source, mask: nil, driver: driver)
        let (failures, psnr) = Self.compare(a, b)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(psnr > 60, "image PSNR OpenCL vs CPU \(psnr) dB")
        // Random weights must still give a non-degenerate image.
        let image = try #require(a["image"]?.hostValues)
        let mean = image.reduce(0, +) / Float(image.count)
        let variance = image.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(image.count)
        #expect(image.allSatisfy { $0 > 0 && $0 < 1 }, "sigmoid output in (0, 1)")
        #expect(variance > 1e-5, "image variance \(variance): the random network should not be constant")
    }
}
