import COpenCL
import Foundation

/// An OpenCL device ready to run kernels: context, one in-order profiling queue, the program
/// built from the embedded kernel source (one build per option set), a buffer pool and a profiler.
public final class OpenCLContext: @unchecked Sendable {
    /// The device this context runs on.
    public let device: OpenCLDevice
    /// Device buffers are drawn from and returned to this pool.
    public let pool: BufferPool
    /// Set to collect per-launch timings; nil (the default) launches without events.
    public var profiler: Profiler?
    let context: cl_context
    let queue: cl_command_queue
    private let source: String
    private let baseOptions: String
    private let cache: ProgramCache?
    private var programs: [String: cl_program] = [:]
    private var kernels: [String: cl_kernel] = [:]
    private var limitsByKernel: [String: KernelLimits] = [:]
    private let lock = NSLock()
    /// Held from the first `clSetKernelArg` to the enqueue: kernel objects are cached and shared,
    /// so two threads launching the same kernel would otherwise overwrite each other's arguments
    /// (OpenCL binds a kernel's arguments at enqueue time).
    private let launchLock = NSLock()
    /// Names of the kernels enqueued so far (guarded by `launchLock`).
    private var launched: Set<String> = []

    /// Whether the queue was made with OpenCL 1.2's `clCreateCommandQueue` (1.x platforms, or
    /// `legacyQueue`) rather than `clCreateCommandQueueWithProperties`.
    public let usesLegacyQueue: Bool

    /// Creates a context on `device` for kernel `source`, compiled with `options` plus any
    /// per-variant options. The program-binary cache is used for GPU drivers only (PoCL has its
    /// own, and querying binaries from it is slow). `legacyQueue` forces the OpenCL 1.2 queue
    /// call (chosen by itself on 1.x platforms; tests use it to run that path on any device).
    public init(device: OpenCLDevice, source: String, options: String = "", cacheDirectory: URL? = ProgramCache.defaultDirectory(),
                legacyQueue: Bool = false) throws {
        self.device = device
        self.source = source
        self.baseOptions = options
        var status: cl_int = 0
        var deviceID: cl_device_id? = device.id
        let created = OpenCLGlobalLock.withLock { clCreateContext(nil, 1, &deviceID, nil, nil, &status) }
        guard let ctx = created, status == CL_SUCCESS else {
            throw OpenCLError(code: status, call: "clCreateContext", detail: device.name)
        }
        context = ctx
        var legacy = legacyQueue || device.isOpenCL1x
        guard let q = makeProfilingQueue(context: ctx, device: device, legacyOnly: &legacy, status: &status) else {
            clReleaseContext(ctx)
            throw OpenCLError(code: status, call: "clCreateCommandQueue", detail: device.name)
        }
        queue = q
        usesLegacyQueue = legacy
        pool = BufferPool(context: ctx)
        cache = device.isPoCL ? nil : cacheDirectory.map { ProgramCache(directory: $0) }
    }

    deinit {
        clFinish(queue)
        for (_, k) in kernels { clReleaseKernel(k) }
        for (_, p) in programs { clReleaseProgram(p) }
        pool.trim()
        clReleaseCommandQueue(queue)
        clReleaseContext(context)
    }

    /// The compiled program for an option variant (e.g. `-DTILE=8`), built on first use.
    public func program(variant: String = "") throws -> cl_program {
        lock.lock(); defer { lock.unlock() }
        if let p = programs[variant] { return p }
        let options = [baseOptions, variant].filter { !$0.isEmpty }.joined(separator: " ")
        let p = try buildProgram(options: options)
        programs[variant] = p
        return p
    }

    /// The kernel `name` from the program for `variant`, created once and reused.
    public func kernel(_ name: String, variant: String = "") throws -> cl_kernel {
        let key = variant + "|" + name
        lock.lock()
        if let k = kernels[key] { lock.unlock(); return k }
        lock.unlock()
        let program = try self.program(variant: variant)
        var status: cl_int = 0
        guard let k = clCreateKernel(program, name, &status), status == CL_SUCCESS else {
            throw OpenCLError(code: status, call: "clCreateKernel", detail: name)
        }
        lock.lock(); kernels[key] = k; lock.unlock()
        return k
    }

