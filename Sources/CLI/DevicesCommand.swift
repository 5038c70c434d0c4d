import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `portrait devices`: lists OpenCL platforms and devices and which one `--device opencl` picks.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "List OpenCL devices and the one --device opencl picks.")

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .shortAndLong, help: "Also print each device's kernel-variant table (after PORTRAIT_VARIANTS overrides; * marks an override).")
    var verbose = false

    func run() throws {
        try reportingErrors { try list() }
    }

    private func list() throws {
        let devices = OpenCLDevice.all()
        let overrides = ProcessInfo.processInfo.environment[KernelVariants.environmentVariable] ?? ""
        _ = try KernelVariants.defaults(isGPU: false, deviceName: "").overridden(by: overrides)   // a bad override fails before any output
        func variants(_ d: OpenCLDevice) throws -> (table: KernelVariants, defaults: KernelVariants) {
            let defaults = KernelVariants.defaults(for: d)
            return (try defaults.overridden(by: overrides), defaults)
        }
        let picked = DeviceChoice.preferredDevice(among: devices)
        if json {
            let rows: [[String: Any]] = try devices.map { d in
                var row: [String: Any] = ["index": d.index, "name": d.name, "platform": d.platformName, "vendor": d.vendor,
                 "driver": d.driverVersion, "version": d.deviceVersion, "gpu": d.isGPU,
                 "compute_units": d.computeUnits, "clock_mhz": d.clockMHz,
                 "global_memory_bytes": d.globalMemoryBytes, "max_alloc_bytes": d.maxAllocationBytes,
                 "local_memory_bytes": d.localMemoryBytes, "fp16": d.supportsFP16,
                 "picked_by_opencl": d.index == picked?.index]
                if verbose {
                    let v = try variants(d).table
                    row["variants"] = Dictionary(uniqueKeysWithValues: KernelVariants.keys.map { ($0.name, $0.value(in: v)) })
                }
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: ["devices": rows], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if devices.isEmpty {
            print("No OpenCL devices found. `--device opencl` will run on the CPU fallback.")
            let diagnosis = OpenCLDiagnosis.run()
            print(diagnosis.installedButUnusable ? diagnosis.explanation ?? "" : "Install pocl-opencl-icd (CPU OpenCL) or your GPU vendor's OpenCL driver.")
            return
        }
        for d in devices {
            let mark = d.index == picked?.index ? "  <- --device opencl" : ""
            print("opencl:\(d.index)  \(d.name)\(mark)")
            print("    platform   \(d.platformName) (\(d.platformVersion))")
            print("    type       \(d.isGPU ? "GPU" : "CPU"), \(d.computeUnits) compute units @ \(d.clockMHz) MHz")
            print("    memory     \(formatBytes(d.globalMemoryBytes)) global, \(formatBytes(d.maxAllocationBytes)) max allocation, \(formatBytes(d.localMemoryBytes)) local (\(d.hasDedicatedLocalMemory ? "dedicated" : "emulated"))")
            print("    fp16       \(d.supportsFP16 ? "yes (cl_khr_fp16)" : "no")")
            print("    driver     \(d.driverVersion), \(d.deviceVersion)")
            if verbose {
                let v = try variants(d)
                print("    variants   (\(KernelVariants.environmentVariable)=\(v.table.overrideString))")
                for line in v.table.table(comparedTo: v.defaults) { print("      " + line) }
            }
        }
        print("cpu  pure-Swift fallback (always available)")
    }
}

/// `1.5 GiB`-style sizes.
func formatBytes(_ n: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var v = Double(n), u = 0
    while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
    return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
}
