import Runtime

/// Every kernel of Kernels.cl exercised on one OpenCL engine: the variant sweep over the op
/// catalog (`OpSuite.compareVariants`, each case against `reference`), plus the two kernels
/// outside the catalog (the watermark's `luma_pattern_add`, and `peak_fma` under each `peak.*`
/// sweep value), then which kernels the program defines that nothing launched. The kernel
/// coverage test runs it on PoCL; `portrait lint-kernels` runs it under Oclgrind (`make gpu-lint`).
public enum KernelSweep {
    /// What one sweep found.
    public struct Report: Sendable {
        /// Every compared case (the variant in force in `variant`).
        public let rows: [OpSuite.ComparisonRow]
        /// One line per problem: a case beyond tolerance, a non-catalog kernel that disagreed.
        public let failures: [String]
        /// Kernels the program defines that no launch of the sweep reached, sorted.
        public let unlaunched: [String]
        /// Every kernel the program defines, sorted.
        public let defined: [String]
        /// Whether the sweep found nothing wrong and launched every kernel.
        public var passed: Bool { failures.isEmpty && unlaunched.isEmpty }
    }

    /// Runs the sweep on `candidate` (an OpenCL engine; its variant table is restored after),
    /// comparing with `reference`. `maxElements` keeps only the catalog cases whose inputs hold
    /// at most that many values (simulators); the non-catalog kernels run at small sizes anyway.
    /// `sweep: false` runs the cases with the candidate's table only (no other variant values):
    /// `unlaunched` then lists what the table alone does not reach.
    public static func run(candidate: Engine, reference: Engine, maxElements: Int? = nil, sweep: Bool = true,
                           progress: (String) -> Void = { _ in }) throws -> Report {
        guard let cl = candidate.openCL else {
            throw RuntimeError.noOpenCLDevice(reason: "the kernel sweep needs an OpenCL engine, got \(candidate.name)")
        }
        let rows = sweep
            ? try OpSuite.compareVariants(OpCatalog.all, reference: reference, candidate: candidate, maxElements: maxElements, progress: progress)
            : try OpSuite.compare(OpCatalog.all, reference: reference, candidate: candidate, maxElements: maxElements, progress: progress)
        var failures = rows.filter { !$0.comparison.passed }.map {
            "\($0.op) [\($0.label)] with \($0.variant ?? "the device's table"): \($0.comparison) (tolerance \($0.tolerance))"
        }
        progress("luma_pattern_add")
        let pattern = try LumaPattern(cells: (0..<64).map { Float($0 % 7) / 7 - 0.5 }, cellsPerSide: 8, period: 8)
        let image = Tensor.random([1, 3, 19, 23], seed: 5, range: 0...1)
        let expected = try reference.values(try reference.addLumaPattern(image, pattern, strength: 0.02))
        let actual = try candidate.values(try candidate.addLumaPattern(image, pattern, strength: 0.02))
        let luma = Comparison(actual: actual, reference: expected, tolerance: .tight)
        if !luma.passed { failures.append("luma_pattern_add differs from the reference: \(luma)") }
        let table = candidate.variants
        defer { candidate.variants = table }
        for key in KernelVariants.keys where key.name.hasPrefix("peak.") {
            for value in key.sweep {
                progress("peak_fma \(key.name)=\(value)")
                candidate.variants = try key.setting(value, in: table)
                // Under a simulator (maxElements set) one iteration per item, and no figure required.
                let peak = maxElements == nil ? try candidate.measuredPeakGFLOPS() : try candidate.measuredPeakGFLOPS(work: 1, runs: 2)
                if maxElements == nil, !(peak.map { $0.isFinite && $0 > 0 } ?? false) {
                    failures.append("peak_fma with \(key.name)=\(value) measured \(peak.map { "\($0)" } ?? "nothing")")
                }
            }
        }
        let defined = try cl.kernelNames()
        return Report(rows: rows, failures: failures, unlaunched: Set(defined).subtracting(cl.launchedKernels).sorted(), defined: defined)
    }
}
