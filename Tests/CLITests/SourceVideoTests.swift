import Foundation
import Media
import Testing

/// A video given as the source: LivePortrait's `render` animates it (video-to-video); everywhere
/// else it is refused before any work, with what to do (it used to animate its first frame silently).
@Suite(.serialized)
struct SourceVideoTests {
    static let video = ModelJobsTests.driver
    static let megaPortraits = ["--config", "tiny", "--weights", LivePortraitCLITests.megaPortraitsWeights]

    @Test("MegaPortraits render/avatar/compare and LivePortrait avatar/compare with a video source exit 2 naming it")
    func videoSourceIsRefusedWhereThereIsNoVideoMode() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out.mp4").path
        let avatar = ["avatar", "--source", Self.video, "-o", dir.appendingPathComponent("a.safetensors").path]
        let compare = ["compare", "--source", Self.video, "--driver", Self.video, "--a", "cpu", "--b", "cpu"]
        let runs = [(["render", "--source", Self.video, "--driver", Self.video, "-o", out], Self.megaPortraits), (avatar, Self.megaPortraits),
                    (compare, Self.megaPortraits), (avatar, LivePortraitCLITests.model), (compare, LivePortraitCLITests.model)]
        for (args, model) in runs {
            let r = try CLIRunner.run(args + ["--device", "cpu"] + model)
            #expect(r.status == 2, "\(args[0]) \(model[1]): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("is a video") && r.stderr.contains("-frames:v 1"), "\(args[0]): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("LivePortrait video-to-video: min(source, driver) frames at the source's size and rate, each pasted into its own frame")
    func liveportraitAnimatesASourceVideo() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("v2v.mp4").path
        let r = try CLIRunner.run(["render", "--source", Self.video, "--driver", Self.video, "--frames", "3", "-o", out, "--device", "cpu"]
                                  + LivePortraitCLITests.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("video-to-video: 3 frames"), "\(r.stderr)")
        let source = try VideoReader(path: Self.video), result = try VideoReader(path: out)
        #expect(result.width == source.width && result.height == source.height)
        #expect(abs(result.frameRate.framesPerSecond - source.frameRate.framesPerSecond) < 1e-6)
        #expect(try result.readAll().count == 3)
        let wrong = try CLIRunner.run(["render", "--source", Self.video, "--driver", Self.video, "--side-by-side", "-o", out, "--device", "cpu"]
                                      + LivePortraitCLITests.model)
        #expect(wrong.status == 2 && wrong.stderr.contains("--side-by-side"), "\(wrong.stderr)")
    }
}
