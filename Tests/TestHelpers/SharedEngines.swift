import Foundation
import Kernels
import Runtime

/// The engines the network test targets share: the CPU fallback and one OpenCL engine (PoCL in
/// CI) on the preferred device, created once per test process so the kernel file compiles once.
public enum SharedEngines {
    /// The CPU fallback as users get it (`Engine.cpu`).
    public static let cpu = Engine.cpu()

    /// The OpenCL engine on the preferred device, or why there is none.
    public static let openclResult: Result<Engine, Error> = {
        guard let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all()) else {
            return .failure(RuntimeError.noOpenCLDevice(reason: "none listed by the OpenCL ICD loader"))
        }
        return Result { try Engine.opencl(device) }
    }()

    /// The OpenCL engine, or nil without one.
    public static var opencl: Engine? { try? openclResult.get() }

    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`: CI must
    /// exercise OpenCL.
    public static var openclRequired: Bool { ProcessInfo.processInfo.environment["PORTRAIT_ALLOW_NO_OPENCL"] != "1" }
}
