import Dispatch
import Foundation

/// One status line for a long step, kept current while the step runs: on a terminal it is redrawn
/// in place (at most ten times a second, and every second by a timer so elapsed time moves); when
/// stderr is a file or a pipe it is printed as a plain line (no carriage returns) at least every
/// `plainInterval` seconds, by a timer, so a log shows life even while one long step runs.
///
/// The owner mutates its state inside `update`, which holds the line's lock; `describe` is called
/// under the same lock, from the caller's thread or the timer's.
final class StatusLine: @unchecked Sendable {
    /// Seconds between plain lines: `PORTRAIT_PROGRESS_SECONDS` when set (tests, or a quieter or
    /// busier log), else 10.
    static var plainInterval: Double {
        ProcessInfo.processInfo.environment["PORTRAIT_PROGRESS_SECONDS"].flatMap(Double.init).map { max(0.01, $0) } ?? 10
    }

    private let lock = NSLock()
    private let describe: () -> String
    private let terminal: Bool
    private let interval: Double
    private var lastDrawn = Date.distantPast
    private var timer: DispatchSourceTimer?
    private var stopped = false

    /// A line whose text `describe` gives; `terminal` defaults to whether stderr is one.
    init(terminal: Bool = stderrIsTerminal, plainInterval: Double = StatusLine.plainInterval, describe: @escaping () -> String) {
        self.terminal = terminal
        self.interval = terminal ? 1 : plainInterval
        self.describe = describe
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    deinit { timer?.cancel() }

    /// Runs `change` under the line's lock, then redraws on a terminal (throttled) or, with
    /// `print` set, prints a plain line now (a milestone: first frame, last frame).
    func update(print force: Bool = false, _ change: () -> Void = {}) {
        lock.lock()
        defer { lock.unlock() }
        change()
        guard !stopped else { return }
        if terminal {
            if force || Date().timeIntervalSince(lastDrawn) >= 0.1 { draw() }
        } else if force {
            draw()
        }
    }

    /// Stops the timer; on a terminal, draws the final state and ends the line.
    func finish() {
        timer?.cancel()
        timer = nil
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if terminal {
            draw()
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }

    private func tick() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        // Plain lines come every interval however little changed; a terminal redraws only when due.
        if terminal || Date().timeIntervalSince(lastDrawn) >= interval * 0.9 { draw() }
    }

    /// Writes the current text (lock held).
    private func draw() {
        let text = describe()
        lastDrawn = Date()
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }
}

/// Frame progress for long jobs: a bar with fps and ETA, redrawn on a terminal, a plain line at
/// least every `StatusLine.plainInterval` seconds otherwise (and for the first and last frame).
final class ProgressReporter {
    private let total: Int?
    private let label: String
    private let start = Date()
    private var line: StatusLine?
    private var doneCount = 0
    private var skippedCount = 0

    /// Frames done so far (skipped ones excluded).
    var done: Int { doneCount }

    init(label: String, total: Int?) {
        self.label = label
        self.total = total
        line = StatusLine { [unowned self] in self.describe() }
    }

    /// Frames per second so far.
    var framesPerSecond: Double {
        let elapsed = Date().timeIntervalSince(start)
        return elapsed > 0 ? Double(doneCount) / elapsed : 0
    }

    /// Seconds since start.
    var elapsed: Double { Date().timeIntervalSince(start) }

    /// Marks one more frame done and redraws.
    func advance() {
        line?.update(print: doneCount == 0 || doneCount + skippedCount + 1 == total) { doneCount += 1 }
    }

    /// Marks one frame as already done before this run (a resumed render): counted towards the
    /// total, not towards the rate.
    func skip() {
        line?.update { skippedCount += 1 }
    }

    /// Ends the bar's line.
    func finish() {
        line?.finish()
        line = nil
    }

    /// The line's text (called under the status line's lock).
    private func describe() -> String {
        let fps = framesPerSecond
        let position = doneCount + skippedCount
        guard let total, total > 0 else {
            return "\(label) \(position)  \(String(format: "%.2f", fps)) fps  \(Self.clock(elapsed)) elapsed"
        }
        let frac = min(1, Double(position) / Double(total))
        let width = 24
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = fps > 0 ? Double(max(0, total - position)) / fps : nil
        return "\(label) [\(bar)] \(position)/\(total)  \(String(format: "%.2f", fps)) fps  ETA \(eta.map(Self.clock) ?? "?")"
            + (skippedCount > 0 ? "  (\(skippedCount) kept from before)" : "")
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
