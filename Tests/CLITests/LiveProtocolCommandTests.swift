import Foundation
import Media
import Testing

/// `portrait live` driven over each network protocol on loopback (a 25 fps stream fed by the
/// test, `portrait live` listening), from a `lavfi:` source, with a sender that dies mid-run,
/// and the device errors a user meets.
@Suite(.serialized)
struct LiveProtocolCommandTests {
    typealias Stats = LiveCommandTests.Stats
    static let tiny = LiveCommandTests.tiny
    static let source = LiveCommandTests.source

    struct Driver: CustomTestStringConvertible, Sendable {
        let name: String
        /// `--driver` (and its options): the listening side.
        let driver: String
        let driverOptions: [String]
        /// Where the feeder connects.
        let feed: String
        /// Seconds the feeder waits before sending (RIST is connectionless: frames sent before the
        /// receiver is up are lost).
        var startDelay: Double = 0
        var testDescription: String { name }
    }

    static let drivers: [Driver] = {
        let base = Int.random(in: 30000...39990) & ~1
        return [
            // tlpktdrop=0: SRT's live mode would drop packets later than its 120 ms latency on a loaded machine.
            Driver(name: "srt", driver: "srt://127.0.0.1:\(base)?mode=listener&tlpktdrop=0", driverOptions: [], feed: "srt://127.0.0.1:\(base)?tlpktdrop=0"),
            Driver(name: "rtmp", driver: "rtmp://127.0.0.1:\(base + 2)/live/cam", driverOptions: ["listen=1"], feed: "rtmp://127.0.0.1:\(base + 2)/live/cam"),
            Driver(name: "rtsp", driver: "rtsp://127.0.0.1:\(base + 4)/cam", driverOptions: ["rtsp_flags=listen"], feed: "rtsp://127.0.0.1:\(base + 4)/cam"),
            Driver(name: "rist", driver: "rist://@127.0.0.1:\(base + 6)", driverOptions: [], feed: "rist://127.0.0.1:\(base + 6)", startDelay: 3),
        ]
    }()

