import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `--device cpu|opencl|opencl:N`, falling back to `PORTRAIT_DEVICE`, then `opencl`.
struct DeviceOptions: ParsableArguments {
    @Option(name: .long, help: "cpu, opencl (fastest GPU, else first OpenCL device) or opencl:N. Default: $PORTRAIT_DEVICE, else opencl.")
    var device: String?

    /// The engine for the chosen device, with the variants `portrait tune` stored for it unless
    /// `tuned` is false or `PORTRAIT_TUNING=off`; prints one line to stderr when falling back to the CPU.
    func makeEngine(tuned: Bool = true) throws -> Engine {
        let environment = ProcessInfo.processInfo.environment
        let choice = try DeviceChoice.resolve(flag: device, environment: environment)
        let tuning = tuned && environment["PORTRAIT_TUNING"] != "off" ? TuningCache() : nil
        return try Self.engine(for: choice, tuning: tuning)
    }

    /// The engine for `choice`. With no OpenCL device listed, the reason is diagnosed
    /// (`OpenCLDiagnosis`): when a driver is installed but lists no device (e.g. PoCL without a
    /// writable cache folder), `opencl` falls back to the CPU with one stderr line saying why and
    /// what to set, and `opencl:N` is an error saying the same; with no driver installed at all,
    /// `Engine.make` falls back (or fails) with its own line.
    static func engine(for choice: DeviceChoice, tuning: TuningCache? = nil) throws -> Engine {
        if choice != .cpu, OpenCLDevice.all().isEmpty, case let diagnosis = OpenCLDiagnosis.run(), diagnosis.installedButUnusable,
           let why = diagnosis.explanation {
            if case .opencl(let index) = choice { throw DeviceUnavailable(device: "opencl:\(index)", reason: why) }
            printError("portrait: running on the CPU fallback, not OpenCL: \(why)")
            return .cpu()
        }
        return try Engine.make(choice, tuning: tuning) { note in printError("portrait: \(note)") }
    }
}

/// An OpenCL device asked for by index when no OpenCL platform is usable.
struct DeviceUnavailable: Error, CustomStringConvertible {
    let device: String
    let reason: String
    var description: String { "device \(device) is not available: \(reason); or use --device cpu" }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Runs `body`, turning any error into a one-line message on stderr and exit status 2
/// (the status for bad input, missing files and unavailable devices).
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        _ = try FaultInjection.configured()
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("portrait: error: \(error)")
        throw ExitCode(2)
    }
}

/// Encodes a JSON object for `--json` output.
func jsonString(_ object: Any) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// Whether standard error is a terminal (progress lines are shown only there).
var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

/// Pads text to a column width; text as wide as the column or wider keeps one space of
/// separation from its neighbour (the table shifts rather than running two cells together).
func column(_ text: String, _ width: Int, right: Bool = false) -> String {
    if text.count >= width { return right ? " " + text : text + " " }
    let pad = String(repeating: " ", count: width - text.count)
    return right ? pad + text : text + pad
}
