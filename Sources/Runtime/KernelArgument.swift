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
    /// A Swift `Int` for an `int` (32-bit) parameter, checked at launch: a value outside
    /// `Int32`'s range is an error (`RuntimeError.argumentOutOfRange`), never a silent truncation.
    case checkedInt(Int)

    /// A Swift `Int` for an `int` parameter (range-checked when the kernel is launched).
    public static func i(_ v: Int) -> KernelArgument { .checkedInt(v) }

    /// The largest element count a buffer may hold: kernels index with 32-bit `int`.
    public static let maxIndexableElements = Int(Int32.max)

    /// Why this argument cannot be passed to a kernel that indexes with 32-bit `int`, nil when it can.
    var rangeViolation: String? {
        switch self {
        case .checkedInt(let v) where v < Int(Int32.min) || v > Int(Int32.max):
            return "the value \(v) does not fit the kernel's 32-bit int parameter"
        case .buffer(let b) where b.byteCount / 4 > Self.maxIndexableElements:
            return "a buffer of \(b.byteCount) bytes holds more than \(Self.maxIndexableElements) floats, past the kernels' 32-bit indexing"
        default:
            return nil
        }
    }

    func set(on kernel: cl_kernel, index: cl_uint) -> cl_int {
        switch self {
        case .checkedInt(let v):
            var x = Int32(clamping: v)   // range-checked by the caller (rangeViolation) before it gets here
            return clSetKernelArg(kernel, index, 4, &x)
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
