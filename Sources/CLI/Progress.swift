import Foundation

/// Frame progress for long jobs: a redrawn bar with fps and ETA on a terminal, plain lines
/// (every `plainEvery` frames) when stderr is a file or pipe.
final class ProgressReporter {
    private let total: Int?
    private let label: String
    private let start = Date()
    private let terminal = stderrIsTerminal
    private let plainEvery: Int
    private(set) var done = 0

    init(label: String, total: Int?, plainEvery: Int = 25) {
        self.label = label
        self.total = total
        self.plainEvery = plainEvery
    }

    /// Frames per second so far.
    var framesPerSecond: Double {
        let elapsed = Date().timeIntervalSince(start)
        return elapsed > 0 ? Double(done) / elapsed : 0
    }

    /// Seconds since start.
    var elapsed: Double { Date().timeIntervalSince(start) }

    /// Marks one more frame done and redraws.
    func advance() {
        done += 1
        let fps = framesPerSecond
        var line = "\(label) \(done)"
        if let total, total > 0 {
            line += "/\(total)"
            let frac = min(1, Double(done) / Double(total))
            let width = 24
            let filled = Int(frac * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let eta = fps > 0 ? Double(total - done) / fps : 0
            line = "\(label) [\(bar)] \(done)/\(total)  \(String(format: "%.2f", fps)) fps  ETA \(Self.clock(eta))"
        } else {
            line += "  \(String(format: "%.2f", fps)) fps"
        }
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else if done % plainEvery == 0 || done == total {
            printError(line)
        }
    }

    /// Ends the bar's line.
    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
