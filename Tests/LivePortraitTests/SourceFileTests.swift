import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// A source saved and loaded renders the same frame; files for other weights or of other kinds are refused.
@Suite(.serialized)
struct LivePortraitSourceFileTests {
    @Test("save then load gives the same feature volume, motion and frame")
    func roundTrip() throws {
        let fixture = try LPFixture()
        let network = try LPTestSupport.network()
        let source = try network.makeSource(image: fixture.source)
        let path = LPTestSupport.temporaryPath("source.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try source.save(to: path, engine: network.engine)
        let loaded = try network.loadSource(path: path)
        #expect(try network.engine.values(loaded.featureVolume) == network.engine.values(source.featureVolume))
        #expect(loaded.motion == source.motion)
        #expect(loaded.weightsFingerprint == network.weightsFingerprint)
        let driver = try network.motion(of: fixture.drivers[1]), first = try network.motion(of: fixture.drivers[0])
        let a = try network.engine.values(network.renderFrame(source: source, driverMotion: driver, firstDriverMotion: first))
        let b = try network.engine.values(network.renderFrame(source: loaded, driverMotion: driver, firstDriverMotion: first))
        #expect(a == b)
        #expect(a.count == 3 * 128 * 128)
    }

    @Test("a source made with other weights is refused with a typed error")
    func otherWeightsRefused() throws {
        let fixture = try LPFixture()
        let network = try LPTestSupport.network()
        let path = LPTestSupport.temporaryPath("source.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try network.makeSource(image: fixture.source).save(to: path, engine: network.engine)
        let other = try LivePortraitNetwork(config: network.config, weights: Weights.random(config: network.config, seed: 3), engine: network.engine)
        #expect(throws: LivePortraitError.sourceWeightsMismatch(sourceWeights: network.weightsFingerprint,
                                                                networkWeights: other.weightsFingerprint)) {
            _ = try other.loadSource(path: path)
        }
    }

    @Test("a weights file is not a source file")
    func weightsFileRefused() throws {
        do {
            _ = try LivePortraitSource.load(path: LPTestSupport.weightsPath)
            Issue.record("a weights file loaded as a source")
        } catch let LivePortraitError.sourceFile(_, reason) {
            #expect(reason.contains("format"), "\(reason)")
        }
    }

    @Test("a wrong-size image is refused with the expected shape in the message")
    func wrongImageRefused() throws {
        let network = try LPTestSupport.network()
        do {
            _ = try network.makeSource(image: Tensor(zeros: [1, 3, 32, 32]))
            Issue.record("a 32² image was accepted")
        } catch let e as LivePortraitError {
            #expect(e.description.contains("[1, 3, 64, 64]"), "\(e)")
        }
    }
}