    /// The work-group limits of kernel `name` (program `variant`) on this device, queried once.
    public func limits(of name: String, variant: String = "") throws -> KernelLimits {
        let key = variant + "|" + name
        lock.lock()
        if let l = limitsByKernel[key] { lock.unlock(); return l }
        lock.unlock()
        let l = queryKernelLimits(try kernel(name, variant: variant), device: device)
        lock.lock(); limitsByKernel[key] = l; lock.unlock()
        return l
    }

    /// The local size a launch of `name` with `local` would use: `local` itself when the kernel
    /// can run it, else (no `exactLocalSetting`, no `reqd_work_group_size`) `local` shrunk to the
    /// kernel's limits. Throws `RuntimeError.workGroupUnsupported` naming the limit when a size
    /// the kernel requires, or one a variant fixed (`exactLocalSetting`, e.g. `conv.local`), does
    /// not fit.
    public func launchLocal(_ name: String, variant: String = "", local: [Int], exactLocalSetting: String? = nil) throws -> [Int] {
        let limits = try self.limits(of: name, variant: variant)
        let chosen = (exactLocalSetting == nil && limits.requiredSize == nil) ? limits.fitting(local) : local
        if let reason = limits.violation(of: chosen) {
            throw RuntimeError.workGroupUnsupported(kernel: name, reason: reason, setting: exactLocalSetting)
        }
        return chosen
    }

    /// Enqueues kernel `name` over `global` work-items (rounded up to the local size; kernels
    /// guard the tail). The local size is checked against the kernel's limits on this device
    /// first (`launchLocal`): shrunk to fit when the op merely suggested it, an error naming the
    /// limit when the kernel requires it or `exactLocalSetting` (the variant that chose it) says
    /// it is fixed. `int` arguments and buffers are checked against 32-bit indexing. Does not
    /// wait. With a profiler set, the launch is timed by its event. Safe to call from several
    /// threads: argument setting and enqueue happen under one lock.
    public func launch(_ name: String, variant: String = "", global: [Int], local requested: [Int]? = nil,
                       exactLocalSetting: String? = nil, arguments: [KernelArgument], cost: KernelCost = .zero) throws {
        let k = try kernel(name, variant: variant)
        for (i, arg) in arguments.enumerated() {
            if let reason = arg.rangeViolation { throw RuntimeError.argumentOutOfRange(kernel: name, index: i, reason: reason) }
        }
        var local: [Int]? = nil
        if let requested {
            precondition(requested.count == global.count, "local and global sizes differ in rank")
            local = try launchLocal(name, variant: variant, local: requested, exactLocalSetting: exactLocalSetting)
        }
        var globalSize = global.map { max($0, 1) }
        if let local {
            for i in 0..<globalSize.count { globalSize[i] = (globalSize[i] + local[i] - 1) / local[i] * local[i] }
        }
        if let axis = globalSize.firstIndex(where: { $0 > KernelArgument.maxIndexableElements }) {
            throw RuntimeError.argumentOutOfRange(kernel: name, index: -1, reason: "the launch has \(globalSize[axis]) work-items along axis \(axis), past the kernels' 32-bit get_global_id")
        }
        launchLock.lock(); defer { launchLock.unlock() }
        for (i, arg) in arguments.enumerated() {
            try check(arg.set(on: k, index: cl_uint(i)), "clSetKernelArg", "\(name) argument \(i)")
        }
        var event: cl_event?
        let wantEvent = profiler != nil
        let status: cl_int = withUnsafeMutablePointer(to: &event) { eventPointer in
            globalSize.withUnsafeBufferPointer { g in
                let out = wantEvent ? eventPointer : nil
                if let local {
                    return local.withUnsafeBufferPointer { l in
                        clEnqueueNDRangeKernel(queue, k, cl_uint(g.count), nil, g.baseAddress, l.baseAddress, 0, nil, out)
                    }
                }
                return clEnqueueNDRangeKernel(queue, k, cl_uint(g.count), nil, g.baseAddress, nil, 0, nil, out)
            }
        }
        try check(status, "clEnqueueNDRangeKernel", "\(name) global \(globalSize) local \(local.map { "\($0)" } ?? "auto")")
        launched.insert(name)
        if let event, let profiler { profiler.record(name: name, event: event, cost: cost) }
    }

