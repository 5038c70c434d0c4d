import COpenCL
import Foundation

/// One timed kernel launch (or, on the CPU backend, one timed op).
public struct KernelTiming: Sendable {
    /// Kernel or op name.
    public var name: String
    /// The network stage it ran in (`""` outside any stage).
    public var stage: String
    /// Start, in nanoseconds on the device clock (or the host's monotonic clock for CPU).
    public var startNs: UInt64
    /// End, in nanoseconds on the same clock.
    public var endNs: UInt64
    /// Its arithmetic and memory traffic.
    public var cost: KernelCost
    /// Duration in milliseconds.
    public var milliseconds: Double { Double(endNs &- startNs) / 1e6 }
}

/// Collects per-launch timings from OpenCL profiling events (never wall-clock around an
/// enqueue) or, for the CPU backend, from the host clock around each synchronous op.
public final class Profiler: @unchecked Sendable {
    private struct Pending { var name: String; var stage: String; var event: cl_event; var cost: KernelCost }
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var done: [KernelTiming] = []
    /// The current stage label, set by `withStage`.
    public private(set) var stage: String = ""

    /// Creates an empty profiler.
    public init() {}

    /// Runs `body` with every launch inside it labelled `name` (nested stages join with `/`).
    public func withStage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let saved = stage
        stage = saved.isEmpty ? name : saved + "/" + name
        defer { stage = saved }
        return try body()
    }

    func record(name: String, event: cl_event, cost: KernelCost) {
        lock.lock(); pending.append(Pending(name: name, stage: stage, event: event, cost: cost)); lock.unlock()
    }

    /// Records a timing measured on the host (CPU backend).
    public func record(name: String, startNs: UInt64, endNs: UInt64, cost: KernelCost) {
        lock.lock()
        done.append(KernelTiming(name: name, stage: stage, startNs: startNs, endNs: endNs, cost: cost))
        lock.unlock()
    }

    /// Resolves pending events (the caller must have finished the queue) and returns all timings
    /// in launch order, clearing the profiler.
    public func drain() -> [KernelTiming] {
        lock.lock(); defer { lock.unlock() }
        for p in pending {
            var start: cl_ulong = 0, end: cl_ulong = 0
            clWaitForEvents(1, [p.event])
            clGetEventProfilingInfo(p.event, cl_profiling_info(CL_PROFILING_COMMAND_START), 8, &start, nil)
            clGetEventProfilingInfo(p.event, cl_profiling_info(CL_PROFILING_COMMAND_END), 8, &end, nil)
            clReleaseEvent(p.event)
            done.append(KernelTiming(name: p.name, stage: p.stage, startNs: start, endNs: end, cost: p.cost))
        }
        pending.removeAll()
        let result = done.sorted { $0.startNs < $1.startNs }
        done.removeAll()
        return result
    }

    /// The host's monotonic clock in nanoseconds.
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
