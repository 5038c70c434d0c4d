import Runtime

/// Every device-dependent choice the OpenCL ops make — which kernel, register tile, reduction
/// scheme and work-group size — decided once per engine from its device (`defaults(for:)`), held
/// on the engine (`Engine.variants`, settable) and overridable by name
/// (`PORTRAIT_VARIANTS="conv.tile=8x8,norm.reduce=lanes"`, see `KernelVariants.keys`). No op
/// reads the device type itself, so every variant runs on any device: the parity sweep runs
/// each one on PoCL. Choices that depend only on shapes (k7 and strided convolutions take the
/// 8 × 8 tile, 3-D grid samples with few channels the NCDHW kernel) stay with the op.
public struct KernelVariants: Sendable, Equatable {
    /// Convolution algorithm (`conv.algorithm`): direct, implicit GEMM, or Winograd for stride-1 3×3 2-D.
    public var convolutionAlgorithm: ConvolutionAlgorithm = .direct
    /// How stride-1 3×3×3 convolutions run under `winograd4` (`conv.winograd3d`): per depth
    /// slice, as F(2×2×2, 3×3×3), or chosen by the output width (`auto`, every device).
    public var winograd3D: Winograd3DScheme = .auto
    /// How stride-1 convolutions 7 wide run under `winograd4` (`conv.winograd7`): Winograd
    /// F(4, 7) along x, or the direct tile kernels.
    public var winograd7: Winograd7Scheme = .rows
    /// Which Winograd tile stride-1 2-D 3×3 convolutions take under `winograd4`
    /// (`conv.winograd`): F(4×4), F(6×6), or F(6×6) where its GEMM is smaller (`auto`).
    public var winograd2D: Winograd2DTile = .auto
    /// Tile of the implicit-GEMM convolution, used with `conv.algorithm=igemm` (`conv.igemm`).
    public var implicitGemmTile: ImplicitGemmTile = .standard
    /// Register tile of the stride-1 k1/k3 convolutions (`conv.tile`).
    public var convolutionTile: ConvolutionTile
    /// Work-group width range of the convolution tile kernels (`conv.local`).
    public var convolutionGroupWidth: GroupWidthRange
    /// Channels per work-item of the channels-last 3-D grid sample, nil for all of them (`grid3d.block`).
    public var gridSampleChannelBlock: Int?
    /// Kernel of stride == kernel average pooling (`avgpool`).
    public var averagePooling: AveragePoolingKernel
    /// How group-norm statistics are reduced (`norm.reduce`).
    public var normReduction: NormKernelShape
    /// How the normalisation affine pass is spread over work-items (`norm.apply`).
    public var normApply: NormKernelShape
    /// Work-group size of the FMA-peak kernel (`peak.local`).
    public var peakGroupSize: Int
    /// Work-items per compute unit of the FMA-peak kernel (`peak.items`).
    public var peakItemsPerUnit: Int
    /// Work-group width of the lane kernels (`launch.width`): narrow on CPUs, wide (≥ 64 items)
    /// on GPUs.
    public var launchWidth: LaunchWidth = .narrow

    /// Creates a table from explicit choices.
    public init(convolutionTile: ConvolutionTile, convolutionGroupWidth: GroupWidthRange, gridSampleChannelBlock: Int?,
                averagePooling: AveragePoolingKernel, normReduction: NormKernelShape, normApply: NormKernelShape,
                peakGroupSize: Int, peakItemsPerUnit: Int) {
        self.convolutionTile = convolutionTile
        self.convolutionGroupWidth = convolutionGroupWidth
        self.gridSampleChannelBlock = gridSampleChannelBlock
        self.averagePooling = averagePooling
        self.normReduction = normReduction
        self.normApply = normApply
        self.peakGroupSize = peakGroupSize
        self.peakItemsPerUnit = peakItemsPerUnit
    }

