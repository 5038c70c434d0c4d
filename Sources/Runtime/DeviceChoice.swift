/// Which backend to run on: the `--device` flag and `PORTRAIT_DEVICE`.
public enum DeviceChoice: Equatable, Sendable, CustomStringConvertible {
    /// The pure-Swift CPU fallback.
    case cpu
    /// The fastest GPU if any, else the first OpenCL device; the CPU fallback when none exists.
    case openclAuto
    /// The OpenCL device with this index in `OpenCLDevice.all()`.
    case opencl(Int)

    /// Parses `cpu`, `opencl` or `opencl:N` (case-insensitive).
    public init(parsing text: String) throws {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        if t == "cpu" { self = .cpu; return }
        if t == "opencl" || t == "gpu" { self = .openclAuto; return }
        if t.hasPrefix("opencl:"), let n = Int(t.dropFirst(7)), n >= 0 { self = .opencl(n); return }
        throw RuntimeError.invalidDeviceSpec(text)
    }

    /// The choice from an explicit flag, else `PORTRAIT_DEVICE`, else `fallback`.
    public static func resolve(flag: String?, environment: [String: String], fallback: DeviceChoice = .openclAuto) throws -> DeviceChoice {
        if let flag { return try DeviceChoice(parsing: flag) }
        if let env = environment["PORTRAIT_DEVICE"], !env.isEmpty { return try DeviceChoice(parsing: env) }
        return fallback
    }

    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .openclAuto: return "opencl"
        case .opencl(let n): return "opencl:\(n)"
        }
    }

    /// The device `openclAuto` picks among `devices`: the GPU with the most compute units × clock,
    /// else the first device.
    public static func preferredDevice(among devices: [OpenCLDevice]) -> OpenCLDevice? {
        let gpus = devices.filter(\.isGPU)
        if let best = gpus.max(by: { $0.computeUnits * $0.clockMHz < $1.computeUnits * $1.clockMHz }) { return best }
        return devices.first
    }
}

import Foundation
