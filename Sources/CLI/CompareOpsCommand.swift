import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `portrait compare --ops`: the whole op suite on the CPU and on a device, op by op.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run the same work on two backends and compare (exit 1 on any failure).",
        discussion: "With --ops: every op of the catalog, odd shapes and scaled MegaPortraits shapes, CPU vs --device.")

    @Flag(help: "Compare every op of the catalog (CPU reference, direct convolutions, vs --device).")
    var ops = false

    @Option(help: "Only these ops (comma-separated names).")
    var only: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .customLong("all-variants"), help: "With --ops: also run each case under every other kernel variant of the device's table (portrait devices --verbose), one key at a time.")
    var allVariants = false

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup(title: "Model comparison (without --ops)") var modelComparison: ModelComparisonOptions

    func run() throws {
        if !ops { return try runModelComparison() }
        let rows: [OpSuite.ComparisonRow] = try reportingErrors {
            let candidate = try deviceOptions.makeEngine()
            let selected = try OpSuite.selected(only)
            if !json { print("Comparing \(selected.count) ops: cpu (reference) vs \(candidate.name)") }
            let progress: (String) -> Void = { label in
                if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K  \(label)".utf8)) }
            }
            return allVariants
                ? try OpSuite.compareVariants(selected, reference: .cpuReference(), candidate: candidate, progress: progress)
                : try OpSuite.compare(selected, reference: .cpuReference(), candidate: candidate, progress: progress)
        }
        if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let failures = rows.filter { !$0.comparison.passed }
        if json {
            let objects: [[String: Any]] = rows.map { r in
                ["op": r.op, "case": r.label, "variant": r.variant ?? "", "shape": r.shape, "max_abs_error": Double(r.comparison.maxAbsoluteError),
                 "relative_error": r.comparison.relativeError, "nmse": r.comparison.nmse,
                 "tolerance_abs": Double(r.tolerance.absolute), "tolerance_rel": Double(r.tolerance.relative),
                 "passed": r.comparison.passed]
            }
            print(try jsonString(["cases": objects, "passed": failures.isEmpty, "failures": failures.count]))
        } else {
            func caseText(_ r: OpSuite.ComparisonRow) -> String { r.label + (r.variant.map { " {\($0)}" } ?? "") }
            let caseWidth = max(30, (rows.map { caseText($0).count }.max() ?? 0) + 2)
            print(column("op", 24) + column("case", caseWidth) + column("shape", 22) + column("max|Δ|", 11, right: true) +
                  column("rel err", 11, right: true) + "  verdict")
            for r in rows {
                print(column(r.op, 24) + column(caseText(r), caseWidth) + column("\(r.shape)", 22) +
                      column(String(format: "%.2e", r.comparison.maxAbsoluteError), 11, right: true) +
                      column(String(format: "%.2e", r.comparison.relativeError), 11, right: true) +
                      "  " + (r.comparison.passed ? "pass" : "FAIL (tol \(r.tolerance))"))
            }
            print("\(rows.count - failures.count)/\(rows.count) cases pass" + (failures.isEmpty ? "" : "; \(failures.count) FAIL"))
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }
}