    /// The names of every kernel enqueued on this context so far (the kernel-coverage test
    /// compares them with `kernelNames()`).
    public var launchedKernels: Set<String> {
        launchLock.lock(); defer { launchLock.unlock() }
        return launched
    }

    /// Every kernel the program for `variant` defines, as the driver reports them
    /// (`CL_PROGRAM_KERNEL_NAMES`, macro-generated kernels included), sorted.
    public func kernelNames(variant: String = "") throws -> [String] {
        let program = try self.program(variant: variant)
        var size = 0
        try check(clGetProgramInfo(program, cl_program_info(CL_PROGRAM_KERNEL_NAMES), 0, nil, &size), "clGetProgramInfo", "kernel names")
        var bytes = [CChar](repeating: 0, count: max(size, 1))
        try check(clGetProgramInfo(program, cl_program_info(CL_PROGRAM_KERNEL_NAMES), size, &bytes, nil), "clGetProgramInfo", "kernel names")
        let text = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: ";").map(String.init).sorted()
    }

    /// A device buffer of `byteCount` bytes from the pool (contents undefined).
    public func makeBuffer(byteCount: Int) throws -> DeviceBuffer {
        try pool.buffer(byteCount: byteCount)
    }

    /// Copies `values` into a new device buffer (blocking until the copy is done).
    public func upload(_ values: [Float]) throws -> DeviceBuffer {
        let buffer = try makeBuffer(byteCount: values.count * 4)
        if values.isEmpty { return buffer }
        try values.withUnsafeBytes { raw in
            try check(clEnqueueWriteBuffer(queue, buffer.mem, cl_bool(CL_TRUE), 0, raw.count, raw.baseAddress, 0, nil, nil),
                      "clEnqueueWriteBuffer", "\(raw.count) bytes")
        }
        return buffer
    }

    /// Reads `count` floats back from `buffer`, waiting for every queued command before it.
    public func download(_ buffer: DeviceBuffer, count: Int) throws -> [Float] {
        var out = [Float](repeating: 0, count: count)
        if count == 0 { return out }
        try out.withUnsafeMutableBytes { raw in
            try check(clEnqueueReadBuffer(queue, buffer.mem, cl_bool(CL_TRUE), 0, raw.count, raw.baseAddress, 0, nil, nil),
                      "clEnqueueReadBuffer", "\(raw.count) bytes")
        }
        return out
    }

    /// Copies `byteCount` bytes between device buffers (enqueued, not waited for).
    public func copy(from source: DeviceBuffer, to destination: DeviceBuffer, byteCount: Int) throws {
        try check(clEnqueueCopyBuffer(queue, source.mem, destination.mem, 0, 0, byteCount, 0, nil, nil), "clEnqueueCopyBuffer")
    }

    /// Fills a buffer with a float value (enqueued, not waited for).
    public func fill(_ buffer: DeviceBuffer, value: Float, byteCount: Int) throws {
        var pattern = value
        try check(clEnqueueFillBuffer(queue, buffer.mem, &pattern, 4, 0, byteCount, 0, nil, nil), "clEnqueueFillBuffer")
    }

    /// Waits until every queued command has finished.
    public func finish() throws {
        try check(clFinish(queue), "clFinish")
    }

    private func buildProgram(options: String) throws -> cl_program {
        if FaultInjection.failsBuild {
            throw OpenCLError(code: -11, call: "clBuildProgram", detail: "options '\(options)' on \(device.name) (injected by \(FaultInjection.variable))")
        }
        var status: cl_int = 0
        var deviceID: cl_device_id? = device.id
        if let cache, let binary = cache.load(key: cache.key(source: source, options: options, device: device)) {
            var program: cl_program?
            binary.withUnsafeBytes { raw in
                var length = raw.count
                var pointer: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
                var binaryStatus: cl_int = 0
                program = clCreateProgramWithBinary(context, 1, &deviceID, &length, &pointer, &binaryStatus, &status)
                if binaryStatus != CL_SUCCESS { status = binaryStatus }
            }
            if let program, status == CL_SUCCESS, clBuildProgram(program, 1, &deviceID, options, nil, nil) == CL_SUCCESS {
                return program
            }
            if let program { clReleaseProgram(program) }
        }
        let created: cl_program? = source.withCString { cString in
            var pointer: UnsafePointer<CChar>? = cString
            var length = strlen(cString)
            return clCreateProgramWithSource(context, 1, &pointer, &length, &status)
        }
        guard let program = created, status == CL_SUCCESS else {
            throw OpenCLError(code: status, call: "clCreateProgramWithSource")
        }
        let buildStatus = clBuildProgram(program, 1, &deviceID, options, nil, nil)
        if buildStatus != CL_SUCCESS {
            let log = buildLog(program)
            clReleaseProgram(program)
            throw OpenCLError(code: buildStatus, call: "clBuildProgram", detail: "options '\(options)' on \(device.name)\n--- build log ---\n\(log)")
        }
        if let cache, let binary = programBinary(program) {
            cache.store(binary, key: cache.key(source: source, options: options, device: device))
        }
        return program
    }

    private func buildLog(_ program: cl_program) -> String {
        var size = 0
        clGetProgramBuildInfo(program, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), 0, nil, &size)
        guard size > 1 else { return "(empty build log)" }
        var bytes = [CChar](repeating: 0, count: size)
        clGetProgramBuildInfo(program, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), size, &bytes, nil)
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func programBinary(_ program: cl_program) -> [UInt8]? {
        var size = 0
        guard clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARY_SIZES), MemoryLayout<Int>.size, &size, nil) == CL_SUCCESS,
              size > 0 else { return nil }
        var binary = [UInt8](repeating: 0, count: size)
        let ok: Bool = binary.withUnsafeMutableBufferPointer { buf in
            var pointer: UnsafeMutablePointer<UInt8>? = buf.baseAddress
            return clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARIES), MemoryLayout<UnsafeMutablePointer<UInt8>?>.size, &pointer, nil) == CL_SUCCESS
        }
        return ok ? binary : nil
    }
}

/// An in-order profiling queue on `device`: `clCreateCommandQueueWithProperties` (OpenCL 2.0+),
/// or `clCreateCommandQueue` on OpenCL 1.x platforms and drivers that lack the 2.0 call (the
/// ICD loader exports it whatever the platform implements). `legacyOnly` forces that path and
/// is set when it was taken. nil with `status` set on failure.
func makeProfilingQueue(context: cl_context, device: OpenCLDevice, legacyOnly: inout Bool, status: inout cl_int) -> cl_command_queue? {
    if !legacyOnly {
        let properties: [cl_queue_properties] = [cl_queue_properties(CL_QUEUE_PROPERTIES),
                                                 cl_queue_properties(CL_QUEUE_PROFILING_ENABLE), 0]
        if let q = clCreateCommandQueueWithProperties(context, device.id, properties, &status), status == CL_SUCCESS { return q }
        legacyOnly = true   // a driver without the 2.0 entry point answers an error: fall back
    }
    let q = clCreateCommandQueue(context, device.id, cl_command_queue_properties(CL_QUEUE_PROFILING_ENABLE), &status)
    return status == CL_SUCCESS ? q : nil
}
