import Foundation
import Kernels
import Runtime
import Testing

/// Every `__kernel` of Kernels.cl must run in the test suite. This test does not rely on other
/// suites having run first: on a private engine (its context records what it launched) it runs
/// `KernelSweep` — every catalog case, and every value of every `KernelVariants` key on the ops
/// it affects, each against the CPU reference — plus the two kernels outside the catalog (the
/// watermark's `luma_pattern_add`, `peak_fma` under each `peak.*` value). So the GPU-path
/// kernels (`group_norm_partial`, `norm_apply`, ...) are checked on PoCL, and a new kernel that
/// nothing launches fails here.
@Suite(.serialized)
struct KernelCoverageTests {
    @Test("every variant of every op equals the CPU, and every kernel in Kernels.cl is launched")
    func everyKernelLaunchedAndEveryVariantMatches() throws {
        guard let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all()) else {
            if TestEngines.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
            return
        }
        let engine = try Engine.opencl(device, environment: [:])
        let cl = try #require(engine.openCL)

        let report = try KernelSweep.run(candidate: engine, reference: TestEngines.cpu)
        for failure in report.failures { Issue.record("\(failure)") }
        let table = engine.variants
        let swept = try Set(report.rows.compactMap(\.variant).map { try table.overridden(by: $0).overrideString })
        for key in KernelVariants.keys where !key.ops.isEmpty {
            for with in key.sweepBases {
                for value in key.sweep {
                    let wanted = try key.setting(value, in: try table.overridden(by: with))
                    #expect(wanted == table || swept.contains(wanted.overrideString), "\(key.name)=\(value) (with '\(with)') was never run by the sweep")
                }
            }
        }
        #expect(Set(report.defined) == Self.kernelNames(inSource: KernelSource.text),
                "the driver's kernel list and the kernels written in Kernels.cl differ")
        #expect(report.unlaunched.isEmpty, "kernels in Kernels.cl that no test launched: \(report.unlaunched.joined(separator: ", "))")
        #expect(report.defined.count >= 40)
        #expect(try cl.kernelNames() == report.defined)
    }

    @Test("the source scan finds plain and macro-generated kernels")
    func sourceScan() {
        let source = """
        __kernel void plain(__global float* x) {}
        __kernel __attribute__((reqd_work_group_size(64, 1, 1))) void sized(__global float* x) {}
        #define MAKE_KERNEL(NAME, K) \\
            __kernel void NAME(__global float* x) { body(x, K); }
        MAKE_KERNEL(made_one, 1)
        MAKE_KERNEL(made_two, 2)
        """
        #expect(Self.kernelNames(inSource: source) == ["plain", "sized", "made_one", "made_two"])
    }

    /// `__kernel void name(` definitions, plus the instances of macros whose body defines
    /// `__kernel void NAME(` (`CONV_TILE_KERNEL(conv_k3s1_tile, 3, 1)`).
    static func kernelNames(inSource source: String) -> Set<String> {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var names: Set<String> = [], macros: Set<String> = []
        for (i, line) in lines.enumerated() {
            // `__kernel void name(`, or `__kernel __attribute__((...)) void name(` (reqd_work_group_size).
            if line.hasPrefix("__kernel "), let name = identifier(after: "void ", in: line), name != "NAME" { names.insert(name) }
            if line.hasPrefix("#define "), let macro = identifier(after: "#define ", in: line),
               (lines[i...].prefix(3).contains { $0.contains("__kernel void NAME(") }) {
                macros.insert(macro)
            }
        }
        for line in lines {
            for macro in macros where line.hasPrefix(macro + "(") {
                if let name = identifier(after: macro + "(", in: line) { names.insert(name) }
            }
        }
        return names
    }

    private static func identifier(after prefix: String, in line: String) -> String? {
        guard let range = line.range(of: prefix) else { return nil }
        let name = line[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}
