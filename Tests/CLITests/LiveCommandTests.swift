import Foundation
import Media
import Testing

/// `portrait live` on a synthetic 25 fps loopback stream (MPEG-TS on a pipe, fed in real time):
/// frame accounting, bounded latency, drops when the output is slower than the driver, a clean
/// file on Ctrl-C, flat memory, and the errors a user meets.
@Suite(.serialized)
struct LiveCommandTests {
    static let source = CLIRunner.fixtures.appendingPathComponent("face/astronaut-96.png").path
    static let tiny = ["--config", "tiny", "--random-weights", "3", "--device", "cpu", "--crop", "none"]

    struct Stats {
        let frames: [String: Int]
        let latency: [String: Double]
        let rss: [String: Double]
        let interrupted: Bool

        init(_ path: String) throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            frames = try #require(object["frames"] as? [String: Int])
            latency = try #require(object["latency_ms"] as? [String: Double])
            rss = try #require(object["rss_mib"] as? [String: Double])
            interrupted = object["interrupted"] as? Bool ?? false
        }

        /// Every captured frame is written, dropped or skipped for want of a face.
        var accounted: Bool { frames["written", default: -1] + frames["dropped", default: -1] + frames["no_face", default: -1] == frames["captured"] }
    }

    static func decodedFrames(_ path: String) throws -> Int {
        try VideoReader(path: path, timing: .asDecoded).readAll().count
    }

    @Test("a 25 fps stream on a pipe: every frame accounted for, the file holds the written ones, latency bounded, memory flat")
    func streamToFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("live.mkv").path, stats = dir.appendingPathComponent("stats.json").path
        let run = try LiveFeeder.run(["live", "--source", Self.source, "--driver", "-", "-o", out, "--stats", stats] + Self.tiny, frames: 50)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.fed == 50)
        let s = try Stats(stats)
        #expect(s.frames["captured"] == 50, "\(s.frames)")
        #expect(s.accounted, "\(s.frames)")
        let written = s.frames["written", default: 0]
        #expect(written >= 10, "\(s.frames)")
        #expect(try Self.decodedFrames(out) == written)
        #expect(s.latency["max", default: .infinity] < 2000, "\(s.latency)")
        #expect(s.rss["end", default: .infinity] - s.rss["first_frame", default: 0] < 64, "\(s.rss)")
        #expect(run.stdout.contains("wrote \(out): \(written) of 50 frames"), "\(run.stdout)")
    }

    @Test("an output slower than the driver drops frames (newest wins) instead of queueing them: latency stays bounded")
    func slowOutputDrops() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("slow.mp4").path, stats = dir.appendingPathComponent("stats.json").path
        // 150 ms per frame on the way out: at most ~7 fps leave of the 25 that arrive.
        let run = try LiveFeeder.run(["live", "--source", Self.source, "--driver", "-", "-o", out, "--stats", stats,
                                      "--test-output-delay-ms", "150"] + Self.tiny, frames: 50)
        #expect(run.status == 0, "\(run.stderr)")
        let s = try Stats(stats)
        #expect(s.frames["captured"] == 50 && s.accounted, "\(s.frames)")
        #expect(s.frames["written", default: 99] <= 20, "\(s.frames)")
        #expect(s.frames["dropped", default: 0] >= 30 && s.frames["dropped_before_output", default: 0] >= 10, "\(s.frames)")
        #expect(try Self.decodedFrames(out) == s.frames["written"])
        // A queue without bound would hold the last frame ~5 s (50 × 150 ms − 2 s); two frames of queue plus one in flight is < 0.6 s.
        #expect(s.latency["max", default: .infinity] < 1500, "\(s.latency)")
        print("slow output: \(s.frames), latency \(s.latency)")
    }

    @Test("Ctrl-C mid-stream finishes the file cleanly with the frames written so far")
    func interruptFinishesFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("cut.mp4").path, stats = dir.appendingPathComponent("stats.json").path
        let run = try LiveFeeder.run(["live", "--source", Self.source, "--driver", "-", "-o", out, "--stats", stats] + Self.tiny,
                                     frames: 150, interruptAfter: 2.5)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.fed < 150, "the stream stopped being read after Ctrl-C")
        let s = try Stats(stats)
        #expect(s.interrupted && s.accounted, "\(s.frames)")
        let written = s.frames["written", default: 0]
        #expect(written > 0 && written < 150)
        #expect(try Self.decodedFrames(out) == written)
    }

    @Test("no face in the streamed driver: a typed error that says what to do")
    func noFace() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("none.mp4").path
        let run = try LiveFeeder.run(["live", "--source", Self.source, "--source-crop", "none", "--driver", "-", "-o", out,
                                      "--face-timeout", "0.2", "--config", "tiny", "--random-weights", "3", "--device", "cpu"], frames: 125)
        #expect(run.status == 2)
        #expect(run.stderr.contains("no face in the first") && run.stderr.contains("--crop none"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("unsupported protocols, an unreachable stream, a device without libavdevice, an image output: one line each, exit 2")
    func errors() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("o.mp4").path
        let base = ["live", "--source", Self.source] + Self.tiny
        let bad = try CLIRunner.run(base + ["--driver", "nosuch://x", "-o", out])
        #expect(bad.status == 2 && bad.stderr.contains("cannot read nosuch://") && bad.stderr.contains("udp"), "\(bad.stderr)")
        let ftp = try CLIRunner.run(base + ["--driver", "-", "-o", "ftp://127.0.0.1/x"])
        #expect(ftp.status == 2 && ftp.stderr.contains("cannot stream to ftp://"), "\(ftp.stderr)")
        let refused = try CLIRunner.run(base + ["--driver", "tcp://127.0.0.1:1", "-o", out, "--timeout", "3"])
        #expect(refused.status == 2 && refused.stderr.contains("tcp://127.0.0.1:1: cannot open the stream"), "\(refused.stderr)")
        let silent = try CLIRunner.run(base + ["--driver", "udp://127.0.0.1:45999", "-o", out, "--timeout", "1"])
        #expect(silent.status == 2 && silent.stderr.contains("no video arrived for 1 s"), "\(silent.stderr)")
        let camera = try CLIRunner.run(base + ["--driver", "/dev/video63", "-o", out])
        #expect(camera.status == 2 && (camera.stderr.contains("libavdevice") || camera.stderr.contains("/dev/video63")), "\(camera.stderr)")
        let picture = try CLIRunner.run(base + ["--driver", "-", "-o", dir.appendingPathComponent("o.png").path])
        #expect(picture.status == 2 && picture.stderr.contains("writes a video file"), "\(picture.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
