#if canImport(Media)
import Foundation
import Media

/// What `portrait live` measured: frames through each stage, drops, output rate and the
/// capture→output latency of every written frame (from the decode time stamped on the frame to
/// the moment its packets were handed to the output), with resident memory at the first written
/// frame and at the end. Thread-safe: the output thread records, others read.
final class LiveReport: @unchecked Sendable {
    private let lock = NSLock()
    private var latency = LatencyHistogram()
    private var written = 0
    private var startedAt: UInt64?
    private var firstWrittenAt: UInt64?
    private var lastWrittenAt: UInt64?
    private var intervalStart: (time: UInt64, frames: Int)?
    /// Resident memory (MiB) when the first frame was written.
    private(set) var residentAtStart: Double?

    /// Notes the pipeline's start.
    func start() { lock.lock(); startedAt = LiveClock.now(); lock.unlock() }

    /// Records one written frame captured at `capturedAt`; returns a status line once a second.
    func recordWritten(capturedAt: UInt64, drops: () -> String) -> String? {
        let now = LiveClock.now()
        lock.lock(); defer { lock.unlock() }
        latency.record(Double(now &- capturedAt) / 1e9)
        written += 1
        if firstWrittenAt == nil { firstWrittenAt = now; residentAtStart = Self.residentMiB() }
        lastWrittenAt = now
        guard let interval = intervalStart else { intervalStart = (now, written); return nil }
        let seconds = Double(now &- interval.time) / 1e9
        guard seconds >= 1 else { return nil }
        let fps = Double(written - interval.frames) / seconds
        intervalStart = (now, written)
        return String(format: "portrait live: %5.1f fps, latency %4.0f ms (p95 %4.0f ms, max %4.0f ms), %@",
                      fps, latency.mean * 1000, latency.percentile(95) * 1000, latency.maximum * 1000, drops())
    }

    /// Frames written so far.
    var framesWritten: Int { lock.lock(); defer { lock.unlock() }; return written }

    /// The summary as a JSON object: `counts` are the pipeline's frame counts by name.
    func summary(counts: [String: Int], extra: [String: Any]) -> [String: Any] {
        lock.lock(); defer { lock.unlock() }
        let end = LiveClock.now()
        let elapsed = startedAt.map { Double(end &- $0) / 1e9 } ?? 0
        var steady = 0.0
        if let first = firstWrittenAt, let last = lastWrittenAt, written > 1 { steady = Double(written - 1) / (Double(last &- first) / 1e9) }
        let ms = { (v: Double) in (v * 10_000).rounded() / 10 }
        var object: [String: Any] = [
            "frames": counts,
            "elapsed_s": (elapsed * 1000).rounded() / 1000,
            "output_fps": (steady * 100).rounded() / 100,
            "latency_ms": ["mean": ms(latency.mean), "p50": ms(latency.percentile(50)), "p95": ms(latency.percentile(95)),
                           "max": ms(latency.maximum), "min": ms(latency.count > 0 ? latency.minimum : 0)],
            "rss_mib": ["first_frame": residentAtStart.map { ($0 * 10).rounded() / 10 } ?? 0, "end": ((Self.residentMiB() ?? 0) * 10).rounded() / 10],
        ]
        for (key, value) in extra { object[key] = value }
        return object
    }

    /// Mean, 95th percentile and maximum latency in seconds.
    var latencies: (mean: Double, p95: Double, max: Double) {
        lock.lock(); defer { lock.unlock() }
        return (latency.mean, latency.percentile(95), latency.maximum)
    }

    /// This process's resident memory in MiB (`VmRSS` of /proc/self/status), when readable.
    static func residentMiB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").compactMap { Double($0) }
            return digits.first.map { $0 / 1024 }
        }
        return nil
    }
}
#endif
