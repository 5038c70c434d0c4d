import COpenCL

/// One argument of a kernel launch, with the exact C width the kernel expects.
public enum KernelArgument: Sendable {
    /// A `__global` buffer.
    case buffer(DeviceBuffer)
    /// An `int` (32-bit) scalar.
    case int(Int32)
    /// A `float` scalar.
    case float(Float)
    /// `__local` memory of this many bytes.
    case local(Int)

    /// Convenience for Swift `Int` values passed to `int` parameters.
    public static func i(_ v: Int) -> KernelArgument { .int(Int32(truncatingIfNeeded: v)) }

    func set(on kernel: cl_kernel, index: cl_uint) -> cl_int {
        switch self {
        case .buffer(let b):
            var mem: cl_mem? = b.mem
            return clSetKernelArg(kernel, index, MemoryLayout<cl_mem?>.size, &mem)
        case .int(let v):
            var x = v
            return clSetKernelArg(kernel, index, 4, &x)
        case .float(let v):
            var x = v
            return clSetKernelArg(kernel, index, 4, &x)
        case .local(let bytes):
            return clSetKernelArg(kernel, index, bytes, nil)
        }
    }
}

/// The arithmetic and memory traffic of one launch, for GFLOP/s and GB/s columns.
public struct KernelCost: Sendable {
    /// Floating-point operations (an FMA counts 2).
    public var flops: Double
    /// Bytes read plus written, counting each tensor once.
    public var bytes: Double
    /// Creates a cost.
    public init(flops: Double, bytes: Double) { self.flops = flops; self.bytes = bytes }
    /// No arithmetic, no traffic.
    public static let zero = KernelCost(flops: 0, bytes: 0)
}
