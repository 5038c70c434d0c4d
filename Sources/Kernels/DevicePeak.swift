import Foundation
import Runtime

extension Engine {
    /// The device's fp32 peak in GFLOP/s, measured by timing `peak_fma` (eight independent
    /// float8 FMA chains per work-item, no memory traffic; best of seven after a warm-up).
    /// nil on the CPU engine. Clock boost and the FMA width actually issued are included, which
    /// a spec-sheet estimate misses (on the 2-core Zen 4 build machine: ~230, not 332).
    /// `work` (loop iterations per compute unit) and `runs` (the first a warm-up) are smaller only
    /// where a figure does not matter, e.g. under a simulator (`KernelSweep`).
    public func measuredPeakGFLOPS(work: Int = 1 << 24, runs: Int = 8) throws -> Double? {
        guard let cl = openCL else { return nil }
        // About 2^24 loop iterations per compute unit, spread as `peak.items` work-items in groups
        // of `peak.local` (items rounded up to whole groups: the kernel has no tail guard).
        let perUnit = variants.peakItemsPerUnit, group = variants.peakGroupSize
        let items = (max(1, cl.device.computeUnits) * perUnit + group - 1) / group * group
        let iterations = max(1, work / perUnit)
        let out = try cl.makeBuffer(byteCount: items * 4)
        let saved = cl.profiler
        defer { cl.profiler = saved }
        var best = Double.infinity
        for run in 0..<max(2, runs) {
            let profiler = Profiler()
            cl.profiler = profiler
            try cl.launch("peak_fma", global: [items], local: [group], exactLocalSetting: "peak.local",
                          arguments: [.buffer(out), .i(iterations), .float(1 + Float(run))])
            try cl.finish()
            let ms = profiler.drain().reduce(0) { $0 + $1.milliseconds }
            if run > 0, ms > 0 { best = min(best, ms) }
        }
        guard best.isFinite else { return nil }
        return Double(items) * Double(iterations) * 128 / best / 1e6
    }
}
