import Foundation
import Kernels
import Runtime

/// Engines shared by the kernel tests: the CPU reference (direct convolutions, never Winograd),
/// the CPU fallback as users get it (Winograd F(4×4, 3×3) on 3×3 convolutions) and one OpenCL
/// engine (PoCL in CI), created once per process so the kernel file compiles once.
enum TestEngines {
    /// The independent reference every OpenCL result is compared with (`Engine.cpuReference`).
    static let cpu = Engine.cpuReference()
    /// The CPU fallback (`Engine.cpu`), whose Winograd path is itself checked against `cpu`.
    static let cpuFallback = Engine.cpu()

    /// The OpenCL engine, or nil when no device exists and `PORTRAIT_ALLOW_NO_OPENCL=1` is set.
    /// Without that variable a missing device is a test failure: CI must exercise OpenCL.
    static let opencl: Engine? = {
        let devices = OpenCLDevice.all()
        guard let device = DeviceChoice.preferredDevice(among: devices) else { return nil }
        return try? Engine.opencl(device)
    }()

    static var openclRequired: Bool { ProcessInfo.processInfo.environment["PORTRAIT_ALLOW_NO_OPENCL"] != "1" }
}

/// One op case for parameterised tests, printable in test names.
struct OpCaseID: CustomStringConvertible, Sendable {
    let op: OpDefinition
    let testCase: OpCase
    var description: String { "\(op.name) [\(testCase.label)]" }

    static var all: [OpCaseID] {
        OpCatalog.all.flatMap { op in op.cases.map { OpCaseID(op: op, testCase: $0) } }
    }
}
