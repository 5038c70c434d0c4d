import Foundation
import Media
import Testing

/// Issue 18 item 9: every output problem is found before decoding or building an avatar, and the
/// message names the real cause.
@Suite(.serialized) struct OutputPreflightTests {
    @Test("unknown extension, folder without its slash, missing folder, one-frame output of many frames, output folder as file: refused first")
    func outputProblemsComeFirst() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let render = ["render", "--source", ModelJobsTests.source, "--driver", ModelJobsTests.driver, "--device", "cpu"] + ModelJobsTests.tiny
        let existing = dir.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: existing, withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (render + ["-o", dir.appendingPathComponent("out.avi").path], "unknown output kind '.avi'"),
            (render + ["-o", dir.appendingPathComponent("frames").path], "end it with a slash (\(dir.appendingPathComponent("frames").path)/)"),
            (render + ["-o", dir.appendingPathComponent("missing/out.mp4").path], "its folder \(dir.appendingPathComponent("missing").path) does not exist"),
            (render + ["-o", dir.appendingPathComponent("one.png").path], "holds one frame, but this render makes"),
            (render + ["-o", dir.appendingPathComponent("t.safetensors").path, "--frames", "2"], "holds one frame, but this render makes 2"),
            (render + ["-o", dir.appendingPathComponent("o.mp4").path, "--stages", existing.path], "--stages \(existing.path): is a folder"),
            (["avatar", "--source", ModelJobsTests.source, "-o", existing.path, "--device", "cpu"] + ModelJobsTests.tiny, "is a folder"),
            (["plan", "--driver", ModelJobsTests.driver, "--crop", "none", "-o", dir.appendingPathComponent("plan.txt").path], "give a file ending in .json"),
            (["merge", ModelJobsTests.driver, "-o", dir.appendingPathComponent("m.webm").path], "give a file ending in .mp4 or .mov or .mkv or .m4v"),
        ]
        for (args, phrase) in cases {
            let start = Date()
            let r = try CLIRunner.run(args)
            #expect(r.status == 2 && r.stderr.contains(phrase), "\(args.suffix(3)): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
            #expect(!r.stderr.contains("avatar built") && !r.stderr.contains("source face at"), "before any work: \(r.stderr)")
            #expect(Date().timeIntervalSince(start) < 20, "found before any work")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["taken"], "nothing written")
    }

    @Test("audio a container cannot hold is named with the containers that can, before the render")
    func audioCodecsAndContainers() throws {
        #expect(AudioCompatibility.container(of: "out.mp4", accepts: "aac") == true)
        #expect(AudioCompatibility.container(of: "out.mp4", accepts: "pcm_s16le") == false)
        #expect(AudioCompatibility.container(of: "out.mkv", accepts: "pcm_s16le") == true)
        #expect(AudioCompatibility.container(of: "out.mp4", accepts: "no-such-codec") == nil)
        let dir = try CLIRunner.temporaryDirectory()
        let clip = dir.appendingPathComponent("tone.mkv").path
        let writer = try VideoWriter(path: clip, width: 64, height: 64, frameRate: try FrameRate(25))
        try writer.addAudio(monoSamples: (0..<4410).map { sin(Float($0) * 0.05) * 0.3 }, sampleRate: 44100)
        for _ in 0..<3 { try writer.write(try RGBImage(width: 64, height: 64, fill: (0.5, 0.4, 0.3))) }
        try writer.finish()
        let codec = try AudioCompatibility.audioCodec(of: clip)
        #expect(codec == "aac" || codec == "mp2", "\(String(describing: codec))")
        #expect(try AudioCompatibility.audioCodec(of: ModelJobsTests.source) == nil)
    }
}
