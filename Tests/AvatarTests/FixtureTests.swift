import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// The Swift network on the CPU engine against the PyTorch reference (`reference/model`), stage by
/// stage, on the tiny fixture (Tests/Fixtures/model, made by reference/make_model_fixtures.py).
@Suite(.serialized)
struct FixtureTests {
    /// Per-stage tolerance |Δ| ≤ abs + rel·|ref|. Float32 rounding differences (summation order in
    /// convs and norms, 4×4 maths in Double) grow along the chain: measured on the CPU engine the
    /// worst stage is volume.source.rigid with max|Δ| 6.4e-6 (values O(1)); the default leaves ~10×
    /// margin. Masking is exact; the resized pose inputs are within one rounding.
    static let tolerances: [String: Tolerance] = [
        "source.masked": Tolerance(absolute: 0, relative: 0),
        "source.pose_input": Tolerance(absolute: 1e-6, relative: 1e-6),
        "driver.pose_input": Tolerance(absolute: 1e-6, relative: 1e-6),
    ]
    static let defaultTolerance = Tolerance(absolute: 5e-5, relative: 1e-4)

    /// Runs the fixture's inputs through the Swift network on `engine`, recording every stage.
    static func run(on engine: Engine) throws -> (recorder: StageRecorder, fixture: SafeTensorsFile) {
        let config = try ModelConfig.tiny
        let network = try Network(config: config, weightsPath: TestSupport.weightsPath, engine: engine)
        let io = try SafeTensorsFile(path: TestSupport.ioPath)
        let recorder = StageRecorder()
        let avatar = try network.makeAvatar(source: io.tensor("source.image"), mask: io.tensor("source.mask"), recorder: recorder)
        _ = try network.renderFrame(avatar: avatar, driver: io.tensor("driver.image"), recorder: recorder)
        return (recorder, io)
    }

    @Test("every stage on the CPU engine matches PyTorch", .enabled(if: TestSupport.fixturesExist))
    func cpuMatchesPyTorch() throws {
        let (recorder, io) = try Self.run(on: TestSupport.cpu)
        let inputs: Set<String> = ["source.image", "source.mask", "driver.image"]
        var failures: [String] = []
        for name in io.names where !inputs.contains(name) {
            let expected = try io.tensor(name)
            guard let actual = recorder[name] else { failures.append("\(name): not recorded"); continue }
            guard actual.shape == expected.shape else { failures.append("\(name): shape \(actual.shape) vs \(expected.shape)"); continue }
            let tolerance = Self.tolerances[name] ?? Self.defaultTolerance
            let c = TestSupport.compare(actual, expected, tolerance)
            TestSupport.report("cpu-vs-pytorch", name, c)
            if !c.passed { failures.append("\(name): \(c) (tolerance \(tolerance))") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
