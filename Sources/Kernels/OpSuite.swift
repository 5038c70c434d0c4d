import Foundation
import Runtime

/// The whole op catalog run as one suite (ggml's test-backend-ops idea): every case on two
/// engines compared, or every profile case timed. `portrait compare --ops`, `portrait profile
/// --ops` and the parity tests share it.
public enum OpSuite {
    /// One compared case.
    public struct ComparisonRow: Sendable {
        /// Op name.
        public let op: String
        /// Case label.
        public let label: String
        /// Output shape.
        public let shape: [Int]
        /// The figures.
        public let comparison: Comparison
        /// The op's tolerance.
        public let tolerance: Tolerance
        /// The variant override in force (`conv.tile=8x8`), nil for the candidate's own table.
        public var variant: String? = nil
    }

    /// One profiled case.
    public struct ProfileRow: Sendable {
        /// Op name.
        public let op: String
        /// Case label.
        public let label: String
        /// Median time per call in milliseconds (device event time on OpenCL).
        public let milliseconds: Double
        /// Best time per call in milliseconds.
        public let bestMilliseconds: Double
        /// Kernels launched per call, by name.
        public let kernels: [String]
        /// Each of `kernels`' time in milliseconds, in the fastest call.
        public var kernelMilliseconds: [Double] = []
        /// The op's cost.
        public let cost: KernelCost
        /// Input tensor shapes by name.
        public let shapes: [String: [Int]]
        /// Parameters as passed.
        public let parameters: [String: String]
        /// GFLOP/s at the median time.
        public var gflops: Double { milliseconds > 0 ? cost.flops / milliseconds / 1e6 : 0 }
        /// GB/s at the median time.
        public var gigabytesPerSecond: Double { milliseconds > 0 ? cost.bytes / milliseconds / 1e6 : 0 }
    }

    /// The cases selected by `filter` (op names, comma-separated; nil = all).
    public static func selected(_ filter: String?) throws -> [OpDefinition] {
        guard let filter, !filter.isEmpty else { return OpCatalog.all }
        let names = filter.split(separator: ",").map { String($0).trimming(" ") }
        return try names.map { try OpCatalog.op(named: $0) }
    }

    /// Runs every case of `ops` on `reference` and `candidate` and compares the outputs.
    /// With `maxElements`, only the cases whose input tensors hold at most that many values run.
    public static func compare(_ ops: [OpDefinition], reference: Engine, candidate: Engine, seed: UInt64 = 42,
                               maxElements: Int? = nil, progress: (String) -> Void = { _ in }) throws -> [ComparisonRow] {
        try compare(ops, reference: reference, candidate: candidate, seed: seed, variants: false, maxElements: maxElements, progress: progress)
    }

    /// The variant sweep: every case of `ops` on `candidate` with its own variant table, and each
    /// case again under every other value of every `KernelVariants` key that changes the op's
    /// kernels (`VariantKey.ops`, `VariantKey.sweep`; one key at a time under each of its `sweepWith` alternatives,
    /// the rest as the table has them). Full-size cases (labels starting `mp `) run with the table only. The reference
    /// runs once per case. `candidate.variants` is restored afterwards.
    /// With `maxElements`, only the cases whose input tensors hold at most that many values in all
    /// run (simulators such as Oclgrind: `make gpu-lint`).
    public static func compareVariants(_ ops: [OpDefinition], reference: Engine, candidate: Engine, seed: UInt64 = 42,
                                       maxElements: Int? = nil, progress: (String) -> Void = { _ in }) throws -> [ComparisonRow] {
        try compare(ops, reference: reference, candidate: candidate, seed: seed, variants: true, maxElements: maxElements, progress: progress)
    }

    private static func compare(_ ops: [OpDefinition], reference: Engine, candidate: Engine, seed: UInt64, variants sweep: Bool,
                                maxElements: Int? = nil, progress: (String) -> Void) throws -> [ComparisonRow] {
        let table = candidate.variants
        defer { candidate.variants = table }
        var rows: [ComparisonRow] = []
        for op in ops {
            // (label, table) per override: one key changed, with the overrides it needs (`sweepWith`).
            let overrides: [(String, KernelVariants)] = !sweep ? [] : try KernelVariants.keys.filter { $0.ops.contains(op.name) }.flatMap { key in
                try key.sweepBases.flatMap { with in
                    let base = try table.overridden(by: with)
                    return try key.sweep.map { value in
                        (([with].filter { !$0.isEmpty } + ["\(key.name)=\(value)"]).joined(separator: ","), try key.setting(value, in: base))
                    }
                }
            }.reduce(into: [(String, KernelVariants)]()) { unique, entry in
                if entry.1 != table && !unique.contains(where: { $0.1 == entry.1 }) { unique.append(entry) }
            }
            for c in op.cases {
                if let maxElements, c.elementCount > maxElements { continue }
                progress("\(op.name) [\(c.label)]")
                let args = c.arguments(seed: seed)
                let expected = try reference.host(try op.call(reference, args))
                func run(_ variant: String?) throws {
                    let actual = try candidate.values(try op.call(candidate, args))
                    rows.append(ComparisonRow(op: op.name, label: c.label, shape: expected.shape,
                                              comparison: Comparison(actual: actual, reference: expected.hostValues!, tolerance: op.tolerance),
                                              tolerance: op.tolerance, variant: variant))
                }
                try run(nil)
                if c.label.hasPrefix("mp ") { continue }
                for (label, variants) in overrides {
                    candidate.variants = variants
                    defer { candidate.variants = table }
                    try run(label)
                }
            }
        }
        return rows
    }

    /// Times every profile case of `ops` on `engine`: one warm-up call, then `repeats` timed calls.
    public static func profile(_ ops: [OpDefinition], engine: Engine, repeats: Int = 5, seed: UInt64 = 7,
                               progress: (String) throws -> Void = { _ in }) throws -> [ProfileRow] {
        var rows: [ProfileRow] = []
        let saved = engine.profiler
        defer { engine.profiler = saved }
        for op in ops {
            for c in op.profileCases.isEmpty ? Array(op.cases.suffix(1)) : op.profileCases {
                try progress("\(op.name) [\(c.label)]")
                var args = c.arguments(seed: seed)
                for (k, t) in args.tensors { args.tensors[k] = try engine.resident(t) }
                _ = try op.call(engine, args)           // warm-up: compiles, specialises, allocates
                try engine.synchronize()
                var times: [Double] = []
                var kernelNames: [String] = []
                var best: (total: Double, each: [Double]) = (.infinity, [])
                for _ in 0..<max(1, repeats) {
                    let profiler = Profiler()
                    engine.profiler = profiler
                    _ = try op.call(engine, args)
                    try engine.synchronize()
                    let timings = profiler.drain()
                    engine.profiler = nil
                    times.append(timings.reduce(0) { $0 + $1.milliseconds })
                    kernelNames = timings.map(\.name)
                    if times.last! < best.total { best = (times.last!, timings.map(\.milliseconds)) }
                }
                times.sort()
                var row = ProfileRow(op: op.name, label: c.label, milliseconds: times[times.count / 2],
                                     bestMilliseconds: times[0], kernels: kernelNames, cost: op.cost(args),
                                     shapes: args.tensors.mapValues(\.shape), parameters: args.parameters)
                row.kernelMilliseconds = best.each
                rows.append(row)
            }
        }
        return rows
    }
}
