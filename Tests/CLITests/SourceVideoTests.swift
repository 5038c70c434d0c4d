import Foundation
import Testing

/// A video given as the source is refused before any work, with what to do, for both networks
/// and for `render`, `avatar` and `compare` (it used to animate its first frame silently).
struct SourceVideoTests {
    static let video = ModelJobsTests.driver

    @Test("render/avatar/compare with a video source exit 2 naming it, both networks")
    func videoSourceIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let megaPortraits = ["--config", "tiny", "--weights", LivePortraitCLITests.megaPortraitsWeights]
        for model in [megaPortraits, LivePortraitCLITests.model] {
            let out = dir.appendingPathComponent("out.mp4").path
            let runs = [
                ["render", "--source", Self.video, "--driver", Self.video, "-o", out],
                ["avatar", "--source", Self.video, "-o", dir.appendingPathComponent("a.safetensors").path],
                ["compare", "--source", Self.video, "--driver", Self.video, "--a", "cpu", "--b", "cpu"],
            ]
            for args in runs {
                let r = try CLIRunner.run(args + ["--device", "cpu"] + model)
                #expect(r.status == 2, "\(args[0]): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("is a video") && r.stderr.contains("-frames:v 1"), "\(args[0]): \(r.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
