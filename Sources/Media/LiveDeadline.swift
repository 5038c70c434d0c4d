import CFFmpeg
import Foundation

/// Wakes libavformat out of a blocking open, read or write: when the current wait passed its
/// deadline (no data for the timeout) or when `stop()` was called (Ctrl-C, another stage failed).
/// Handed to libavformat as its interrupt callback; thread-safe.
public final class LiveDeadline: @unchecked Sendable {
    private let lock = NSLock()
    private var deadline: UInt64 = .max
    private var stopped = false
    private var expired = false

    /// A deadline that is not running.
    public init() {}

    /// Starts a wait of at most `seconds` from now (nil: no limit). A time-out stays recorded: the
    /// stream it cut off is left in error (libavformat keeps the I/O error), so it is over.
    public func start(seconds: Double?) {
        lock.lock(); defer { lock.unlock() }
        deadline = seconds.map { LiveClock.now() &+ UInt64($0 * 1e9) } ?? .max
    }

    /// Stops every wait now and later.
    public func stop() { lock.lock(); stopped = true; lock.unlock() }

    /// Whether `stop()` was called.
    public var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    /// Whether the last interrupted wait ran out of time (rather than being stopped).
    var timedOut: Bool { lock.lock(); defer { lock.unlock() }; return expired }

    fileprivate func shouldInterrupt() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if stopped { return true }
        if LiveClock.now() > deadline { expired = true; return true }
        return false
    }

    /// The libavformat callback bound to this deadline (it must outlive the context using it).
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(callback: { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<LiveDeadline>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt() ? 1 : 0
        }, opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}

/// A monotonic clock in nanoseconds, for capture and output timestamps.
public enum LiveClock {
    /// Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC).
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
