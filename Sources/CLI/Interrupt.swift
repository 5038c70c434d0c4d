import Dispatch
import Foundation

/// Ctrl-C handling for long jobs: the first SIGINT/SIGTERM sets a flag the frame loop (and the
/// avatar build's progress hook) checks, so the job can keep what is finished (a folder's frames,
/// a video's whole pieces), remove the rest and exit with a one-line message.
enum Interrupt {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let flag = InterruptFlag()

    /// Whether a SIGINT or SIGTERM arrived since `install()`.
    static var requested: Bool { flag.isSet }

    /// Starts catching SIGINT and SIGTERM.
    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { flag.set() }
            source.resume()
            sources.append(source)
        }
    }
}

/// A thread-safe one-way flag.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

/// Thrown when the user interrupted a job (Ctrl-C or SIGTERM); `outcome` says what became of
/// the output ("kept the 12 finished frames in out/; continue with ... --resume").
struct InterruptedError: Error, CustomStringConvertible {
    let outcome: String
    var description: String { "interrupted; " + outcome }
}
