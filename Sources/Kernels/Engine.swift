import Foundation
import Runtime

/// Where ops run: the pure-Swift CPU fallback or an OpenCL device. Every op in this module is a
/// method on `Engine` with one CPU and one OpenCL implementation that agree within the op's
/// stated tolerance (the parity suite proves it).
public final class Engine: @unchecked Sendable {
    /// The two kinds of backend.
    public enum Backend {
        /// Pure Swift (with OpenBLAS for the GEMM inside CPU convolutions).
        case cpu
        /// An OpenCL device context.
        case opencl(OpenCLContext)
    }

    /// The backend ops run on.
    public let backend: Backend
    /// Per-op timings on the CPU backend; on OpenCL the context's profiler times kernels.
    public var profiler: Profiler? {
        didSet { if case .opencl(let cl) = backend { cl.profiler = profiler } }
    }

    /// An engine on the CPU fallback (large freed host memory is kept for reuse: `HostMemory`).
    public static func cpu() -> Engine {
        HostMemory.configure()
        return Engine(backend: .cpu)
    }

    /// The independent CPU reference that the parity suite, `compare` and the Winograd checks
    /// compare against: the CPU fallback with every convolution direct (im2col + GEMM), never
    /// Winograd, so no Winograd kernel is checked against Winograd arithmetic. Slower than `cpu()`
    /// on 3×3 convolutions (`cpu()` takes Winograd F(4×4, 3×3) there as the fallback's fast path).
    public static func cpuReference() -> Engine {
        HostMemory.configure()
        var variants = KernelVariants.defaults(isGPU: false, deviceName: "")
        variants.convolutionAlgorithm = .direct
        return Engine(backend: .cpu, variants: variants)
    }

