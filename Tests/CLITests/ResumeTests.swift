import Foundation
import Media
import Testing

/// `render --resume`: a render into `DIR/` or a video, stopped by SIGTERM after some frames (the
/// `PORTRAIT_FAULT` hook), keeps its finished frames and continues to exactly the output of an
/// uninterrupted render: every PNG byte for byte, every decoded video frame.
@Suite(.serialized)
struct ResumeTests {
    static let source = ModelJobsTests.source
    /// A fixed render id and creation time, so that two separate renders write identical bytes.
    static let fixed = ["PORTRAIT_RENDER_ID": "0badcafe", "SOURCE_DATE_EPOCH": "1700000000"]

    /// A tiny pose-sweep render of the model's 64² square (no paste-back: small, fast PNGs).
    static func render(_ out: String, frames: Int = 12, sweep: String = "-20:20", extra: [String] = [], environment: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(["render", "--source", source, "--pose-sweep=\(sweep)", "--frames", "\(frames)", "--no-paste-back", "-o", out, "--device", "cpu"]
                          + ModelJobsTests.tiny + extra, environment: environment)
    }

    static func files(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test("DIR/: a killed render keeps its frames; --resume finishes it byte for byte as an uninterrupted render, even over another render's frames")
    func folderResumesByteForByte() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let reference = dir.appendingPathComponent("reference").path + "/"
        let r = try Self.render(reference, environment: Self.fixed)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.files(reference).count == 12, "the state file must be gone after a complete render")

        // The folder first holds a finished render of other poses (another render's frames, to be replaced).
        let out = dir.appendingPathComponent("out").path + "/"
        #expect(try Self.render(out, sweep: "20:-20").status == 0)
        let stale = try Self.bytes(out + "frame_00012.png")

        let killed = try Self.render(out, environment: Self.fixed.merging(["PORTRAIT_FAULT": "kill-after-frames:4"]) { $1 })
        #expect(killed.status == 2, "\(killed.stderr)")
        #expect(killed.stderr.contains("interrupted; kept the") && killed.stderr.contains("--resume"), "\(killed.stderr)")
        let left = try Self.files(out)
        #expect(left.contains(".portrait-resume.json"), "\(left)")
        #expect(left.filter { $0.hasPrefix(".") } == [".portrait-resume.json"], "a temporary was left: \(left)")
        #expect(try Self.bytes(out + "frame_00001.png") == Self.bytes(reference + "frame_00001.png"))
        #expect(try Self.bytes(out + "frame_00012.png") == stale, "frames after the interruption are the other render's until resumed")

        // Resumed without the environment: the render id and creation time come from the saved state.
        let resumed = try Self.render(out, extra: ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("kept from before"), "\(resumed.stderr)")
        #expect(try Self.files(out) == Self.files(reference))
        for name in try Self.files(reference) {
            #expect(try Self.bytes(out + name) == Self.bytes(reference + name), "\(name) differs from the uninterrupted render's")
        }
    }

    @Test("--resume refuses another command, a one-frame output, and starts afresh when there is nothing to resume")
    func resumeChecksTheCommand() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out").path + "/"
        let killed = try Self.render(out, environment: ["PORTRAIT_FAULT": "kill-after-frames:2"])
        #expect(killed.status == 2, "\(killed.stderr)")
        let other = try Self.render(out, frames: 10, extra: ["--resume"])
        #expect(other.status == 2, "\(other.stderr)")
        #expect(other.stderr.contains("cannot resume the render into") && other.stderr.contains("arguments differ"), "\(other.stderr)")
        #expect(other.stderr.split(separator: "\n").last?.hasPrefix("portrait: error:") == true)

        let png = try Self.render(dir.appendingPathComponent("one.png").path, frames: 1, extra: ["--resume"])
        #expect(png.status == 2 && png.stderr.contains("--resume continues a render into DIR/ or a video"), "\(png.stderr)")

        let fresh = dir.appendingPathComponent("fresh").path + "/"
        let f = try Self.render(fresh, frames: 3, extra: ["--resume"])
        #expect(f.status == 0 && f.stderr.contains("no interrupted render to resume"), "\(f.stderr)")
        #expect(try Self.files(fresh).count == 3)
    }

    @Test("video: a killed render keeps its whole keyframe pieces; --resume re-renders from the last one to the same decoded frames and label")
    func videoResumesFromTheLastPiece() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let interval = ["--keyframe-interval", "3"]
        let reference = dir.appendingPathComponent("reference.mp4").path
        #expect(try Self.render(reference, extra: interval, environment: Self.fixed).status == 0)
        #expect(try Self.files(dir.path) == ["reference.mp4"], "the piece folder must be gone after a complete render")

        let out = dir.appendingPathComponent("out.mp4").path
        let killed = try Self.render(out, extra: interval, environment: Self.fixed.merging(["PORTRAIT_FAULT": "kill-after-frames:7"]) { $1 })
        #expect(killed.status == 2, "\(killed.stderr)")
        #expect(killed.stderr.contains("as video pieces in") && killed.stderr.contains("--resume"), "\(killed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let folder = dir.appendingPathComponent(".out.mp4.pieces").path
        let pieces = try Self.files(folder).filter { $0.hasPrefix("frames-") }
        #expect(pieces.starts(with: ["frames-0000000-0000003.mp4", "frames-0000003-0000006.mp4"]), "\(pieces)")
        #expect(try Self.files(folder).allSatisfy { $0.hasPrefix("frames-") || $0 == "resume.json" }, "an unfinished piece was left")

        let resumed = try Self.render(out, extra: interval + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("kept from before"), "\(resumed.stderr)")
        #expect(try Self.files(dir.path) == ["out.mp4", "reference.mp4"])
        let expected = try VideoReader(path: reference).readAll().map(\.pixels)
        #expect(expected.count == 12)
        #expect(try VideoReader(path: out).readAll().map(\.pixels) == expected, "decoded frames differ from the uninterrupted render's")
        let tags = try MediaTags.container(out), referenceTags = try MediaTags.container(reference)
        for key in ["ai_generated", "watermark", "creation_time", "model", "weights_fingerprint"] {
            #expect(tags[key] == referenceTags[key] && tags[key] != nil, "\(key): \(tags[key] ?? "none") vs \(referenceTags[key] ?? "none")")
        }
    }

    @Test("LivePortrait (relative motion): a resumed render still takes the clip's first frame as its reference")
    func livePortraitResumeKeepsTheFirstFrameReference() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let model = ["--source", Self.source, "--driver", ModelJobsTests.driver, "--frames", "5", "--device", "cpu"] + LivePortraitCLITests.model
        let reference = dir.appendingPathComponent("reference").path + "/"
        #expect(try CLIRunner.run(["render", "-o", reference] + model, environment: Self.fixed).status == 0)
        let out = dir.appendingPathComponent("out").path + "/"
        let killed = try CLIRunner.run(["render", "-o", out] + model, environment: Self.fixed.merging(["PORTRAIT_FAULT": "kill-after-frames:2"]) { $1 })
        #expect(killed.status == 2, "\(killed.stderr)")
        let resumed = try CLIRunner.run(["render", "-o", out, "--resume"] + model)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        for name in try Self.files(reference) {
            #expect(try Self.bytes(out + name) == Self.bytes(reference + name), "\(name) differs from the uninterrupted render's")
        }
    }
}
