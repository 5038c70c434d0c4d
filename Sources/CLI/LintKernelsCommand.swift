import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `portrait lint-kernels`: every kernel of Kernels.cl on one OpenCL device (`KernelSweep`: the
/// op catalog's small cases under every kernel variant, against the direct CPU reference, plus
/// the kernels outside the catalog), then the kernels nothing launched. `make gpu-lint` runs it
/// under Oclgrind, once per variant table (`PORTRAIT_VARIANT_TABLE=cpu|gpu`).
struct LintKernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint-kernels",
        abstract: "Run every kernel (all variants, small cases) against the CPU reference; exit 1 on a mismatch or a kernel never launched.",
        discussion: "Made for device simulators (make gpu-lint runs it under Oclgrind); on a real device it is a quick sweep.")

    @Option(name: .customLong("max-elements"), help: "Only catalog cases whose inputs hold at most this many values in all.")
    var maxElements = 4096

    @Flag(name: .customLong("no-sweep"), help: "Only the device's variant table (no other variant values); kernels it does not reach are listed, not failed.")
    var noSweep = false

    @Flag(name: .customLong("no-coverage"), help: "Do not fail when a kernel was not launched (another run covers it; scripts/gpu-lint.sh --quick).")
    var noCoverage = false

    @OptionGroup var deviceOptions: DeviceOptions

    func run() throws {
        let report: KernelSweep.Report = try reportingErrors {
            guard maxElements > 0 else { throw ValidationError("--max-elements must be positive, got \(maxElements)") }
            let candidate = try deviceOptions.makeEngine(tuned: false)
            print("lint-kernels: \(candidate.name), cases with at most \(maxElements) input values, " + (noSweep ? "the variant table only" : "every variant"))
            return try KernelSweep.run(candidate: candidate, reference: .cpuReference(), maxElements: maxElements, sweep: !noSweep) { label in
                if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K  \(label)".utf8)) }
            }
        }
        if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        for failure in report.failures { print("FAIL \(failure)") }
        let coverageRequired = !noSweep && !noCoverage
        if !report.unlaunched.isEmpty {
            print((coverageRequired ? "NOT LAUNCHED (raise --max-elements or add a small case): " : "not launched in this run: ") + report.unlaunched.joined(separator: ", "))
        }
        // One line a script can join over several runs (scripts/gpu-lint.sh --quick).
        print("launched kernels: " + Set(report.defined).subtracting(report.unlaunched).sorted().joined(separator: " "))
        let failed = report.rows.filter { !$0.comparison.passed }.count
        print("lint-kernels: \(report.rows.count) cases compared, \(failed) failed; \(report.defined.count - report.unlaunched.count) of \(report.defined.count) kernels launched")
        if !report.failures.isEmpty || (coverageRequired && !report.unlaunched.isEmpty) { throw ExitCode(1) }
    }
}
