import Foundation
import Kernels
import Runtime
import Testing

/// Every `__kernel` of Kernels.cl must run in the test suite. This test does not rely on other
/// suites having run first: on a private engine (its context records what it launched) it runs
/// the whole variant sweep — every catalog case, and every value of every `KernelVariants` key on
/// the ops it affects, each against the CPU reference — plus the two kernels outside the catalog
/// (the watermark's `luma_pattern_add`, `peak_fma` under each `peak.*` value). So the GPU-path
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

        let rows = try OpSuite.compareVariants(OpCatalog.all, reference: TestEngines.cpu, candidate: engine)
        for r in rows where !r.comparison.passed {
            Issue.record("\(r.op) [\(r.label)] with \(r.variant ?? "the device's table"): \(r.comparison) (tolerance \(r.tolerance))")
        }
        let table = engine.variants
        let swept = try Set(rows.compactMap(\.variant).map { try table.overridden(by: $0).overrideString })
        for key in KernelVariants.keys where !key.ops.isEmpty {
            for with in key.sweepBases {
                for value in key.sweep {
                    let wanted = try key.setting(value, in: try table.overridden(by: with))
                    #expect(wanted == table || swept.contains(wanted.overrideString), "\(key.name)=\(value) (with '\(with)') was never run by the sweep")
                }
            }
        }

        let pattern = try LumaPattern(cells: (0..<64).map { Float($0 % 7) / 7 - 0.5 }, cellsPerSide: 8, period: 8)
        let image = Tensor.random([1, 3, 19, 23], seed: 5, range: 0...1)
        let expected = try TestEngines.cpu.values(try TestEngines.cpu.addLumaPattern(image, pattern, strength: 0.02))
        let actual = try engine.values(try engine.addLumaPattern(image, pattern, strength: 0.02))
        #expect(Comparison(actual: actual, reference: expected, tolerance: .tight).passed, "luma_pattern_add differs from the CPU")

        for key in KernelVariants.keys where key.name.hasPrefix("peak.") {
            for value in key.sweep {
                engine.variants = try key.setting(value, in: table)
                let peak = try #require(try engine.measuredPeakGFLOPS())
                #expect(peak.isFinite && peak > 0, "peak with \(key.name)=\(value): \(peak)")
            }
        }
        engine.variants = table

        let defined = try cl.kernelNames()
        #expect(Set(defined) == Self.kernelNames(inSource: KernelSource.text),
                "the driver's kernel list and the kernels written in Kernels.cl differ")
        let missing = Set(defined).subtracting(cl.launchedKernels).sorted()
        #expect(missing.isEmpty, "kernels in Kernels.cl that no test launched: \(missing.joined(separator: ", "))")
        #expect(defined.count >= 40)
    }

    @Test("the source scan finds plain and macro-generated kernels")
    func sourceScan() {
        let source = """
        __kernel void plain(__global float* x) {}
        #define MAKE_KERNEL(NAME, K) \\
            __kernel void NAME(__global float* x) { body(x, K); }
        MAKE_KERNEL(made_one, 1)
        MAKE_KERNEL(made_two, 2)
        """
        #expect(Self.kernelNames(inSource: source) == ["plain", "made_one", "made_two"])
    }

    /// `__kernel void name(` definitions, plus the instances of macros whose body defines
    /// `__kernel void NAME(` (`CONV_TILE_KERNEL(conv_k3s1_tile, 3, 1)`).
    static func kernelNames(inSource source: String) -> Set<String> {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var names: Set<String> = [], macros: Set<String> = []
        for (i, line) in lines.enumerated() {
            if let name = identifier(after: "__kernel void ", in: line), name != "NAME" { names.insert(name) }
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
