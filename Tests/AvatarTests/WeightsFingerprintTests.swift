import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// Saved avatars remember which weights made them; another network refuses them.
struct WeightsFingerprintTests {
    @Test func fingerprintIsStableAndSeparatesCheckpoints() throws {
        let config = try TestSupport.tiny()
        let a = Weights.random(config: config, seed: 1)
        #expect(a.fingerprint == Weights.random(config: config, seed: 1).fingerprint)
        #expect(a.fingerprint != Weights.random(config: config, seed: 2).fingerprint)
        #expect(a.fingerprint.count == 16)
    }

    @Test func avatarFromOtherWeightsIsRefusedAfterSaveAndLoad() throws {
        let config = try TestSupport.tiny()
        let engine = TestSupport.cpu
        let maker = try Network(config: config, weights: Weights.random(config: config, seed: 1), engine: engine)
        let avatar = try maker.makeAvatar(source: TestSupport.image(size: config.imageSize, seed: 3))
        let path = TestSupport.temporaryPath("fingerprint.safetensors")
        try avatar.save(to: path, engine: engine)
        let loaded = try Avatar.load(path: path, config: config)
        #expect(loaded.weightsFingerprint == maker.weightsFingerprint)
        _ = try maker.renderFrame(avatar: maker.resident(loaded), driver: TestSupport.image(size: config.imageSize, seed: 4))

        let other = try Network(config: config, weights: Weights.random(config: config, seed: 2), engine: engine)
        #expect(throws: AvatarError.weightsMismatch(avatarWeights: maker.weightsFingerprint, networkWeights: other.weightsFingerprint)) {
            try other.resident(loaded)
        }
    }
}