    @Test("a 25 fps stream over each protocol: every frame accounted for, the file holds the written ones, latency bounded", arguments: drivers)
    func streamIn(_ link: Driver) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("\(link.name).mkv").path, stats = dir.appendingPathComponent("stats.json").path
        let options = link.driverOptions.flatMap { ["--driver-option", $0] }
        // RIST never says the stream ended: silence does (--timeout).
        let run = try LiveFeeder.run(["live", "--source", Self.source, "--driver", link.driver, "-o", out, "--stats", stats,
                                      "--timeout", "5", "--quiet"] + options + Self.tiny, frames: 50, url: link.feed,
                                     startDelay: link.startDelay)
        #expect(run.status == 0, "\(link.name): \(run.stderr)")
        #expect(run.fed == 50, "\(link.name): the feeder wrote \(run.fed) frames")
        let s = try Stats(stats)
        print("\(link.name) in: \(s.frames), latency \(s.latency)")
        #expect(s.frames["captured", default: 0] >= 45, "\(link.name): \(s.frames)")
        #expect(s.accounted, "\(s.frames)")
        let written = s.frames["written", default: 0]
        #expect(written >= 10, "\(s.frames)")
        #expect(try LiveCommandTests.decodedFrames(out) == written)
        #expect(s.latency["max", default: .infinity] < 2000, "\(s.latency)")
    }

    @Test("a lavfi: test source runs through the whole pipeline at its frame rate")
    func filterGraphSource() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("lavfi.mkv").path, stats = dir.appendingPathComponent("stats.json").path
        let run = try CLIRunner.run(["live", "--source", Self.source, "--driver", "lavfi:testsrc2=size=96x96:rate=25", "-o", out,
                                     "--stats", stats, "--frames", "50", "--quiet"] + Self.tiny)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("driver lavfi:testsrc2=size=96x96:rate=25 96×96 at 25 fps"), "\(run.stderr)")
        let s = try Stats(stats)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stats))) as? [String: Any])
        let elapsed = try #require(object["elapsed_s"] as? Double)
        print("lavfi: \(s.frames), latency \(s.latency), \(elapsed) s")
        #expect(s.frames["captured"] == 50 && s.accounted, "\(s.frames)")
        // Paced like a camera: 50 frames at 25 fps take two seconds, not the instant a filter graph needs.
        #expect(elapsed >= 1.8, "\(elapsed) s")
        let written = s.frames["written", default: 0]
        #expect(written >= 25, "\(s.frames)")
        #expect(try LiveCommandTests.decodedFrames(out) == written)
        #expect(s.latency["max", default: .infinity] < 2000, "\(s.latency)")
    }

    @Test("the sender dies mid-run: the receiver ends cleanly, says so, and its file holds what was written")
    func senderDies() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("cut.mp4").path, stats = dir.appendingPathComponent("stats.json").path
        let port = Int.random(in: 40000...49999)
        let sender = Process()
        sender.executableURL = CLIRunner.binary
        sender.arguments = ["live", "--source", Self.source, "--driver", "lavfi:testsrc2=size=96x96:rate=25", "-o", "tcp://127.0.0.1:\(port)?listen=1",
                            "--quiet"] + Self.tiny
        sender.standardOutput = FileHandle.nullDevice
        sender.standardError = FileHandle.nullDevice
        try sender.run()
        defer { if sender.isRunning { kill(sender.processIdentifier, SIGKILL) } }
        // Killed 5 s after its start: about 3 s into the stream.
        let pid = sender.processIdentifier
        Thread {
            Thread.sleep(forTimeInterval: 5)
            kill(pid, SIGKILL)
        }.start()
        // The receiver retries until the sender listens.
        var run = CLIRunner.Result(status: -1, stdout: "", stderr: "")
        for _ in 0..<40 {
            run = try CLIRunner.run(["live", "--source", Self.source, "--driver", "tcp://127.0.0.1:\(port)", "-o", out, "--stats", stats,
                                     "--quiet", "--timeout", "5"] + Self.tiny)
            if !run.stderr.contains("Connection refused") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        sender.waitUntilExit()
        #expect(sender.terminationReason == .uncaughtSignal, "the sender was killed, not finished")
        #expect(run.status == 0, "\(run.stderr)")
        let s = try Stats(stats)
        let written = s.frames["written", default: 0]
        #expect(written >= 10 && s.accounted, "\(s.frames)")
        #expect(try LiveCommandTests.decodedFrames(out) == written)
        #expect(run.stdout.contains("wrote \(out): \(written) of"), "\(run.stdout)")
    }

    @Test("no such camera or loopback device, an option nothing knows, a lavfi output: one line each, exit 2")
    func deviceErrors() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("o.mp4").path
        let base = ["live", "--source", Self.source] + Self.tiny
        let camera = try CLIRunner.run(base + ["--driver", "/dev/video63", "-o", out])
        #expect(camera.status == 2 && camera.stderr.contains("/dev/video63: no such V4L2 camera") && camera.stderr.contains("ls /dev/video*"), "\(camera.stderr)")
        let loopback = try CLIRunner.run(base + ["--driver", "lavfi:testsrc2=size=96x96:rate=25", "-o", "/dev/video63"])
        #expect(loopback.status == 2 && loopback.stderr.contains("/dev/video63: no such V4L2 loopback device") && loopback.stderr.contains("modprobe v4l2loopback"), "\(loopback.stderr)")
        let unknown = try CLIRunner.run(base + ["--driver", "lavfi:testsrc2=size=96x96:rate=25", "--driver-option", "no_such_option=1", "-o", out])
        #expect(unknown.status == 2 && unknown.stderr.contains("knows the option no_such_option"), "\(unknown.stderr)")
        let form = try CLIRunner.run(base + ["--driver", "-", "--driver-option", "listen", "-o", out])
        #expect(form.status == 2 && form.stderr.contains("expected KEY=VALUE"), "\(form.stderr)")
        let graph = try CLIRunner.run(base + ["--driver", "lavfi:nosuchsource", "-o", out])
        #expect(graph.status == 2 && graph.stderr.contains("libavfilter cannot make this source graph"), "\(graph.stderr)")
        let lavfiOut = try CLIRunner.run(base + ["--driver", "-", "-o", "lavfi:testsrc2"])
        #expect(lavfiOut.status == 2 && lavfiOut.stderr.contains("cannot stream to lavfi://"), "\(lavfiOut.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
