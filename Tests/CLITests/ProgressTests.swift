import Foundation
import Testing

/// Progress a user can follow: the job's cost and estimated time up front, the avatar build's
/// FLOPs done against the network's FLOP table (both networks), and, without a terminal, plain
/// progress lines (no carriage-return redraws) at least every `PORTRAIT_PROGRESS_SECONDS`.
@Suite(.serialized)
struct ProgressTests {
    /// The `done/total` pair of the last `building the avatar` line, and every such line.
    static func avatarLines(_ stderr: String) -> (lines: [String], done: String?, total: String?) {
        let lines = stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("building the avatar [") }
        guard let last = lines.last, let pair = last.split(separator: " ").first(where: { $0.contains("/") && $0.first?.isNumber == true }) else {
            return (lines, nil, nil)
        }
        let parts = pair.split(separator: "/").map(String.init)
        return (lines, parts.first, parts.last)
    }

    @Test("MegaPortraits render: estimate up front, avatar progress to 100 %, plain frame lines on a timer")
    func renderReportsProgressWithoutATerminal() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("frames").path + "/"
        let start = Date()
        let r = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--pose-sweep=-20:20", "--frames", "40", "--no-paste-back",
                                   "-o", out, "--device", "cpu"] + ModelJobsTests.tiny, environment: ["PORTRAIT_PROGRESS_SECONDS": "0.2"])
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("\r"), "carriage-return redraws in a log")
        let job = r.stderr.split(separator: "\n").first { $0.hasPrefix("portrait: job: avatar ") }
        #expect(job?.contains("+ 40 frames × ") == true && job?.contains("FLOP") == true && job?.contains("estimated") == true, "\(r.stderr)")
        let avatar = Self.avatarLines(r.stderr)
        #expect(!avatar.lines.isEmpty, "\(r.stderr)")
        #expect(avatar.done != nil && avatar.done == avatar.total, "the counted FLOPs must reach the FLOP table's total: \(avatar.lines)")
        #expect(avatar.lines.last?.contains("(100 %)") == true, "\(avatar.lines)")
        #expect(r.stderr.contains("portrait: avatar built in") && r.stderr.contains("estimated") && r.stderr.contains("for the 40 frames"), "\(r.stderr)")
        // The first frame, the last and, in between, one line per 0.2 s of rendering.
        let frames = r.stderr.split(separator: "\n").filter { $0.hasPrefix("rendering [") }
        #expect(frames.first?.contains(" 1/40 ") == true, "\(frames)")
        #expect(frames.last?.contains(" 40/40 ") == true, "\(frames)")
        // Timed lines come only while frames render: judge by the render's own time ("wrote …: 40
        // frames in X s"), not the whole command's (face search and the avatar come first).
        let rendering = r.stdout.split(separator: "\n").first { $0.hasPrefix("wrote ") }
            .flatMap { line in line.range(of: " frames in ").map { line[$0.upperBound...].split(separator: " ").first } ?? nil }
            .flatMap { Double($0) }
        #expect(rendering != nil, "no 'wrote … frames in X s' line: \(r.stdout)")
        #expect(frames.count >= 3 || (rendering ?? 0) < 1, "\(frames.count) frame lines for \(rendering ?? -1) s of rendering (\(seconds) s in all)")
    }

    @Test("LivePortrait avatar: the same progress line, to 100 % of its FLOP table")
    func livePortraitAvatarReportsProgress() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let r = try CLIRunner.run(["avatar", "--source", ModelJobsTests.source, "-o", dir.appendingPathComponent("lp.safetensors").path,
                                   "--device", "cpu"] + LivePortraitCLITests.model)
        #expect(r.status == 0, "\(r.stderr)")
        let avatar = Self.avatarLines(r.stderr)
        #expect(avatar.done != nil && avatar.done == avatar.total, "\(r.stderr)")
        #expect(avatar.lines.last?.contains("(100 %)") == true && !r.stderr.contains("\r"), "\(r.stderr)")
    }
}
