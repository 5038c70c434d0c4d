import FewShot
import Foundation
import Kernels
import NetworkCore
import Runtime
import Testing

/// The few-shot network behind the registry seam (`FewShotModel`): K pictures averaged into one
/// identity, the saved avatar, frames from landmark points, the FLOP table, and what it refuses.
/// The tiny fixture weights at the `fewshot-tiny` config's 128², on the CPU.
struct FewShotModelTests {
    /// A finder that returns the template face shifted by a per-call offset, so each picture gets
    /// its own landmark image (and the test knows which).
    final class ShiftedTemplate: FacePointFinder {
        var shifts: [Float]
        private var calls = 0
        init(_ shifts: [Float]) { self.shifts = shifts }
        func points68(in image: Tensor, role: String) throws -> [SIMD2<Float>] {
            defer { calls += 1 }
            let base = try TemplateFacePoints().points68(in: image, role: role)
            let d = shifts[calls % shifts.count]
            return base.map { $0 + SIMD2(d, -d / 2) }
        }
    }

    static func model(_ finder: any FacePointFinder = TemplateFacePoints()) throws -> FewShotModel {
        let config = try #require(FewShotConfig.preset("fewshot-tiny"))
        return try FewShotModel(config: config, weights: try FewShotModel.weights(.file(Support.fixture("tiny-weights.safetensors")), config: config),
                                engine: Support.cpu, facePoints: finder)
    }

    static func picture(_ seed: UInt64, size: Int = 128) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: [1, 3, size, size], values: (0..<(3 * size * size)).map { _ in g.uniform(0, 1) })
    }

    static func identity(_ source: any PortraitSource) throws -> FewShotIdentity {
        try #require(source as? FewShotSource).identity
    }

    @Test("K = 3 averages the three pictures' vectors (ê = their mean, ψ̂ = P·ê), renders what the averaged vector renders, and differs from K = 1")
    func threePicturesAverage() throws {
        let model = try Self.model(ShiftedTemplate([0, 3, -4]))
        let pictures = [Self.picture(1), Self.picture(2), Self.picture(3)]
        let three = try Self.identity(try model.makeSource(pictures, mask: nil, recorder: nil))
        #expect(three.frames == 3)
        var singles: [FewShotIdentity] = []
        for (i, p) in pictures.enumerated() {
            (model.facePoints as? ShiftedTemplate)?.shifts = [[0, 3, -4][i]]
            singles.append(try Self.identity(try model.makeSource(p, mask: nil, recorder: nil)))
        }
        let mean = (0..<three.vector.count).map { i in singles.reduce(Float(0)) { $0 + $1.vector[i] } / 3 }
        #expect(Support.maxRelative(three.vector, mean) < 1e-5)
        // The average-of-embeddings path: ψ̂ from the mean vector, then the same frame.
        let averaged = try model.network.identity(vector: mean, frames: 3)
        #expect(Support.maxRelative(three.psi, averaged.psi) < 1e-5)
        let points = try TemplateFacePoints().points68(in: pictures[0], role: "driver")
        let fromThree = try Support.cpu.values(try FewShotClip(model: model, source: FewShotSource(identity: three, config: model.config, weightsFingerprint: model.weightsFingerprint)).render(points: points, recorder: nil))
        let fromMean = try Support.cpu.values(try model.network.render(landmarks: try model.landmarkImage(points: points), identity: averaged))
        #expect(Support.maxRelative(fromThree, fromMean) < 1e-4)
        let fromOne = try Support.cpu.values(try FewShotClip(model: model, source: FewShotSource(identity: singles[0], config: model.config, weightsFingerprint: model.weightsFingerprint))
            .render(points: points, recorder: nil))
        #expect(Support.maxRelative(fromOne, fromThree) > 1e-3, "K changes the output")
        #expect(Support.maxRelative(singles[0].vector, three.vector) > 1e-3)
    }

    @Test("a saved avatar renders what its source renders, and refuses other weights")
    func avatarRoundTrip() throws {
        let model = try Self.model()
        let source = try model.makeSource([Self.picture(4), Self.picture(5)], mask: nil, recorder: nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-avatar-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try source.save(to: path, engine: Support.cpu)
        let loaded = try model.loadSource(path: path)
        #expect(try Self.identity(loaded) == (try Self.identity(source)))
        let driver = Self.picture(6)
        let a = try Support.cpu.values(try model.startClip(source: source).render(driver: driver, recorder: nil))
        let b = try Support.cpu.values(try model.startClip(source: loaded).render(driver: driver, recorder: nil))
        #expect(a == b)
        let config = try #require(FewShotConfig.preset("fewshot-tiny"))
        let other = try FewShotModel(config: config, weights: Weights.random(config: config, seed: 9), engine: Support.cpu, facePoints: TemplateFacePoints())
        #expect(throws: FewShotError.self) { try other.loadSource(path: path) }
    }

    @Test("the FLOP table is what the passes count: the embedder per picture, P once, the generator per frame")
    func flopTableMatchesTheCount() throws {
        let model = try Self.model()
        let recorder = StageRecorder(only: [])
        let source = try model.makeSource([Self.picture(7), Self.picture(8)], mask: nil, recorder: recorder)
        let counted = recorder.countedFlops.values.reduce(0, +)
        let table = model.flopTable
        let embedder = try #require(table.first { $0.stage == "avatar/embedder" }).flops
        let projection = try #require(table.first { $0.stage == "avatar/identity" }).flops
        #expect(abs(counted - (2 * embedder + projection)) <= 1e-9 * counted)
        recorder.removeAll()
        _ = try model.startClip(source: source).render(driver: Self.picture(9), recorder: recorder)
        #expect(abs(recorder.countedFlops.values.reduce(0, +) - model.totalFlops(perFrame: true)) <= 1e-9 * model.totalFlops(perFrame: true))
    }

    @Test("refused: head poses, a source mask, more than 32 pictures, no picture, a picture of the wrong size, weights of other widths")
    func refusals() throws {
        let model = try Self.model()
        let source = try model.makeSource(Self.picture(1), mask: nil, recorder: nil)
        #expect(throws: FewShotError.self) { try model.startClip(source: source).render(pose: HeadPose(yaw: 0.1), recorder: nil) }
        #expect(throws: FewShotError.self) { try model.makeSource(Self.picture(1), mask: Tensor(shape: [1, 1, 128, 128], values: .init(repeating: 1, count: 128 * 128)), recorder: nil) }
        #expect(throws: SeveralSourcesRefused.self) { try model.makeSource(Array(repeating: Self.picture(1), count: 33), mask: nil, recorder: nil) }
        #expect(throws: SeveralSourcesRefused.self) { try model.makeSource([], mask: nil, recorder: nil) }
        #expect(throws: FewShotError.self) { try model.makeSource(Self.picture(1, size: 64), mask: nil, recorder: nil) }
        let full = try #require(FewShotConfig.preset("fewshot"))
        #expect(throws: FewShotError.self) { try FewShotModel.weights(.file(Support.fixture("tiny-weights.safetensors")), config: full) }
    }
}
