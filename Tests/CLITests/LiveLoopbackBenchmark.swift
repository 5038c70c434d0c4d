import Foundation
import Media
import Testing

/// `portrait live` held against a 25 fps UDP stream on loopback for minutes, for
/// docs/live.md: runs only with PORTRAIT_LIVE_BENCH=1 (Benchmarks/live_loopback.sh sets it).
/// PORTRAIT_LIVE_BENCH_SECONDS (default 60), _CONFIG (tiny), _DEVICE (cpu), _CROP (none),
/// _DRIVER (a clip streamed in a loop; default a synthetic 256² gradient), _STATS (where the
/// JSON summary goes; printed too).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_LIVE_BENCH"] == "1"))
struct LiveLoopbackBenchmark {
    @Test("sustained live rendering from a 25 fps UDP loopback stream")
    func loopback() throws {
        let env = ProcessInfo.processInfo.environment
        let seconds = Double(env["PORTRAIT_LIVE_BENCH_SECONDS"] ?? "") ?? 60
        let config = env["PORTRAIT_LIVE_BENCH_CONFIG"] ?? "tiny"
        let device = env["PORTRAIT_LIVE_BENCH_DEVICE"] ?? "cpu"
        let crop = env["PORTRAIT_LIVE_BENCH_CROP"] ?? "none"
        let dir = try CLIRunner.temporaryDirectory()
        let stats = env["PORTRAIT_LIVE_BENCH_STATS"] ?? dir.appendingPathComponent("stats.json").path
        let clip = try env["PORTRAIT_LIVE_BENCH_DRIVER"].map { try VideoReader(path: $0, timing: .asDecoded).readAll() } ?? []
        let port = 40000 + Int.random(in: 0..<20000)
        let url = "udp://127.0.0.1:\(port)"
        let out = dir.appendingPathComponent("live.mp4").path
        let source = CLIRunner.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets/astronaut-512.png").path
        // The model loads (and builds its avatar) before the stream is opened: start feeding after it.
        let warmup = Double(env["PORTRAIT_LIVE_BENCH_WARMUP"] ?? "") ?? 5
        let frames = Int((seconds + warmup + 2) * 25)
        let run = try LiveFeeder.run(["live", "--source", source, "--driver", url, "-o", out, "--stats", stats, "--duration", "\(seconds)",
                                      "--config", config, "--random-weights", "3", "--device", device, "--crop", crop, "--source-crop", "auto", "--timeout", "600"],
                                     frames: frames, width: 256, height: 256, url: url, startDelay: warmup, clip: clip)
        print(run.stderr.split(separator: "\n").suffix(3).joined(separator: "\n"))
        print(run.stdout)
        let summary = try String(contentsOfFile: stats, encoding: .utf8)
        print(summary)
        #expect(run.status == 0, "\(run.stderr)")
    }
}
