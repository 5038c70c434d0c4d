import Foundation
import Runtime
import Testing

/// Work-group limits queried from the driver and applied before every launch; 32-bit kernel
/// arguments checked; the OpenCL 1.2 queue path; caches under $HOME.
@Suite(.serialized)
struct KernelLimitsTests {
    static let device = OpenCLDevice.all().first

    static let source = """
    __kernel void add_one(__global float* x, int n) { int i = get_global_id(0); if (i < n) x[i] += 1.0f; }
    __kernel __attribute__((reqd_work_group_size(16, 1, 1))) void add_two(__global float* x, int n) {
        int i = get_global_id(0); if (i < n) x[i] += 2.0f;
    }
    """

    @Test("a size above the kernel's limit is shrunk when suggested, an error naming the limit when fixed")
    func limitsDecide() {
        let limits = KernelLimits(maxItems: 256, preferredMultiple: 32, maxItemSizes: [1024, 1024, 64], requiredSize: nil)
        #expect(limits.violation(of: [16, 16, 1]) == nil)
        #expect(limits.violation(of: [512, 1, 1])?.contains("at most 256") == true)
        #expect(limits.violation(of: [1, 1, 128])?.contains("at most 64 there") == true)
        #expect(limits.fitting([1024, 1, 1]) == [256, 1, 1])
        #expect(limits.fitting([32, 32, 1]) == [16, 16, 1])
        #expect(limits.fitting([8, 8]) == [8, 8])
        #expect(limits.wideGroup(minimum: 64) == 64)
        #expect(KernelLimits(maxItems: 1024, preferredMultiple: 96, maxItemSizes: [1024], requiredSize: nil).wideGroup(minimum: 64) == 64)
        #expect(KernelLimits(maxItems: 32, preferredMultiple: 32, maxItemSizes: [1024], requiredSize: nil).wideGroup(minimum: 64) == 32)
        let required = KernelLimits(maxItems: 256, preferredMultiple: 32, maxItemSizes: [1024, 1024, 64], requiredSize: [16, 4, 1])
        #expect(required.violation(of: [16, 4]) == nil)
        #expect(required.violation(of: [16, 4, 1]) == nil)
        #expect(required.violation(of: [8, 8, 1])?.contains("reqd_work_group_size") == true)
        #expect(required.fitting([8, 8, 1]) == [8, 8, 1], "a required size is never changed silently")
    }

    @Test("the driver's limits are queried; required sizes are enforced; suggested sizes fit")
    func queriedAndEnforced() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil)
        let plain = try context.limits(of: "add_one")
        #expect(plain.maxItems >= 1 && plain.maxItems <= max(device.maxWorkGroupSize, 1))
        #expect(plain.requiredSize == nil)
        #expect(!plain.maxItemSizes.isEmpty)
        let sized = try context.limits(of: "add_two")
        #expect(sized.requiredSize == [16, 1, 1])

        let values: [Float] = (0..<40).map(Float.init)
        let buffer = try context.upload(values)
        try context.launch("add_two", global: [40], local: [16], arguments: [.buffer(buffer), .i(40)])
        #expect(try context.download(buffer, count: 40) == values.map { $0 + 2 })
        #expect {
            try context.launch("add_two", global: [40], local: [8], arguments: [.buffer(buffer), .i(40)])
        } throws: { error in
            guard case RuntimeError.workGroupUnsupported(let kernel, let reason, _) = error else { return false }
            return kernel == "add_two" && reason.contains("reqd_work_group_size")
        }
        // A fixed size (a variant override) above the kernel's limit: an error naming the limit and the setting.
        let tooMany = plain.maxItems * 2
        #expect {
            try context.launch("add_one", global: [tooMany], local: [tooMany], exactLocalSetting: "peak.local", arguments: [.buffer(buffer), .i(0)])
        } throws: { error in
            let text = "\(error)"
            return text.contains("at most \(plain.maxItems)") && text.contains("peak.local")
        }
        // The same size only suggested: shrunk to the limit, and the kernel runs.
        let fitted = try context.launchLocal("add_one", local: [tooMany])
        #expect(fitted.reduce(1, *) <= plain.maxItems)
        try context.launch("add_one", global: [40], local: [tooMany], arguments: [.buffer(buffer), .i(40)])
        #expect(try context.download(buffer, count: 40) == values.map { $0 + 3 })
    }

    @Test("int arguments and buffers past 32-bit indexing are errors, never truncated")
    func argumentsChecked() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil)
        let buffer = try context.upload([1, 2, 3])
        #expect {
            try context.launch("add_one", global: [3], local: [1], arguments: [.buffer(buffer), .i(1 << 32 | 3)])
        } throws: { error in
            guard case RuntimeError.argumentOutOfRange(let kernel, let index, let reason) = error else { return false }
            return kernel == "add_one" && index == 1 && reason.contains("\(1 << 32 | 3)")
        }
        #expect(try context.download(buffer, count: 3) == [1, 2, 3], "nothing ran")
        #expect {
            try context.launch("add_one", global: [Int(Int32.max) + 1], local: [1], arguments: [.buffer(buffer), .i(3)])
        } throws: { error in
            guard case RuntimeError.argumentOutOfRange = error else { return false }
            return "\(error)".contains("get_global_id")
        }
    }

    @Test("the OpenCL 1.2 queue call runs kernels and profiles them")
    func legacyQueue() throws {
        guard let device = Self.device else { return }
        let context = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil, legacyQueue: true)
        #expect(context.usesLegacyQueue)
        let profiler = Profiler()
        context.profiler = profiler
        let buffer = try context.upload([0, 1])
        try context.launch("add_one", global: [2], local: [1], arguments: [.buffer(buffer), .i(2)])
        #expect(try context.download(buffer, count: 2) == [1, 2])
        #expect(profiler.drain().count == 1, "profiling events work on the 1.2 queue")
        let modern = try OpenCLContext(device: device, source: Self.source, cacheDirectory: nil)
        #expect(modern.usesLegacyQueue == device.isOpenCL1x)
    }

    @Test("caches follow $HOME when XDG_CACHE_HOME is unset")
    func cachesUnderHome() {
        #expect(UserCache.base(environment: ["HOME": "/tmp/some-home"]).path == "/tmp/some-home/.cache")
        #expect(UserCache.base(environment: ["HOME": "/tmp/h", "XDG_CACHE_HOME": "/tmp/x"]).path == "/tmp/x")
        #expect(ProgramCache.defaultDirectory(environment: ["HOME": "/tmp/some-home"])?.path == "/tmp/some-home/.cache/portraitcl")
        #expect(ProgramCache.defaultDirectory(environment: ["PORTRAIT_CACHE_DIR": ""]) == nil)
    }
}
