import COpenCL

/// A failed OpenCL call, shown by the name of its status code (`CL_OUT_OF_RESOURCES`, not -5).
public struct OpenCLError: Error, CustomStringConvertible, Sendable {
    /// The raw status code the driver returned.
    public let code: Int32
    /// The OpenCL entry point that failed, e.g. `clEnqueueNDRangeKernel`.
    public let call: String
    /// Extra context: the kernel name, the build log, the buffer size...
    public let detail: String

    /// Creates an error for `call` that returned `code`.
    public init(code: Int32, call: String, detail: String = "") {
        self.code = code
        self.call = call
        self.detail = detail
    }

    /// The symbolic name of `code`, e.g. `CL_INVALID_WORK_GROUP_SIZE`.
    public var name: String { OpenCLError.name(of: code) }

    public var description: String {
        var text = "\(call) failed with \(name) (\(code))"
        if !detail.isEmpty { text += ": \(detail)" }
        if let hint = hint { text += "\n  hint: \(hint)" }
        return text
    }

    /// What a user can do about the common failures.
    var hint: String? {
        switch code {
        case -1001: return "no OpenCL platform is installed; install pocl-opencl-icd (CPU) or your GPU vendor's OpenCL driver, or use --device cpu"
        case -4, -5, -6: return "the device ran out of memory; try a smaller input or --device cpu"
        case -11: return "the kernel source did not compile on this device; the build log is above"
        default: return nil
        }
    }

    /// Symbolic names of the OpenCL status codes.
    public static func name(of code: Int32) -> String {
        if let known = names[code] { return known }
        return "CL_UNKNOWN_ERROR"
    }

    private static let names: [Int32: String] = [
        0: "CL_SUCCESS", -1: "CL_DEVICE_NOT_FOUND", -2: "CL_DEVICE_NOT_AVAILABLE",
        -3: "CL_COMPILER_NOT_AVAILABLE", -4: "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5: "CL_OUT_OF_RESOURCES", -6: "CL_OUT_OF_HOST_MEMORY",
        -7: "CL_PROFILING_INFO_NOT_AVAILABLE", -8: "CL_MEM_COPY_OVERLAP",
        -9: "CL_IMAGE_FORMAT_MISMATCH", -10: "CL_IMAGE_FORMAT_NOT_SUPPORTED",
        -11: "CL_BUILD_PROGRAM_FAILURE", -12: "CL_MAP_FAILURE",
        -13: "CL_MISALIGNED_SUB_BUFFER_OFFSET", -14: "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST",
        -15: "CL_COMPILE_PROGRAM_FAILURE", -16: "CL_LINKER_NOT_AVAILABLE",
        -17: "CL_LINK_PROGRAM_FAILURE", -18: "CL_DEVICE_PARTITION_FAILED",
        -19: "CL_KERNEL_ARG_INFO_NOT_AVAILABLE", -30: "CL_INVALID_VALUE",
        -31: "CL_INVALID_DEVICE_TYPE", -32: "CL_INVALID_PLATFORM", -33: "CL_INVALID_DEVICE",
        -34: "CL_INVALID_CONTEXT", -35: "CL_INVALID_QUEUE_PROPERTIES",
        -36: "CL_INVALID_COMMAND_QUEUE", -37: "CL_INVALID_HOST_PTR", -38: "CL_INVALID_MEM_OBJECT",
        -39: "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR", -40: "CL_INVALID_IMAGE_SIZE",
        -41: "CL_INVALID_SAMPLER", -42: "CL_INVALID_BINARY", -43: "CL_INVALID_BUILD_OPTIONS",
        -44: "CL_INVALID_PROGRAM", -45: "CL_INVALID_PROGRAM_EXECUTABLE",
        -46: "CL_INVALID_KERNEL_NAME", -47: "CL_INVALID_KERNEL_DEFINITION",
        -48: "CL_INVALID_KERNEL", -49: "CL_INVALID_ARG_INDEX", -50: "CL_INVALID_ARG_VALUE",
        -51: "CL_INVALID_ARG_SIZE", -52: "CL_INVALID_KERNEL_ARGS",
        -53: "CL_INVALID_WORK_DIMENSION", -54: "CL_INVALID_WORK_GROUP_SIZE",
        -55: "CL_INVALID_WORK_ITEM_SIZE", -56: "CL_INVALID_GLOBAL_OFFSET",
        -57: "CL_INVALID_EVENT_WAIT_LIST", -58: "CL_INVALID_EVENT", -59: "CL_INVALID_OPERATION",
        -60: "CL_INVALID_GL_OBJECT", -61: "CL_INVALID_BUFFER_SIZE", -62: "CL_INVALID_MIP_LEVEL",
        -63: "CL_INVALID_GLOBAL_WORK_SIZE", -64: "CL_INVALID_PROPERTY",
        -65: "CL_INVALID_IMAGE_DESCRIPTOR", -66: "CL_INVALID_COMPILER_OPTIONS",
        -67: "CL_INVALID_LINKER_OPTIONS", -68: "CL_INVALID_DEVICE_PARTITION_COUNT",
        -69: "CL_INVALID_PIPE_SIZE", -70: "CL_INVALID_DEVICE_QUEUE", -71: "CL_INVALID_SPEC_ID",
        -72: "CL_MAX_SIZE_RESTRICTION_EXCEEDED", -1001: "CL_PLATFORM_NOT_FOUND_KHR",
    ]
}

/// Throws an `OpenCLError` unless `status` is `CL_SUCCESS`.
@inline(__always)
func check(_ status: cl_int, _ call: String, _ detail: @autoclosure () -> String = "") throws {
    if status != CL_SUCCESS { throw OpenCLError(code: status, call: call, detail: detail()) }
}
