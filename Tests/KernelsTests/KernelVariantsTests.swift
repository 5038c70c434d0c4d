import Kernels
import Runtime
import Testing

/// The variant table: device defaults, `PORTRAIT_VARIANTS` parsing and its errors, printing.
struct KernelVariantsTests {
    static let cpu = KernelVariants.defaults(isGPU: false, deviceName: "pthread-haswell-AMD EPYC")

    @Test func deviceDefaults() {
        let gpu = KernelVariants.defaults(isGPU: true, deviceName: "NVIDIA H100")
        #expect(gpu.convolutionAlgorithm == .implicitGemm && gpu.implicitGemmTile == .standard)
        #expect(gpu.convolutionTile == .tile8x8 && gpu.normReduction == .lanes && gpu.normApply == .lanes)
        #expect(gpu.averagePooling == .scalar && gpu.gridSampleChannelBlock == 16 && gpu.peakGroupSize == 256)
        #expect(Self.cpu.convolutionAlgorithm == .winograd4 && Self.cpu.convolutionTile == .tile16x6 && Self.cpu.normReduction == .segments && Self.cpu.gridSampleChannelBlock == nil)
        #expect(KernelVariants.defaults(isGPU: false, deviceName: "pthread-skylake-avx512-AMD EPYC").convolutionTile == .tile16x16)
        #expect(Self.cpu.winograd3D == .auto && gpu.winograd3D == .auto)
    }

    @Test func overridesApplyAndRoundTrip() throws {
        let v = try Self.cpu.overridden(by: " conv.tile=8x8 , norm.reduce=lanes,grid3d.block=16,conv.local=8-64,conv.winograd3d=cube,,")
        #expect(v.convolutionTile == .tile8x8 && v.normReduction == .lanes && v.gridSampleChannelBlock == 16)
        #expect(v.convolutionGroupWidth == GroupWidthRange(minimum: 8, maximum: 64))
        #expect(v.winograd3D == .cube)
        #expect(v.normApply == Self.cpu.normApply, "keys not named keep the device's value")
        #expect(try Self.cpu.overridden(by: v.overrideString) == v)
        #expect(try Self.cpu.overridden(by: "") == Self.cpu)
        let lines = v.table(comparedTo: Self.cpu)
        #expect(lines.count == KernelVariants.keys.count)
        #expect(lines.contains { $0.hasPrefix("conv.tile") && $0.contains("8x8*") })
        #expect(lines.contains { $0.hasPrefix("norm.apply") && !$0.contains("*") })
    }

    @Test func badOverridesSayWhatIsAccepted() {
        #expect(throws: VariantError.unknownKey("conv.tyle", known: KernelVariants.keys.map(\.name))) {
            try Self.cpu.overridden(by: "conv.tyle=8x8")
        }
        for bad in ["conv.igemm=64x64x16/3x4", "conv.igemm=64x64x64/4x4", "conv.igemm=128x128x8/2x2", "conv.igemm=64x64", "conv.tile=9x9", "grid3d.block=6", "conv.local=8-4", "conv.local=3-8", "conv.winograd3d=cubes", "peak.local=0", "norm.apply=fast"] {
            #expect(throws: VariantError.self, "\(bad)") { try Self.cpu.overridden(by: bad) }
        }
        #expect(throws: VariantError.malformed("conv.tile")) { try Self.cpu.overridden(by: "conv.tile") }
        do {
            _ = try Self.cpu.overridden(by: "conv.tile=9x9")
            Issue.record("conv.tile=9x9 was accepted")
        } catch {
            #expect("\(error)".contains("conv.tile=9x9") && "\(error)".contains("8x8 | 16x6 | 16x16"), "\(error)")
        }
    }

    @Test func everySweepValueParses() throws {
        for key in KernelVariants.keys {
            #expect(!key.sweep.isEmpty, "\(key.name) has nothing to sweep")
            for value in key.sweep { #expect(key.value(in: try key.setting(value, in: Self.cpu)) == value) }
            for op in key.ops { #expect(throws: Never.self) { try OpCatalog.op(named: op) } }
        }
    }

    @Test func groupWidthCoversWork() throws {
        let range = try #require(GroupWidthRange(minimum: 8, maximum: 64))
        #expect(range.width(covering: 1) == 8 && range.width(covering: 9) == 16 && range.width(covering: 500) == 64)
        #expect(GroupWidthRange.cpu.width(covering: 1) == 1 && GroupWidthRange.cpu.width(covering: 5) == 8)
    }

    @Test func environmentOverridesTheEngine() throws {
        guard let device = OpenCLDevice.all().first else { return }
        #expect(throws: VariantError.self) { try Engine.opencl(device, environment: ["PORTRAIT_VARIANTS": "nope=1"]) }
    }
}
