import COpenCL

/// What one compiled kernel allows as a work-group on its device, queried from the driver
/// (`clGetKernelWorkGroupInfo`) and the device: every local size a launch uses is checked
/// against it, and ops that pick their own size derive it from `maxItems` and
/// `preferredMultiple`.
public struct KernelLimits: Sendable, Equatable, CustomStringConvertible {
    /// Largest work-group for this kernel: `CL_KERNEL_WORK_GROUP_SIZE` (registers and local
    /// memory of the compiled kernel), never above the device's `CL_DEVICE_MAX_WORK_GROUP_SIZE`.
    public let maxItems: Int
    /// `CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE` (the warp / wavefront / SIMD width; 1 when
    /// the driver does not say).
    public let preferredMultiple: Int
    /// `CL_DEVICE_MAX_WORK_ITEM_SIZES`: the largest extent along each dimension.
    public let maxItemSizes: [Int]
    /// `CL_KERNEL_COMPILE_WORK_GROUP_SIZE`: the size the kernel declares with
    /// `reqd_work_group_size`, nil when it declares none (every launch must then use exactly it).
    public let requiredSize: [Int]?

    /// Creates limits from explicit values (tests, and devices simulated smaller than they are).
    public init(maxItems: Int, preferredMultiple: Int, maxItemSizes: [Int], requiredSize: [Int]?) {
        self.maxItems = max(1, maxItems)
        self.preferredMultiple = max(1, preferredMultiple)
        self.maxItemSizes = maxItemSizes
        self.requiredSize = requiredSize
    }

    public var description: String {
        var text = "at most \(maxItems) items per work-group (preferred multiple \(preferredMultiple)), extents ≤ \(maxItemSizes)"
        if let requiredSize { text += ", required size \(requiredSize)" }
        return text
    }

    /// Why `local` cannot be launched, nil when it can.
    public func violation(of local: [Int]) -> String? {
        if local.contains(where: { $0 < 1 }) { return "local size \(local) has an extent below 1" }
        if let requiredSize {
            let padded = local + Array(repeating: 1, count: max(0, requiredSize.count - local.count))
            if padded != requiredSize { return "the kernel declares reqd_work_group_size\(requiredSize); local size \(local) differs" }
        }
        let items = local.reduce(1, *)
        if items > maxItems { return "local size \(local) has \(items) items; this kernel allows at most \(maxItems) on this device" }
        for (axis, extent) in local.enumerated() where axis < maxItemSizes.count && extent > maxItemSizes[axis] {
            return "local size \(local) is \(extent) along axis \(axis); the device allows at most \(maxItemSizes[axis]) there"
        }
        return nil
    }

    /// `local` shrunk to fit: the largest extent is halved (rounded up) until the size passes,
    /// so a power-of-two request stays a power of two. Required sizes are returned unchanged
    /// (`violation(of:)` reports them).
    public func fitting(_ local: [Int]) -> [Int] {
        if requiredSize != nil { return local }
        var size = local.map { max(1, $0) }
        for axis in size.indices where axis < maxItemSizes.count { size[axis] = min(size[axis], max(1, maxItemSizes[axis])) }
        while size.reduce(1, *) > maxItems, let axis = size.indices.max(by: { size[$0] < size[$1] }), size[axis] > 1 {
            size[axis] = (size[axis] + 1) / 2
        }
        return size
    }

    /// A one-dimensional group of at least `minimum` items, rounded up to the preferred multiple,
    /// capped by `maxItems` (the "wide" launch of lane kernels on GPUs).
    public func wideGroup(minimum: Int) -> Int {
        let multiple = preferredMultiple
        let wanted = (max(minimum, multiple) + multiple - 1) / multiple * multiple
        var width = 1
        while width * 2 <= min(wanted, maxItems) { width *= 2 }
        return width
    }
}

/// Queries the limits of `kernel` on `device` (the kernel's own size, capped by the device's).
func queryKernelLimits(_ kernel: cl_kernel, device: OpenCLDevice) -> KernelLimits {
    func value(_ param: Int32) -> Int {
        var v = 0
        return clGetKernelWorkGroupInfo(kernel, device.id, cl_kernel_work_group_info(param), MemoryLayout<Int>.size, &v, nil) == CL_SUCCESS ? v : 0
    }
    var compiled = [Int](repeating: 0, count: 3)
    let hasCompiled = compiled.withUnsafeMutableBytes { raw in
        clGetKernelWorkGroupInfo(kernel, device.id, cl_kernel_work_group_info(CL_KERNEL_COMPILE_WORK_GROUP_SIZE), raw.count, raw.baseAddress, nil)
    } == CL_SUCCESS && compiled.contains { $0 != 0 }
    let kernelMax = value(CL_KERNEL_WORK_GROUP_SIZE)
    let deviceMax = device.maxWorkGroupSize > 0 ? device.maxWorkGroupSize : kernelMax
    return KernelLimits(maxItems: min(kernelMax > 0 ? kernelMax : deviceMax, deviceMax),
                        preferredMultiple: value(CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE),
                        maxItemSizes: device.maxWorkItemSizes, requiredSize: hasCompiled ? compiled : nil)
}
