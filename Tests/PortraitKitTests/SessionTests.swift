import Foundation
import Kernels
import NetworkCore
import PortraitKit
import Runtime
import Testing

/// `PortraitSession` turns one framed driving picture into one output picture, with the clip
/// state per session, and refuses input it cannot honour.
struct SessionTests {
    /// A deterministic `[1, 3, size, size]` picture in [0, 1].
    static func picture(_ size: Int, seed: Int) -> Tensor {
        Tensor(shape: [1, 3, size, size], values: (0..<(3 * size * size)).map { Float(($0 * 37 + seed * 101) % 256) / 255 })
    }

    static func values(_ tensor: Tensor, _ engine: Engine) throws -> [Float] { try engine.values(tensor) }

    @Test("frames before a source, and pictures of the wrong size, are errors that say so")
    func refusals() throws {
        let session = try PortraitSession(config: "tiny", weights: .random(seed: 2), engine: .cpu())
        let size = session.model.inputSize
        #expect(throws: SessionError.noSource) { try session.render(driver: Self.picture(size, seed: 1)) }
        #expect { try session.setSource(image: Self.picture(size + 1, seed: 1)) } throws: { error in
            "\(error)".contains("[1, 3, \(size), \(size)]")
        }
        let livePortrait = try PortraitSession(config: "liveportrait-tiny", weights: .random(seed: 2), engine: .cpu())
        let lpSize = livePortrait.model.inputSize
        #expect(throws: SessionError.self) {
            try livePortrait.setSource(image: Self.picture(lpSize, seed: 1), mask: Tensor(shape: [1, 1, lpSize, lpSize], values: [Float](repeating: 1, count: lpSize * lpSize)))
        }
    }

    @Test("several source pictures: refused by a one-shot network (saying so), averaged by the few-shot one (session = model)")
    func severalSourcePictures() throws {
        let session = try PortraitSession(config: "tiny", weights: .random(seed: 2), engine: .cpu())
        let size = session.model.inputSize
        #expect { try session.setSource(images: [Self.picture(size, seed: 1), Self.picture(size, seed: 2)]) } throws: { error in
            (error as? SeveralSourcesRefused)?.allowed == 1 && "\(error)".contains("one-shot")
        }
        #expect(throws: SeveralSourcesRefused.self) { try session.setSource(images: []) }
        try session.setSource(images: [Self.picture(size, seed: 1)])   // one picture is the one-picture path
        #expect(session.source != nil)

        let engine = Engine.cpu()
        let fewShot = try NetworkRegistry.makeModel(config: "fewshot-tiny", weights: .random(seed: 4), engine: engine)
        #expect(fewShot.maxSourcePictures == 32)
        let s = fewShot.inputSize
        // Synthetic pictures hold no face: the dense-landmark model says so.
        #expect { try fewShot.makeSource([Self.picture(s, seed: 1)], mask: nil, recorder: nil) } throws: { "\($0)".contains("no face found") }
    }

    @Test("a session renders what the network's own clip renders")
    func sessionEqualsClip() throws {
        let engine = Engine.cpu()
        let model = try NetworkRegistry.makeModel(config: "tiny", weights: .random(seed: 3), engine: engine)
        let size = model.inputSize
        let source = try model.makeSource(Self.picture(size, seed: 1), mask: nil, recorder: nil)
        let direct = try model.startClip(source: source).render(driver: Self.picture(size, seed: 2), recorder: nil)
        let session = PortraitSession(model: model, source: source)
        let rendered = try session.render(driver: Self.picture(size, seed: 2))
        #expect(try Self.values(rendered, engine) == Self.values(direct, engine))
        #expect(rendered.shape == [1, 3, model.outputSize, model.outputSize])
    }

    @Test("two sessions over one LivePortrait model keep their own clip reference")
    func sessionsAreIndependent() throws {
        let engine = Engine.cpu()
        let model = try NetworkRegistry.makeModel(config: "liveportrait-tiny", weights: .random(seed: 4), engine: engine)
        let size = model.inputSize
        let a = PortraitSession(model: model), b = PortraitSession(model: model)
        try a.setSource(image: Self.picture(size, seed: 1))
        try b.setSource(image: Self.picture(size, seed: 1))
        // a's clip starts at driver 5; b's at driver 6. Each one's second frame is relative to its own first.
        _ = try a.render(driver: Self.picture(size, seed: 5))
        _ = try b.render(driver: Self.picture(size, seed: 6))
        let fromA = try Self.values(a.render(driver: Self.picture(size, seed: 7)), engine)
        let fromB = try Self.values(b.render(driver: Self.picture(size, seed: 7)), engine)
        #expect(fromA != fromB)
        // Restarting a's clip with driver 6 first makes it b's clip.
        a.restartClip()
        _ = try a.render(driver: Self.picture(size, seed: 6))
        #expect(try Self.values(a.render(driver: Self.picture(size, seed: 7)), engine) == fromB)
    }

    @Test("a saved source renders as the one it was saved from")
    func savedSource() throws {
        let session = try PortraitSession(config: "liveportrait-tiny", weights: .random(seed: 5), engine: .cpu())
        let size = session.model.inputSize
        try session.setSource(image: Self.picture(size, seed: 1))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("session-source-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try session.saveSource(to: path)
        let first = try Self.values(session.render(driver: Self.picture(size, seed: 2)), session.engine)
        let other = PortraitSession(model: session.model)
        try other.loadSource(path: path)
        #expect(try Self.values(other.render(driver: Self.picture(size, seed: 2)), session.engine) == first)
    }
}
