import COpenCL
import Foundation

/// One OpenCL device, with the facts `portrait devices` shows and the selector uses.
public struct OpenCLDevice: @unchecked Sendable, CustomStringConvertible {
    /// Index in the flattened list of all devices of all platforms (`opencl:N`).
    public let index: Int
    /// The platform name, e.g. `Portable Computing Language` or `NVIDIA CUDA`.
    public let platformName: String
    /// The platform version string.
    public let platformVersion: String
    /// The device name, e.g. `NVIDIA H100 80GB HBM3`.
    public let name: String
    /// The device vendor string.
    public let vendor: String
    /// The driver version string.
    public let driverVersion: String
    /// The OpenCL version the device supports.
    public let deviceVersion: String
    /// Whether this is a GPU (`CL_DEVICE_TYPE_GPU`).
    public let isGPU: Bool
    /// Number of compute units (SMs, CUs, or CPU cores for PoCL).
    public let computeUnits: Int
    /// Maximum clock frequency in MHz.
    public let clockMHz: Int
    /// Global memory in bytes.
    public let globalMemoryBytes: UInt64
    /// Largest single allocation in bytes.
    public let maxAllocationBytes: UInt64
    /// Local (shared) memory per work-group in bytes.
    public let localMemoryBytes: UInt64
    /// Whether local memory is dedicated (fast) rather than emulated in global memory.
    public let hasDedicatedLocalMemory: Bool
    /// Largest work-group size.
    public let maxWorkGroupSize: Int
    /// Largest work-group extent along each dimension (`CL_DEVICE_MAX_WORK_ITEM_SIZES`).
    public let maxWorkItemSizes: [Int]
    /// Whether the device advertises `cl_khr_fp16`.
    public let supportsFP16: Bool
    /// The device's extension list.
    public let extensions: String
    /// The raw `cl_device_id` handle.
    let id: cl_device_id
    /// The raw `cl_platform_id` handle.
    let platform: cl_platform_id

    /// Whether the device is PoCL (which keeps its own kernel cache).
    public var isPoCL: Bool { platformName.contains("Portable Computing Language") || platformVersion.contains("PoCL") }

    /// Whether the platform or the device is OpenCL 1.x (no `clCreateCommandQueueWithProperties`).
    public var isOpenCL1x: Bool { platformVersion.hasPrefix("OpenCL 1.") || deviceVersion.hasPrefix("OpenCL 1.") }

    public var description: String { "opencl:\(index) \(name) [\(platformName)]" }

    /// Every OpenCL device of every platform, in platform order. Empty when no ICD is installed.
    /// Enumerated once per process (thread-safe: ICD loaders and PoCL's start-up are not safe to
    /// enter from two threads at once).
    public static func all() -> [OpenCLDevice] { enumerated }

    private static let enumerated: [OpenCLDevice] = OpenCLGlobalLock.withLock { enumerate() }

    private static func enumerate() -> [OpenCLDevice] {
        var platformCount: cl_uint = 0
        guard clGetPlatformIDs(0, nil, &platformCount) == CL_SUCCESS, platformCount > 0 else { return [] }
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        guard clGetPlatformIDs(platformCount, &platforms, nil) == CL_SUCCESS else { return [] }
        var result: [OpenCLDevice] = []
        for case let platform? in platforms {
            var deviceCount: cl_uint = 0
            let all = cl_device_type(CL_DEVICE_TYPE_ALL)
            guard clGetDeviceIDs(platform, all, 0, nil, &deviceCount) == CL_SUCCESS, deviceCount > 0 else { continue }
            var devices = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            guard clGetDeviceIDs(platform, all, deviceCount, &devices, nil) == CL_SUCCESS else { continue }
            for case let device? in devices {
                result.append(OpenCLDevice(index: result.count, platform: platform, device: device))
            }
        }
        return result
    }

