import Foundation
import Runtime

/// Finds the convolution variants that run fastest on one engine's device.
///
/// Coordinate descent over the convolution keys of the variant table: starting from the current
/// table, each value of `conv.algorithm`, then of the keys that matter for the winning algorithm
/// (`conv.winograd3d` and `conv.winograd7` for Winograd F(4×4, 3×3); `conv.igemm` for the implicit GEMM; `conv.tile`
/// and `conv.local` otherwise), is timed on the profile cases of `conv2d` and `conv3d` (the
/// network's shape classes at full size) with kernel event timestamps, the median of `repeats` calls after a warm-up; a value is kept when it is
/// at least `minimumGain` (3 %) faster, so timing noise does not move a table off its defaults.
/// A trial is abandoned once its wall time passes 3× the best trial's (a much slower variant
/// costs little), and no new trial starts after `deadline`.
public enum VariantTuner {
    /// One timed table.
    public struct Trial: Sendable {
        /// The overrides tried (`key=value`), relative to the table they changed.
        public let change: String
        /// Summed kernel time of the cases, or nil when abandoned (too slow) or skipped (deadline).
        public let milliseconds: Double?
        /// Why a trial has no time.
        public let note: String?
    }

    /// The outcome: the chosen table and every trial.
    public struct Result: Sendable {
        public let chosen: KernelVariants
        public let defaultMilliseconds: Double
        public let tunedMilliseconds: Double
        public let trials: [Trial]
    }

    /// The fraction by which a candidate must beat the best table to replace it.
    public static let minimumGain = 0.03

    private struct TooSlow: Error {}

    /// Tunes `engine` (OpenCL) on `ops` (default: the catalog's `conv2d` and `conv3d`); the
    /// engine's variants are restored afterwards.
    public static func tune(engine: Engine, ops: [OpDefinition]? = nil, repeats: Int = 2, deadline: Date,
                            progress: (String) -> Void = { _ in }) throws -> Result {
        let cases = try ops ?? OpSuite.selected("conv2d,conv3d")
        let start = engine.variants
        defer { engine.variants = start }
        var trials: [Trial] = []
        func measure(_ variants: KernelVariants, change: String, wallLimit: Double?) throws -> (ms: Double, wall: Double)? {
            engine.variants = variants
            let began = Date()
            do {
                let rows = try OpSuite.profile(cases, engine: engine, repeats: repeats) { label in
                    progress("\(change): \(label)")
                    if let wallLimit, Date().timeIntervalSince(began) > wallLimit { throw TooSlow() }
                }
                let total = rows.reduce(0) { $0 + $1.milliseconds }
                trials.append(Trial(change: change, milliseconds: total, note: nil))
                return (total, Date().timeIntervalSince(began))
            } catch is TooSlow {
                trials.append(Trial(change: change, milliseconds: nil, note: "abandoned: over 3× the best trial's time"))
                return nil
            }
        }
        guard let first = try measure(start, change: "defaults", wallLimit: nil) else { throw TuningError.noBaseline }
        var best = start, bestMs = first.ms, bestWall = first.wall
        func tryKey(_ name: String) throws {
            let key = try KernelVariants.key(named: name)
            for value in key.sweep where value != key.value(in: best) {
                let change = "\(name)=\(value)"
                guard Date() < deadline else {
                    trials.append(Trial(change: change, milliseconds: nil, note: "skipped: time budget spent"))
                    continue
                }
                let candidate = try key.setting(value, in: best)
                if let m = try measure(candidate, change: change, wallLimit: 3 * bestWall), m.ms < bestMs * (1 - minimumGain) {
                    (best, bestMs, bestWall) = (candidate, m.ms, m.wall)
                }
            }
        }
        try tryKey("conv.algorithm")
        if best.convolutionAlgorithm == .winograd4 { try tryKey("conv.winograd"); try tryKey("conv.winograd3d"); try tryKey("conv.winograd7") }
        if best.convolutionAlgorithm == .implicitGemm { try tryKey("conv.igemm") } else { try tryKey("conv.tile"); try tryKey("conv.local") }
        return Result(chosen: best, defaultMilliseconds: first.ms, tunedMilliseconds: bestMs, trials: trials)
    }

    /// The overrides that turn `defaults` into `chosen` (only the keys that differ).
    public static func overrides(from defaults: KernelVariants, to chosen: KernelVariants) -> String {
        KernelVariants.keys.filter { $0.value(in: defaults) != $0.value(in: chosen) }
            .map { "\($0.name)=\($0.value(in: chosen))" }.joined(separator: ",")
    }
}

/// Tuning failures.
public enum TuningError: Error, CustomStringConvertible, Sendable {
    /// The default table could not be timed.
    case noBaseline
    /// Tuning needs an OpenCL device.
    case notOpenCL

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .noBaseline: return "tuning could not time the default variants"
        case .notOpenCL: return "tuning chooses OpenCL kernel variants; pick an OpenCL device with --device opencl[:N]"
        }
    }
}
