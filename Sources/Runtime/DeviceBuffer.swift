import COpenCL
import Foundation

/// A block of device memory. Returned to its pool when the last reference goes away, so a
/// steady-state frame reuses the previous frame's buffers instead of allocating new ones.
public final class DeviceBuffer: @unchecked Sendable {
    /// The OpenCL memory object.
    public let mem: cl_mem
    /// Size in bytes.
    public let byteCount: Int
    private let pool: BufferPool?

    init(mem: cl_mem, byteCount: Int, pool: BufferPool?) {
        self.mem = mem
        self.byteCount = byteCount
        self.pool = pool
    }

    deinit {
        if let pool { pool.recycle(mem, byteCount: byteCount) } else { clReleaseMemObject(mem) }
    }
}

/// Free device buffers keyed by exact byte size. Allocation statistics let tests check that a
/// repeated workload allocates nothing new.
public final class BufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Int: [cl_mem]] = [:]
    private let context: cl_context
    /// Number of `clCreateBuffer` calls made so far.
    public private(set) var allocations = 0
    /// Bytes currently held by the pool or by live buffers.
    public private(set) var bytesAllocated = 0

    init(context: cl_context) { self.context = context }

    /// A buffer of exactly `byteCount` bytes, reused when one is free.
    public func buffer(byteCount: Int) throws -> DeviceBuffer {
        let size = max(byteCount, 4)
        lock.lock()
        if var list = free[size], let mem = list.popLast() {
            free[size] = list
            lock.unlock()
            return DeviceBuffer(mem: mem, byteCount: size, pool: self)
        }
        lock.unlock()
        // Out of memory with free buffers of other sizes held: release them and try once more.
        let mem: cl_mem
        do { mem = try create(size) } catch let error as OpenCLError where [-4, -5, -6].contains(error.code) {
            trim()
            mem = try create(size)
        }
        lock.lock()
        allocations += 1
        bytesAllocated += size
        lock.unlock()
        return DeviceBuffer(mem: mem, byteCount: size, pool: self)
    }

    private func create(_ size: Int) throws -> cl_mem {
        lock.lock()
        let live = bytesAllocated
        lock.unlock()
        if FaultInjection.failsAllocation(bytes: size, live: live) {
            throw OpenCLError(code: -4, call: "clCreateBuffer", detail: "\(size) bytes (injected by \(FaultInjection.variable))")
        }
        var status: cl_int = 0
        guard let mem = clCreateBuffer(context, cl_mem_flags(CL_MEM_READ_WRITE), size, nil, &status),
              status == CL_SUCCESS else {
            throw OpenCLError(code: status == 0 ? -4 : status, call: "clCreateBuffer", detail: "\(size) bytes")
        }
        return mem
    }

    func recycle(_ mem: cl_mem, byteCount: Int) {
        lock.lock()
        free[byteCount, default: []].append(mem)
        lock.unlock()
    }

    /// Releases every free buffer back to the driver.
    public func trim() {
        lock.lock()
        for (size, list) in free {
            for mem in list { clReleaseMemObject(mem); bytesAllocated -= size }
        }
        free.removeAll()
        lock.unlock()
    }

    deinit { trim() }
}