    /// An engine on an OpenCL device, compiling the embedded `Kernels.cl`, with the device's
    /// kernel variants (or the table `PORTRAIT_VARIANT_TABLE=cpu|gpu` names, whatever the device
    /// type: `make gpu-lint` runs both on one simulated device), then the winners `portrait tune`
    /// stored in `tuning` (when given and present), then `PORTRAIT_VARIANTS` when set (throws `VariantError` for an unknown key or
    /// value), and validate mode from `PORTRAIT_VALIDATE` (`Validation.parse`).
    public static func opencl(_ device: OpenCLDevice, tuning: TuningCache? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Engine {
        HostMemory.configure()
        var variants = try KernelVariants.defaults(for: device, table: environment[KernelVariants.tableVariable])
        if let tuned = tuning?.entry(for: device), let chosen = try? variants.overridden(by: tuned.overrides) { variants = chosen }
        variants = try variants.overridden(by: environment[KernelVariants.environmentVariable] ?? "")
        let validation = try Validation.parse(environment[Validation.environmentVariable] ?? "")
        let context = try OpenCLContext(device: device, source: KernelSource.text, options: KernelSource.options(for: device))
        let engine = Engine(backend: .opencl(context), variants: variants)
        engine.validation = validation
        return engine
    }

    /// Resolves a device choice. `opencl` with no OpenCL device falls back to the CPU and calls
    /// `notice` with one line saying so; `opencl:N` with no such device throws. OpenCL engines use
    /// `tuning`'s stored winners when given (see `opencl(_:tuning:environment:)`).
    public static func make(_ choice: DeviceChoice, tuning: TuningCache? = nil, notice: (String) -> Void = { _ in }) throws -> Engine {
        switch choice {
        case .cpu:
            return .cpu()
        case .openclAuto:
            let devices = OpenCLDevice.all()
            guard let device = DeviceChoice.preferredDevice(among: devices) else {
                notice("no OpenCL device found; running on the CPU fallback (install pocl-opencl-icd or a GPU driver for OpenCL)")
                return .cpu()
            }
            return try .opencl(device, tuning: tuning)
        case .opencl(let index):
            let devices = OpenCLDevice.all()
            guard index < devices.count else { throw RuntimeError.noSuchDevice(index: index, available: devices.count) }
            return try .opencl(devices[index], tuning: tuning)
        }
    }

    /// Packed convolution weights for resident weight tensors (OpenCL only).
    let convolutionWeightCache = ConvolutionWeightCache()

    /// Winograd input transforms kept by `reusingConvolutionInputs` (OpenCL only).
    let convolutionInputReuse = ConvolutionInputReuse()

    /// Every kernel, tile and work-group choice of the OpenCL ops, decided once from the device
    /// (`KernelVariants.defaults(for:)`). Settable: tests run every variant on any device. On
    /// the CPU backend it holds the CPU-device defaults and is not read.
    public var variants: KernelVariants

    /// Validate mode: when set, every declared op run on OpenCL is re-run on the CPU fallback and
    /// compared (`Engine.run`); nil (the default unless `PORTRAIT_VALIDATE` is set) is off. Not
    /// read on the CPU backend.
    public var validation: Validation?

    /// How many OpenCL results validate mode has checked on this engine.
    public internal(set) var validatedOps = 0

    /// Creates an engine over `backend` with `variants`, or the device's defaults when nil.
    public init(backend: Backend, variants: KernelVariants? = nil) {
        self.backend = backend
        if let variants {
            self.variants = variants
        } else if case .opencl(let cl) = backend {
            self.variants = .defaults(for: cl.device)
        } else {
            self.variants = .defaults(isGPU: false, deviceName: "")
        }
    }

    /// `cpu` or `opencl:N (device name)`.
    public var name: String {
        switch backend {
        case .cpu: return "cpu"
        case .opencl(let cl): return "opencl:\(cl.device.index) (\(cl.device.name))"
        }
    }

    /// The OpenCL context, or nil on the CPU backend.
    public var openCL: OpenCLContext? {
        if case .opencl(let cl) = backend { return cl }
        return nil
    }

    // MARK: - Moving tensors

    /// `t` resident on this engine: uploaded for OpenCL, downloaded for the CPU.
    public func resident(_ t: Tensor) throws -> Tensor {
        switch (backend, t.storage) {
        case (.cpu, .host), (.opencl, .device): return t
        case (.cpu, .device): throw RuntimeError.shapeMismatch("a device tensor was passed to the CPU engine; download it with its own engine first")
        case (.opencl(let cl), .host(let values)): return Tensor(shape: t.shape, buffer: try cl.upload(values))
        }
    }

    /// `t` as a host tensor (waits for the device when needed).
    public func host(_ t: Tensor) throws -> Tensor {
        switch t.storage {
        case .host: return t
        case .device(let buffer):
            guard let cl = openCL else { throw RuntimeError.shapeMismatch("device tensor on a CPU engine") }
            return Tensor(shape: t.shape, values: try cl.download(buffer, count: t.count))
        }
    }

    /// `t`'s values on the host.
    public func values(_ t: Tensor) throws -> [Float] { try host(t).hostValues! }

    /// Waits for all queued device work (no-op on the CPU).
    public func synchronize() throws { try openCL?.finish() }

    // MARK: - Helpers for op implementations

    /// The device buffer of `t`, uploading a host tensor first.
    func buffer(_ t: Tensor) throws -> DeviceBuffer {
        try resident(t).deviceBuffer!
    }

    /// A new device tensor of `shape` (contents undefined).
    func deviceOutput(_ cl: OpenCLContext, _ shape: [Int]) throws -> Tensor {
        Tensor(shape: shape, buffer: try cl.makeBuffer(byteCount: shape.reduce(1, *) * 4))
    }

    /// Runs a CPU op body, timing it when profiling.
    func timedCPU<T>(_ name: String, cost: KernelCost, _ body: () throws -> T) rethrows -> T {
        guard let profiler else { return try body() }
        let start = Profiler.now()
        let result = try body()
        profiler.record(name: name, startNs: start, endNs: Profiler.now(), cost: cost)
        return result
    }

    /// Host values of `t` for a CPU op (throws for device tensors).
    func cpuValues(_ t: Tensor) throws -> [Float] {
        guard let v = t.hostValues else { throw RuntimeError.shapeMismatch("device tensor passed to the CPU engine") }
        return v
    }
}

/// The embedded OpenCL C source and the build options per device.
public enum KernelSource {
    /// Every kernel, from `Kernels.cl` at the package root, embedded at build time.
    public static let text: String = String(decoding: PackageResources.Kernels_cl, as: UTF8.self)

    /// Build options, the same on every device (device choices are `KernelVariants`, made in
    /// Swift): fast relaxed math is *not* used (results must match the CPU path).
    public static func options(for device: OpenCLDevice) -> String {
        // -w: PoCL otherwise prints "N warnings generated." (unroll hints it could not apply) on stderr.
        "-cl-mad-enable -w"
    }
}