    /// The table for a device of this kind. GPUs: the local-memory implicit-GEMM convolution,
    /// coalesced lane-strided kernels, wide work-groups (none of it measured on a GPU yet). CPUs (PoCL): contiguous
    /// `float8` runs per work-item, small work-groups, Winograd F(4×4, 3×3) for stride-1 3×3
    /// convolutions, and the convolution tile measured best for the vector width PoCL names in
    /// the device (16 × 16 on AVX-512, else 16 × 6).
    public static func defaults(isGPU: Bool, deviceName: String) -> KernelVariants {
        if isGPU {
            var gpu = KernelVariants(convolutionTile: .tile8x8, convolutionGroupWidth: .gpu,
                                  gridSampleChannelBlock: 16, averagePooling: .scalar, normReduction: .lanes, normApply: .lanes,
                                  peakGroupSize: 256, peakItemsPerUnit: 2048)
            gpu.convolutionAlgorithm = .implicitGemm
            gpu.launchWidth = .wide
            return gpu
        }
        var cpu = KernelVariants(convolutionTile: deviceName.lowercased().contains("avx512") ? .tile16x16 : .tile16x6,
                                 convolutionGroupWidth: .cpu,
                                 gridSampleChannelBlock: nil, averagePooling: .runsOf8, normReduction: .segments, normApply: .segments,
                                 peakGroupSize: 64, peakItemsPerUnit: 1024)
        // Winograd F(4×4, 3×3) for stride-1 3×3(×3) convolutions: 1.7–2.9× the direct tile on PoCL
        // (AVX-512, docs/performance.md "Targets"); the other convolutions stay direct.
        cpu.convolutionAlgorithm = .winograd4
        return cpu
    }

    /// The table for `device`.
    public static func defaults(for device: OpenCLDevice) -> KernelVariants {
        defaults(isGPU: device.isGPU, deviceName: device.name)
    }

    /// The environment variable that picks a table whatever the device type: `cpu` or `gpu`.
    public static let tableVariable = "PORTRAIT_VARIANT_TABLE"

    /// The table for `device`, or the one `table` names (`cpu`, `gpu`; nil or empty: the
    /// device's own). Throws `VariantError.badValue` for any other name.
    public static func defaults(for device: OpenCLDevice, table: String?) throws -> KernelVariants {
        switch table {
        case nil, "": return defaults(for: device)
        case "cpu": return defaults(isGPU: false, deviceName: device.name)
        case "gpu": return defaults(isGPU: true, deviceName: device.name)
        case let other?: throw VariantError.badValue(key: tableVariable, value: other, expected: "cpu or gpu (the device's own table when unset)")
        }
    }
}

/// A work-group width chosen per launch as the smallest power of two covering the work, clamped
/// to `minimum...maximum` (written `1-8`).
public struct GroupWidthRange: Sendable, Equatable, CustomStringConvertible {
    /// Narrowest group (GPUs want at least a few lanes busy even for tiny launches).
    public let minimum: Int
    /// Widest group.
    public let maximum: Int

    /// Creates a range; both bounds must be powers of two with `1 ≤ minimum ≤ maximum ≤ 1024`.
    public init?(minimum: Int, maximum: Int) {
        func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }
        guard isPowerOfTwo(minimum), isPowerOfTwo(maximum), minimum <= maximum, maximum <= 1024 else { return nil }
        self.init(checked: minimum, maximum)
    }

    private init(checked minimum: Int, _ maximum: Int) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// `1-8`: a few x tiles per group (PoCL: register-tiled kernels are insensitive to it).
    public static let cpu = GroupWidthRange(checked: 1, 8)
    /// `8-64`: at least a few lanes, up to two warps.
    public static let gpu = GroupWidthRange(checked: 8, 64)

    /// The width for `items` work-items along the axis.
    public func width(covering items: Int) -> Int {
        var p = 1
        while p < items { p <<= 1 }
        return min(maximum, max(minimum, p))
    }

    public var description: String { "\(minimum)-\(maximum)" }
}

/// The two kernels of stride == kernel average pooling.
public enum AveragePoolingKernel: String, CaseIterable, Sendable {
    /// `avg_pool_strided_x8`: eight outputs per work-item as explicit `float8` runs (PoCL does not
    /// vectorise across work-items there); used for kernel widths ≤ 2, `scalar` otherwise.
    case runsOf8 = "x8"
    /// `avg_pool_strided`: one output per work-item.
    case scalar
}

/// How the normalisation kernels spread a row over work-items.
public enum NormKernelShape: String, CaseIterable, Sendable {
    /// Consecutive work-items read consecutive addresses (coalesced on GPUs):
    /// `group_norm_partial` (64-lane tiles) and `norm_apply` (one element per work-item).
    case lanes
    /// Each work-item streams a contiguous run with `float8` loads (CPUs):
    /// `group_norm_partial_segments` and `norm_apply_segments`.
    case segments
}
