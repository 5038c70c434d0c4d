import Foundation
import LivePortrait
import Media
import Testing

/// `portrait motion` and `render --driver FILE.motion` (LivePortrait, tiny config): a clip's motion
/// extracted once renders the same frames as the clip itself, and holds no pixels.
@Suite(.serialized)
struct MotionFileTests {
    static let model = LivePortraitCLITests.model

    @Test("render from the extracted motion file equals render from the clip, frame for frame")
    func motionFileRendersTheClipsFrames() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let motion = dir.appendingPathComponent("clip.motion").path
        let m = try CLIRunner.run(["motion", "--driver", ModelJobsTests.driver, "--frames", "3", "-o", motion, "--device", "cpu"] + Self.model)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stdout.contains("wrote \(motion): 3 frames"), "\(m.stdout)")
        let track = try MotionTrack.load(path: motion)
        #expect(track.frames.count == 3 && track.config == "liveportrait-tiny" && track.weightsFingerprint != nil)
        // No pixels: a few hundred numbers per frame, not a picture.
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: motion)[.size] as? Int)
        #expect(bytes < 3 * 4000, "\(bytes) bytes for 3 frames")

        let fixedID = ["PORTRAIT_RENDER_ID": "5e6f7a8b"]
        var outputs: [[RGBImage]] = []
        for driver in [ModelJobsTests.driver, motion] {
            let out = dir.appendingPathComponent("frames-\(outputs.count)").path + "/"
            let r = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--driver", driver, "--frames", "3", "-o", out, "--device", "cpu"] + Self.model,
                                      environment: fixedID)
            #expect(r.status == 0, "\(r.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".png") }.sorted()
            outputs.append(try names.map { try PNGCodec.read(out + $0) })
        }
        #expect(outputs[0].count == 3 && outputs[0] == outputs[1], "the motion file rendered other frames than the clip")
    }

    @Test("a motion file with another model, other weights or a damaged body is an exit-2 error saying why")
    func mismatchedMotionIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let motion = dir.appendingPathComponent("clip.motion").path
        let m = try CLIRunner.run(["motion", "--driver", ModelJobsTests.driver, "--frames", "2", "-o", motion, "--device", "cpu"] + Self.model)
        #expect(m.status == 0, "\(m.stderr)")
        let out = dir.appendingPathComponent("out.mp4").path
        let mega = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--driver", motion, "-o", out, "--device", "cpu",
                                      "--config", "tiny", "--weights", LivePortraitCLITests.megaPortraitsWeights])
        #expect(mega.status == 2 && mega.stderr.contains("LivePortrait"), "\(mega.stderr)")
        var track = try MotionTrack.load(path: motion)
        track.weightsFingerprint = "0000000000000000"
        let other = dir.appendingPathComponent("other.motion").path
        try track.save(to: other)
        let weights = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--driver", other, "-o", out, "--device", "cpu"] + Self.model)
        #expect(weights.status == 2 && weights.stderr.contains("other weights"), "\(weights.stderr)")
        let broken = dir.appendingPathComponent("broken.motion").path
        try Data("{\"format\": \"portraitcl-motion-1\", \"frames\": 3}".utf8).write(to: URL(fileURLWithPath: broken))
        let damaged = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--driver", broken, "-o", out, "--device", "cpu"] + Self.model)
        #expect(damaged.status == 2 && damaged.stderr.contains("not a motion JSON document"), "\(damaged.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let wrongName = try CLIRunner.run(["motion", "--driver", ModelJobsTests.driver, "-o", dir.appendingPathComponent("x.json").path] + Self.model)
        #expect(wrongName.status != 0 && wrongName.stderr.contains(".motion"), "\(wrongName.stderr)")
    }
}
