import Foundation

/// A test hook that makes the engine fail on purpose, read once from `PORTRAIT_FAULT`
/// (docs/robustness.md). Unset, it costs one comparison per allocation, build and frame.
///
/// - `alloc`: every OpenCL buffer allocation fails with CL_MEM_OBJECT_ALLOCATION_FAILURE.
/// - `device-memory:BYTES`: allocations fail once the live total would pass BYTES, as on a
///   device with that much memory.
/// - `build`: every OpenCL program build fails with CL_BUILD_PROGRAM_FAILURE.
/// - `kill-after-frames:N`: the process sends itself SIGTERM after N frames are written in this
///   run (the Ctrl-C path: message, exit 2, finished frames kept for `render --resume`).
/// - `sigkill-after-frames:N`: the process sends itself SIGKILL after N frames (no chance to
///   clean up: only the atomic rename protects the output).
public enum FaultInjection {
    /// One injected fault.
    public enum Fault: Equatable, Sendable {
        /// Every device allocation fails.
        case allocation
        /// Allocations beyond this many live bytes fail.
        case deviceMemory(Int)
        /// Every program build fails.
        case build
        /// SIGTERM after this many frames.
        case terminateAfterFrames(Int)
        /// SIGKILL after this many frames.
        case killAfterFrames(Int)
    }

    /// The environment variable read.
    public static let variable = "PORTRAIT_FAULT"

    /// The fault `PORTRAIT_FAULT` asks for, nil when unset. Throws when it is set to something
    /// this hook does not know (a typo must not silently test nothing).
    public static func configured() throws -> Fault? {
        try parse(ProcessInfo.processInfo.environment[variable])
    }

    /// Parses a `PORTRAIT_FAULT` value.
    public static func parse(_ value: String?) throws -> Fault? {
        guard let value, !value.isEmpty else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        let number = parts.count == 2 ? Int(parts[1]) : nil
        switch (parts[0], number) {
        case ("alloc", nil) where parts.count == 1: return .allocation
        case ("build", nil) where parts.count == 1: return .build
        case ("device-memory", let n?) where n >= 0: return .deviceMemory(n)
        case ("kill-after-frames", let n?) where n >= 0: return .terminateAfterFrames(n)
        case ("sigkill-after-frames", let n?) where n >= 0: return .killAfterFrames(n)
        default:
            throw RuntimeError.invalidFault(value)
        }
    }

    /// The fault in force for this process (an invalid value counts as none here; commands
    /// report it through `configured()` before starting).
    public static let active: Fault? = try? configured()

    /// Whether an allocation of `bytes` on top of `live` bytes must fail.
    static func failsAllocation(bytes: Int, live: Int) -> Bool {
        switch active {
        case .allocation?: return true
        case .deviceMemory(let limit)?: return live + bytes > limit
        default: return false
        }
    }

    /// Whether a program build must fail.
    static var failsBuild: Bool { active == .build }

    /// Called after each output frame is written: ends the process when the fault says so.
    public static func frameWritten(count: Int) {
        switch active {
        case .terminateAfterFrames(let n)? where count >= n: kill(getpid(), SIGTERM)
        case .killAfterFrames(let n)? where count >= n: kill(getpid(), SIGKILL)
        default: break
        }
    }
}
