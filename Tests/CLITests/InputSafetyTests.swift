import Foundation
import Media
import Testing

/// Issue 18 items 3 and 10: no command overwrites one of its inputs (same path, symbolic or hard
/// link, the frame folder holding it), and files of the wrong kind (a folder, a PyTorch
/// checkpoint) are one-line errors that say what to give instead. Every case fails before any
/// decoding or network work.
@Suite(.serialized) struct InputSafetyTests {
    static let tiny = ModelJobsTests.tiny + ["--device", "cpu"]

    /// A copy of the bundled portrait in `dir` (tests may hurt it).
    static func source(in dir: URL) throws -> URL {
        let copy = dir.appendingPathComponent("me.png")
        try FileManager.default.copyItem(atPath: ModelJobsTests.source, toPath: copy.path)
        return copy
    }

    static func expectRefused(_ args: [String], _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2, "\(args): status \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
        for phrase in phrases { #expect(r.stderr.contains(phrase), "'\(phrase)' in: \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(!r.stderr.contains("avatar built") && !r.stderr.contains("Error Domain"), "\(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test("-o naming an input (same path, symbolic link, hard link, frame folder) is refused before any work; the input is intact")
    func outputNeverOverwritesAnInput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.source(in: dir)
        let original = try Data(contentsOf: source)
        let symlink = dir.appendingPathComponent("link.png"), hardLink = dir.appendingPathComponent("hard.png")
        try FileManager.default.createSymbolicLink(at: symlink, withDestinationURL: source)
        try FileManager.default.linkItem(at: source, to: hardLink)
        let render = ["render", "--source", source.path, "--pose", "0,0,0"] + Self.tiny
        try Self.expectRefused(render + ["-o", source.path], ["-o \(source.path) is the input --source", "would destroy the input"])
        try Self.expectRefused(render + ["-o", symlink.path], ["symbolic link", "--source"])
        try Self.expectRefused(render + ["-o", hardLink.path], ["hard link", "--source"])
        // The driver is frame 1 of the folder the render would write into.
        let frames = dir.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        let frame = frames.appendingPathComponent("frame_00001.png")
        try FileManager.default.copyItem(at: source, to: frame)
        try Self.expectRefused(["render", "--source", source.path, "--driver", frame.path, "-o", frames.path + "/"] + Self.tiny,
                               ["frame folder", "--driver"])
        // Other commands and inputs: --weights of avatar, --inputs of op, the driver of plan, a segment of merge, --stages vs -o.
        let weights = dir.appendingPathComponent("w.safetensors")
        try Data("not weights".utf8).write(to: weights)
        try Self.expectRefused(["avatar", "--source", source.path, "--config", "tiny", "--weights", weights.path, "-o", weights.path, "--device", "cpu"],
                               ["the input --weights"])
        try Self.expectRefused(["op", "relu", "--inputs", weights.path, "-o", weights.path], ["the input --inputs"])
        try Self.expectRefused(["op", "relu", "--inputs", weights.path, "--out", hardLink.path.replacingOccurrences(of: "hard.png", with: "x.safetensors"),
                                "-o", weights.path], ["once"])
        let clip = dir.appendingPathComponent("clip.mp4").path
        try FileManager.default.copyItem(atPath: ModelJobsTests.driver, toPath: clip)
        try Self.expectRefused(["plan", "--driver", clip, "--crop", "none", "-o", clip], ["the input --driver"])
        try Self.expectRefused(["merge", clip, "-o", clip], ["the input SEGMENT"])
        try Self.expectRefused(render + ["-o", dir.appendingPathComponent("x.safetensors").path, "--stages", dir.appendingPathComponent("./x.safetensors").path],
                               ["are the same file"])
        #expect(try Data(contentsOf: source) == original, "the source is untouched")
        #expect(try Data(contentsOf: URL(fileURLWithPath: clip)) == (try Data(contentsOf: URL(fileURLWithPath: ModelJobsTests.driver))))
    }

    @Test("a folder given as a file, a PyTorch checkpoint as --weights, verify on a folder or a damaged file: one line, exit 2, the cure named")
    func wrongKindsOfFilesAreExplained() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.source(in: dir)
        let folder = dir.appendingPathComponent("weights")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("out.png").path
        try Self.expectRefused(["render", "--source", source.path, "--pose", "0,0,0", "--config", "tiny", "--weights", folder.path, "-o", out],
                               ["\(folder.path) (--weights) is a folder, not a file", ".safetensors"])
        try Self.expectRefused(["render", "--avatar", folder.path, "--pose", "0,0,0", "-o", out] + Self.tiny,
                               ["(--avatar) is a folder", "portrait avatar -o"])
        // PyTorch checkpoints: by extension, and by content (a zip archive, as torch.save writes).
        let pth = dir.appendingPathComponent("model.pth")
        try Data([0x80, 0x02, 0x7D, 0x71]).write(to: pth)
        try Self.expectRefused(["render", "--source", source.path, "--pose", "0,0,0", "--weights", pth.path, "-o", out],
                               ["is a PyTorch checkpoint", "python3 reference/convert.py --official \(pth.path)", "--config NAME.json"])
        let zipped = dir.appendingPathComponent("renamed.safetensors")
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0]).write(to: zipped)
        try Self.expectRefused(["render", "--source", source.path, "--pose", "0,0,0", "--model", "liveportrait", "--weights", zipped.path, "-o", out],
                               ["is a PyTorch checkpoint", "reference/convert.py --liveportrait DIR --config liveportrait"])
        try Self.expectRefused(["parse-face", source.path, "--weights", pth.path, "-o", out], ["reference/convert_face_parsing.py"])
        // verify: a folder, a missing file, a file that is no picture or video.
        try Self.expectRefused(["verify", folder.path], ["is a folder"])
        try Self.expectRefused(["verify", dir.appendingPathComponent("missing.mp4").path], ["no such file"])
        let junk = dir.appendingPathComponent("junk.mp4")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: junk)
        let r = try CLIRunner.run(["verify", junk.path])
        #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("portrait: error:"), "\(r.status) \(r.stderr)")
    }
}