    init(index: Int, platform: cl_platform_id, device: cl_device_id) {
        self.index = index
        self.platform = platform
        self.id = device
        platformName = platformString(platform, cl_platform_info(CL_PLATFORM_NAME))
        platformVersion = platformString(platform, cl_platform_info(CL_PLATFORM_VERSION))
        name = deviceString(device, cl_device_info(CL_DEVICE_NAME))
        vendor = deviceString(device, cl_device_info(CL_DEVICE_VENDOR))
        driverVersion = deviceString(device, cl_device_info(CL_DRIVER_VERSION))
        deviceVersion = deviceString(device, cl_device_info(CL_DEVICE_VERSION))
        extensions = deviceString(device, cl_device_info(CL_DEVICE_EXTENSIONS))
        let type: cl_device_type = deviceValue(device, cl_device_info(CL_DEVICE_TYPE), 0)
        isGPU = type & cl_device_type(CL_DEVICE_TYPE_GPU) != 0
        computeUnits = Int(deviceValue(device, cl_device_info(CL_DEVICE_MAX_COMPUTE_UNITS), cl_uint(0)))
        clockMHz = Int(deviceValue(device, cl_device_info(CL_DEVICE_MAX_CLOCK_FREQUENCY), cl_uint(0)))
        globalMemoryBytes = deviceValue(device, cl_device_info(CL_DEVICE_GLOBAL_MEM_SIZE), cl_ulong(0))
        maxAllocationBytes = deviceValue(device, cl_device_info(CL_DEVICE_MAX_MEM_ALLOC_SIZE), cl_ulong(0))
        localMemoryBytes = deviceValue(device, cl_device_info(CL_DEVICE_LOCAL_MEM_SIZE), cl_ulong(0))
        let localType: cl_device_local_mem_type = deviceValue(device, cl_device_info(CL_DEVICE_LOCAL_MEM_TYPE), 0)
        hasDedicatedLocalMemory = localType == cl_device_local_mem_type(CL_LOCAL)
        maxWorkGroupSize = deviceValue(device, cl_device_info(CL_DEVICE_MAX_WORK_GROUP_SIZE), Int(0))
        let dimensions = Int(deviceValue(device, cl_device_info(CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS), cl_uint(0)))
        maxWorkItemSizes = deviceSizes(device, cl_device_info(CL_DEVICE_MAX_WORK_ITEM_SIZES), count: dimensions)
        supportsFP16 = extensions.contains("cl_khr_fp16")
    }
}

/// Serialises process-wide OpenCL set-up calls (platform enumeration, context creation).
enum OpenCLGlobalLock {
    private static let lock = NSLock()
    /// Runs `body` while holding the lock.
    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }
}

private func deviceString(_ device: cl_device_id, _ param: cl_device_info) -> String {
    var size = 0
    guard clGetDeviceInfo(device, param, 0, nil, &size) == CL_SUCCESS, size > 0 else { return "" }
    var bytes = [CChar](repeating: 0, count: size)
    guard clGetDeviceInfo(device, param, size, &bytes, nil) == CL_SUCCESS else { return "" }
    return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .trimmingCharacters(in: .whitespaces)
}

private func platformString(_ platform: cl_platform_id, _ param: cl_platform_info) -> String {
    var size = 0
    guard clGetPlatformInfo(platform, param, 0, nil, &size) == CL_SUCCESS, size > 0 else { return "" }
    var bytes = [CChar](repeating: 0, count: size)
    guard clGetPlatformInfo(platform, param, size, &bytes, nil) == CL_SUCCESS else { return "" }
    return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func deviceSizes(_ device: cl_device_id, _ param: cl_device_info, count: Int) -> [Int] {
    guard count > 0 else { return [] }
    var sizes = [Int](repeating: 0, count: count)
    let status = sizes.withUnsafeMutableBytes { raw in clGetDeviceInfo(device, param, raw.count, raw.baseAddress, nil) }
    return status == CL_SUCCESS ? sizes : []
}

private func deviceValue<T>(_ device: cl_device_id, _ param: cl_device_info, _ zero: T) -> T {
    var value = zero
    _ = withUnsafeMutableBytes(of: &value) { raw in
        clGetDeviceInfo(device, param, raw.count, raw.baseAddress, nil)
    }
    return value
}
