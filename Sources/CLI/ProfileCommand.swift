import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `portrait profile --ops`: per-op time, GFLOP/s and GB/s at MegaPortraits shapes.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time the network per kernel and per stage (or every op with --ops), with GFLOP/s and GB/s.",
        discussion: "Times are OpenCL event timestamps after a warm-up call (host clock on --device cpu); the median of --repeat calls.")

    @Flag(help: "Profile every op of the catalog at full MegaPortraits shapes.")
    var ops = false

    @Option(help: "Only these ops (comma-separated names).")
    var only: String?

    @Option(help: "Timed calls per case (after one warm-up).")
    var `repeat` = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup(title: "Model profile (without --ops)") var modelProfile: ModelProfileOptions

    func run() throws {
        if !ops { return try runModelProfile() }
        try reportingErrors {
            let engine = try deviceOptions.makeEngine()
            let peak = try engine.measuredPeakGFLOPS()
            let rows = try OpSuite.profile(try OpSuite.selected(only), engine: engine, repeats: self.repeat) { label in
                if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K  profiling \(label)".utf8)) }
            }
            if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if json {
                let objects: [[String: Any]] = rows.map { r in
                    ["op": r.op, "case": r.label, "ms": r.milliseconds, "best_ms": r.bestMilliseconds,
                     "gflops": r.gflops, "gbps": r.gigabytesPerSecond, "kernels": r.kernels, "kernel_ms": r.kernelMilliseconds,
                     "flops": r.cost.flops, "bytes": r.cost.bytes,
                     "shapes": r.shapes, "params": r.parameters]
                }
                var top: [String: Any] = ["device": engine.name, "cases": objects]
                if let peak { top["peak_gflops_measured"] = peak }
                print(try jsonString(top))
                return
            }
            print("Profile on \(engine.name)" + (peak.map { String(format: " (fp32 peak %.0f GFLOP/s, measured with an FMA loop)", $0) } ?? ""))
            print(column("op", 22) + column("case", 34) + column("ms", 10, right: true) + column("GFLOP/s", 10, right: true) +
                  column("GB/s", 9, right: true) + column("% peak", 8, right: true) + "  kernels")
            for r in rows {
                let pct = peak.map { String(format: "%.1f", 100 * r.gflops / $0) } ?? "-"
                let kernels = Dictionary(grouping: r.kernels, by: { $0 }).map { $0.value.count > 1 ? "\($0.key)×\($0.value.count)" : $0.key }.sorted()
                print(column(r.op, 22) + column(r.label, 34) + column(String(format: "%.3f", r.milliseconds), 10, right: true) +
                      column(String(format: "%.1f", r.gflops), 10, right: true) +
                      column(String(format: "%.1f", r.gigabytesPerSecond), 9, right: true) + column(pct, 8, right: true) +
                      "  " + kernels.joined(separator: " "))
            }
        }
    }
}
