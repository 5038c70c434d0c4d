import Foundation
import Testing

/// Issue 18 item 11: argument errors are one short line with exit status 2 (not the parser's 64
/// and usage block); `--help` still prints the help and exits 0; negative numbers follow their
/// option without `=`.
@Suite(.serialized) struct ArgumentErrorTests {
    @Test("missing, unknown and invalid arguments: one line, status 2, a pointer to the help")
    func argumentErrorsAreOneLine() throws {
        let cases: [([String], String)] = [
            (["render", "--source", "x.png", "--pose", "0,0,0"], "--output"),
            (["render", "--source", "x.png", "--pose", "0,0,0", "--no-such-option", "-o", "x.mp4"], "Unknown option '--no-such-option'"),
            (["render", "--frames", "many", "-o", "x.mp4", "--pose", "0,0,0", "--source", "x.png"], "many"),
            (["render", "--frames", "0", "-o", "x.mp4", "--pose", "0,0,0", "--source", "x.png"], "--frames must be at least 1"),
            (["no-such-command"], "no-such-command"),
            (["verify"], "file"),
        ]
        for (args, phrase) in cases {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): status \(r.status)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && r.stderr.hasPrefix("portrait: error: ") && r.stderr.contains(phrase) && r.stderr.contains("--help`)"),
                    "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("USAGE") && r.stdout.isEmpty, "\(r.stdout)\(r.stderr)")
        }
        let help = try CLIRunner.run(["render", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: portrait render"), "\(help.stderr)")
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0 && !version.stdout.isEmpty)
    }

    @Test("negative numbers after an option need no '=': --pose-sweep -30:30, --pose -10,0,0, --crop -100,-100,300")
    func negativeNumbersFollowTheirOption() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let base = ["render", "--source", ModelJobsTests.source, "--device", "cpu"] + ModelJobsTests.tiny
        let sweep = try CLIRunner.run(base + ["--pose-sweep", "-30:30", "--frames", "2", "-o", dir.appendingPathComponent("s").path + "/"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("s").path).count) == 2)
        let pose = try CLIRunner.run(base + ["--pose", "-10,0,0:-5,-2,0", "-o", dir.appendingPathComponent("p").path + "/"])
        #expect(pose.status == 0, "\(pose.stderr)")
        // The crop is read as the crop (whatever the framing then says of it), never as an unknown option.
        let crop = try CLIRunner.run(base + ["--crop", "-100,-100,300", "--pose", "0,0,0", "-o", dir.appendingPathComponent("c.png").path])
        #expect(!crop.stderr.contains("Unknown option") && !crop.stderr.contains("Missing value") && !crop.stderr.contains("--help`)"), "\(crop.stderr)")
        let face = try CLIRunner.run(base + ["--face", "-1", "--pose", "0,0,0", "-o", dir.appendingPathComponent("f.png").path])
        #expect(face.status == 2 && face.stderr.contains("--face must be 0"), "\(face.stderr)")
    }
}
