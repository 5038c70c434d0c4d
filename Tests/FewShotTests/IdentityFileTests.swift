import FewShot
import Foundation
import Kernels
import Runtime
import Testing

/// A saved identity (the few-shot avatar: ê and ψ̂) renders exactly as the fresh one and is
/// refused by weights of other widths.
struct IdentityFileTests {
    @Test("save, load, render the same; other widths and files refused")
    func roundTrip() throws {
        let io = try Support.tinyIO()
        let engine = Support.cpu
        let network = try FewShotNetwork(weights: Support.fixture("tiny-weights.safetensors"), engine: engine)
        let images = try engine.host(try engine.transpose(try #require(io["input.images"])))
        let landmarks = try engine.host(try engine.transpose(try #require(io["input.landmarks"])))
        let driver = try engine.host(try engine.transpose(try #require(io["input.driver"])))
        let identity = try network.identity(images: images, landmarks: landmarks)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-identity-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try identity.save(to: path, widths: network.widths)
        let loaded = try FewShotIdentity.load(path: path, widths: network.widths)
        #expect(loaded == identity)
        #expect(loaded.frames == 2)
        let fresh = try engine.values(try network.render(landmarks: driver, identity: identity))
        let reloaded = try engine.values(try network.render(landmarks: driver, identity: loaded))
        #expect(fresh == reloaded)
        #expect(throws: FewShotError.self) { try FewShotIdentity.load(path: path, widths: .full) }
        #expect(throws: FewShotError.self) { try FewShotIdentity.load(path: Support.fixture("tiny-weights.safetensors"), widths: .tiny) }
    }
}
