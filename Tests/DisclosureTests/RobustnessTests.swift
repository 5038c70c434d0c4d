import Disclosure
import Foundation
import Media
import Testing

/// The CI subset of the robustness table (Benchmarks/watermark_robustness.sh runs all of it): a
/// 1 s, 512² marked clip, written as `render` writes it, attacked with libav*, then detected.
@Suite(.serialized)
struct RobustnessTests {
    static let payload = WatermarkPayload(renderID: 0x5EED_F00D)
    static let clip: (marked: String, clean: String)? = {
        guard let frames = try? Harness.sourceFrames(count: 25, size: 512),
              let marked = try? Harness.mark(frames, payload: payload) else { return nil }
        guard let m = try? Harness.writeVideo(marked), let c = try? Harness.writeVideo(frames, name: "clean.mp4") else { return nil }
        return (m, c)
    }()

    @Test(arguments: [Attack.h264(crf: 28), .vp9(crf: 31), .scale(0.75), .crop(edge: .left, fraction: 0.1), .brightness(-0.1)])
    func markSurvives(_ attack: Attack) throws {
        let clip = try #require(Self.clip, "could not write the marked clip")
        let attacked = try attack.apply(to: clip.marked)
        defer { try? FileManager.default.removeItem(atPath: attacked) }
        let detection = try Harness.detect(video: attacked)
        #expect(detection.found, "\(attack): sync \(detection.syncScore)σ, agreement \(detection.bitAgreement)")
        #expect(detection.payload == Self.payload, "\(attack): decoded \(String(describing: detection.payload))")
    }

    @Test func unmarkedClipAndOtherKeyFindNothing() throws {
        let clip = try #require(Self.clip, "could not write the marked clip")
        let clean = try Harness.detect(video: clip.clean)
        #expect(!clean.found && clean.payload == nil, "unmarked clip: sync \(clean.syncScore)σ")
        let otherKey = WatermarkDetector(key: WatermarkKey(42))
        for f in try VideoReader(path: clip.marked).readAll(limit: 10) { otherKey.add(Harness.luma(f)) }
        #expect(!otherKey.detect().found, "a mark is only found with its key")
        #expect(try Harness.detect(video: clip.marked).payload == Self.payload)
    }
}

/// No false positives on at least 200 unmarked pictures of varied content and size.
struct FalsePositiveTests {
    @Test func noMarkInTwoHundredUnmarkedFrames() throws {
        var examined = 0, found: [String] = []
        let portrait = try Harness.sourceFrames(count: 8, size: 448)
        for seed in 0..<32 {
            for kind in 0..<Content.kinds {
                let side = [96, 128, 160, 200][seed % 4]
                let detector = WatermarkDetector()
                detector.add(Harness.luma(Content.picture(kind: kind, seed: UInt64(seed), width: side + 2 * kind, height: side)))
                if detector.detect().found { found.append("kind \(kind) seed \(seed)") }
                examined += 1
            }
        }
        for (i, frame) in portrait.enumerated() {
            let detector = WatermarkDetector()
            detector.add(Harness.luma(try frame.swscaled(width: 256 + 8 * i, height: 256)))
            if detector.detect().found { found.append("portrait \(i)") }
            examined += 1
        }
        #expect(examined >= 200)
        #expect(found.isEmpty, "false positives: \(found)")
    }
}
