import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `portrait tune`: times convolution variants on this device and stores the winners.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Time the convolution variants on an OpenCL device and keep the fastest for render and profile.",
        discussion: """
            Coordinate descent over conv.algorithm, then conv.igemm (implicit GEMM) or conv.tile and conv.local, on the \
            convolution shapes of the MegaPortraits network at full size (the profile cases of conv2d and conv3d), timed with \
            OpenCL events (median of --repeat calls after a warm-up). Much slower trials are abandoned early; no trial starts \
            after --budget seconds. The winners are stored per device, driver and kernel source in the cache folder \
            ($XDG_CACHE_HOME/portraitcl/tuning, or $PORTRAIT_TUNING_DIR) and used by every later render, compare and profile on \
            that device (PORTRAIT_TUNING=off ignores them; PORTRAIT_VARIANTS still overrides). Without a tuning file the \
            device's defaults are used.
            """)

    @Option(help: "Seconds after which no new trial starts.")
    var budget: Double = 100

    @Option(help: "Timed calls per case (after one warm-up).")
    var `repeat` = 2

    @Flag(name: .customLong("dry-run"), help: "Print what would be chosen without storing it.")
    var dryRun = false

    @Flag(help: "Print the trials and the choice as JSON.")
    var json = false

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        guard budget > 0, self.repeat >= 1 else { throw ValidationError("--budget must be positive and --repeat at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let engine = try deviceOptions.makeEngine(tuned: false)
            guard case .opencl(let context) = engine.backend else { throw TuningError.notOpenCL }
            let began = Date()
            if !json { print("Tuning convolutions on \(engine.name) (budget \(Int(budget)) s)") }
            let result = try VariantTuner.tune(engine: engine, repeats: self.repeat, deadline: began.addingTimeInterval(budget)) { label in
                if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K  timing \(label)".utf8)) }
            }
            if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let defaults = KernelVariants.defaults(for: context.device)
            let overrides = VariantTuner.overrides(from: defaults, to: result.chosen)
            let file = dryRun ? nil : try TuningCache().store(
                TuningCache.Entry(device: context.device.name, driver: context.device.driverVersion, overrides: overrides,
                                  defaultMilliseconds: result.defaultMilliseconds, tunedMilliseconds: result.tunedMilliseconds,
                                  date: ISO8601DateFormatter().string(from: Date())), for: context.device)
            if json {
                let trials: [[String: Any]] = result.trials.map { t in
                    var row: [String: Any] = ["change": t.change]
                    if let ms = t.milliseconds { row["ms"] = ms }
                    if let note = t.note { row["note"] = note }
                    return row
                }
                var top: [String: Any] = ["device": engine.name, "chosen": overrides, "default_ms": result.defaultMilliseconds,
                                          "tuned_ms": result.tunedMilliseconds, "seconds": Date().timeIntervalSince(began), "trials": trials]
                if let file { top["stored"] = file.path }
                print(try jsonString(top))
                return
            }
            for trial in result.trials {
                let time = trial.milliseconds.map { String(format: "%10.1f ms", $0) } ?? String(repeating: " ", count: 13)
                print("  " + column(trial.change, 30) + time + (trial.note.map { "  \($0)" } ?? ""))
            }
            print(String(format: "chosen: %@ — %.1f ms against %.1f ms with the defaults (%.2f×), in %.0f s",
                         overrides.isEmpty ? "the defaults" : overrides, result.tunedMilliseconds, result.defaultMilliseconds,
                         result.defaultMilliseconds / max(result.tunedMilliseconds, 1e-9), Date().timeIntervalSince(began)))
            if let file { print("stored in \(file.path); render, compare and profile on this device use it (PORTRAIT_TUNING=off to ignore)") }
        }
    }
}
