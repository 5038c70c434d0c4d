import Foundation
import Runtime
import Testing

/// The runtime against the first OpenCL device (PoCL in CI): build errors carry the build log,
/// launches round global sizes up, buffers are pooled, the binary cache is keyed and atomic.
@Suite(.serialized)
struct OpenCLRuntimeTests {
    static let device = OpenCLDevice.all().first

    static let source = """
    __kernel void add_one(__global float* x, int n) { int i = get_global_id(0); if (i < n) x[i] += 1.0f; }
    """

    @Test func errorCodesAreShownByName() {
        let e = OpenCLError(code: -54, call: "clEnqueueNDRangeKernel", detail: "conv")
        #expect(e.name == "CL_INVALID_WORK_GROUP_SIZE")
        #expect("\(e)".contains("CL_INVALID_WORK_GROUP_SIZE (-54)"))
        #expect(OpenCLError.name(of: -5) == "CL_OUT_OF_RESOURCES")
        #expect("\(OpenCLError(code: -1001, call: "clGetPlatformIDs"))".contains("pocl-opencl-icd"))
    }

    @Test func buildFailureCarriesTheBuildLog() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: "__kernel void broken(__global float* x) { x[0] = undefined_name; }", cacheDirectory: nil)
        #expect {
            try context.kernel("broken")
        } throws: { error in
            let text = "\(error)"
            return text.contains("CL_BUILD_PROGRAM_FAILURE") && text.contains("build log") && text.contains("undefined_name")
        }
    }

    @Test func launchRoundsGlobalSizeUpAndKernelsGuardTheTail() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil)
        let values: [Float] = (0..<13).map(Float.init)
        let buffer = try context.upload(values)
        try context.launch("add_one", global: [13], local: [8], arguments: [.buffer(buffer), .int(13)])
        #expect(try context.download(buffer, count: 13) == values.map { $0 + 1 })
    }

    @Test func buffersReturnToThePoolAndAreReused() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil)
        do { _ = try context.makeBuffer(byteCount: 4096) }
        let before = context.pool.allocations
        for _ in 0..<5 { _ = try context.makeBuffer(byteCount: 4096) }
        #expect(context.pool.allocations == before, "a released buffer of the same size is reused")
        _ = try context.makeBuffer(byteCount: 8192)
        #expect(context.pool.allocations == before + 1)
    }

    @Test func profilerTimesLaunchesWithEvents() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil)
        let profiler = Profiler()
        context.profiler = profiler
        let buffer = try context.upload([Float](repeating: 0, count: 1024))
        try profiler.withStage("stage") {
            try context.launch("add_one", global: [1024], local: [64], arguments: [.buffer(buffer), .int(1024)], cost: KernelCost(flops: 1024, bytes: 8192))
        }
        try context.finish()
        let timings = profiler.drain()
        #expect(timings.count == 1)
        #expect(timings.first?.name == "add_one")
        #expect(timings.first?.stage == "stage")
        #expect((timings.first?.endNs ?? 0) >= (timings.first?.startNs ?? 1))
    }

    @Test func programCacheKeysDependOnEverythingAndWritesAtomically() throws {
        guard let device = Self.device else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-cache-\(UUID().uuidString)")
        let cache = ProgramCache(directory: dir)
        let k1 = cache.key(source: "a", options: "-DX=1", device: device)
        #expect(k1 == cache.key(source: "a", options: "-DX=1", device: device))
        #expect(k1 != cache.key(source: "b", options: "-DX=1", device: device))
        #expect(k1 != cache.key(source: "a", options: "-DX=2", device: device))
        #expect(k1.count == 32)
        #expect(cache.load(key: k1) == nil)
        cache.store([1, 2, 3], key: k1)
        #expect(cache.load(key: k1) == [1, 2, 3])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp") }
        #expect(leftovers.isEmpty)
    }
}
