/// Errors of the runtime layer that are not raw OpenCL failures.
public enum RuntimeError: Error, CustomStringConvertible, Sendable {
    /// A `--device` / `PORTRAIT_DEVICE` value that is not `cpu`, `opencl` or `opencl:N`.
    case invalidDeviceSpec(String)
    /// `opencl:N` named a device index that does not exist.
    case noSuchDevice(index: Int, available: Int)
    /// An OpenCL device was asked for explicitly but none is installed.
    case noOpenCLDevice(reason: String)
    /// A tensor's shape did not match what an operation needs.
    case shapeMismatch(String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// `PORTRAIT_FAULT` holds a value the fault hook does not know.
    case invalidFault(String)
    /// A launch's work-group size is not one the kernel can run with on this device (checked
    /// against `KernelLimits` before enqueueing); `setting` names the variant that chose it.
    case workGroupUnsupported(kernel: String, reason: String, setting: String?)
    /// A kernel argument or buffer exceeds the kernels' 32-bit indexing.
    case argumentOutOfRange(kernel: String, index: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidDeviceSpec(let s):
            return "unknown device '\(s)': use cpu, opencl (fastest GPU, else first OpenCL device) or opencl:N (see `portrait devices`)"
        case .noSuchDevice(let i, let n):
            return n == 0
                ? "device opencl:\(i) does not exist: no OpenCL device is installed (install pocl-opencl-icd or a GPU driver, or use --device cpu)"
                : "device opencl:\(i) does not exist: there are \(n) OpenCL device(s), opencl:0...opencl:\(n - 1) (see `portrait devices`)"
        case .noOpenCLDevice(let reason):
            return "no OpenCL device available (\(reason)); install pocl-opencl-icd or a GPU driver, or use --device cpu"
        case .shapeMismatch(let s):
            return "shape mismatch: \(s)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .workGroupUnsupported(let kernel, let reason, let setting):
            let fix = setting.map { "lower \($0) in PORTRAIT_VARIANTS to fit (`portrait devices --verbose` shows the table)" } ?? "this is an engine bug: please report it with `portrait devices --verbose`"
            return "kernel \(kernel) cannot launch on this device: \(reason); \(fix)"
        case .argumentOutOfRange(let kernel, let index, let reason):
            return "kernel \(kernel) argument \(index): \(reason); the input is too large for one launch: use a smaller input or --device cpu"
        case .invalidFault(let value):
            return "PORTRAIT_FAULT='\(value)' is not a known fault: use alloc, device-memory:BYTES, build, kill-after-frames:N or sigkill-after-frames:N (a test hook; unset it for normal runs)"
        }
    }
}
