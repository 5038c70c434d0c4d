import Runtime

/// The tile of `conv_igemm` (`conv.igemm`, written `TMxTNxTK/RMxRN` or `TMxTNxTK/RMxRNvVW`): a
/// work-group computes TM output channels × TN output positions, staging TK reduction steps in
/// local memory; each of its (TM/RM)·(TN/RN) work-items accumulates RM × RN outputs, held as runs
/// of VW contiguous positions and channels that it reads from local memory as `floatVW` vectors
/// (VW = 1: scalars, the outputs strided by the group's extent). Passed to the kernel as `-D`
/// options (one program build per tile).
public struct ImplicitGemmTile: Sendable, Equatable, CustomStringConvertible {
    /// Output channels per work-group.
    public let tm: Int
    /// Output positions per work-group.
    public let tn: Int
    /// Reduction steps staged in local memory at a time.
    public let tk: Int
    /// Output channels per work-item.
    public let rm: Int
    /// Output positions per work-item.
    public let rn: Int
    /// Vector width of the local-memory reads, the output stores and the weight-row loads.
    public let vw: Int

    /// The vector widths the kernel accepts.
    public static let vectorWidths = [1, 2, 4]

    /// Creates a tile; nil unless RM divides TM, RN divides TN, the work-group has at most 256
    /// items (every OpenCL GPU allows that), each item at most 64 accumulators, the local tiles
    /// and the two tap-offset tables fit in 16 KiB, and the vector width is 1, 2 or 4 and divides RM, RN and TK.
    public init?(tm: Int, tn: Int, tk: Int, rm: Int, rn: Int, vw: Int = 1) {
        guard [tm, tn, tk, rm, rn].allSatisfy({ $0 > 0 }), tm % rm == 0, tn % rn == 0,
              (tm / rm) * (tn / rn) <= 256, rm * rn <= 64, tk * (tm + tn) * 4 + tk * 8 <= 16384,
              Self.vectorWidths.contains(vw), rm % vw == 0, rn % vw == 0, tk % vw == 0 else { return nil }
        self.init(checked: tm, tn, tk, rm, rn, vw)
    }

    private init(checked tm: Int, _ tn: Int, _ tk: Int, _ rm: Int, _ rn: Int, _ vw: Int) {
        self.tm = tm; self.tn = tn; self.tk = tk; self.rm = rm; self.rn = rn; self.vw = vw
    }

    /// `TMxTNxTK/RMxRN` (vector width 1) or `TMxTNxTK/RMxRNvVW`, e.g. `64x64x16/4x4v4`; nil for
    /// any other text or an invalid tile.
    public init?(_ text: String) {
        let halves = text.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        let perItem = halves[1].split(separator: "v", omittingEmptySubsequences: false)
        guard perItem.count <= 2, let vw = perItem.count == 2 ? Int(perItem[1]) : 1 else { return nil }
        let a = halves[0].split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        let b = perItem[0].split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard a.count == 3, b.count == 2, let tm = a[0], let tn = a[1], let tk = a[2], let rm = b[0], let rn = b[1] else { return nil }
        self.init(tm: tm, tn: tn, tk: tk, rm: rm, rn: rn, vw: vw)
    }

    /// The GPU default: 64 × 64 outputs per group of 256 items, 4 × 4 each read as `float4`
    /// vectors, 16 reduction steps staged (8 KiB). Unmeasured on GPUs; see docs/performance.md
    /// ("Implicit-GEMM convolution") for why width 4.
    public static let standard = ImplicitGemmTile(checked: 64, 64, 16, 4, 4, 4)

    /// The work-group shape (x along positions, y along channels).
    var local: [Int] { [tn / rn, tm / rm, 1] }

    /// The kernel's `-D` options.
    var buildOptions: String { "-DIG_TM=\(tm) -DIG_TN=\(tn) -DIG_TK=\(tk) -DIG_RM=\(rm) -DIG_RN=\(rn) -DIG_VW=\(vw)" }

    /// The text `init?(_:)` reads back (no `v` suffix for width 1).
    public var description: String { "\(tm)x\(tn)x\(tk)/\(rm)x\(rn)" + (vw == 1 ? "" : "v\(vw)") }
}

extension Engine {
    /// The implicit-GEMM convolution (`conv_igemm`, any kernel, stride and padding, 2-D and 3-D)
    /// on the padded input scratch, with the weight as given (`[Cout][Cin·kd·kh·kw]`) and
    /// `activation` in its epilogue.
    func convolutionImplicitGemm(_ cl: OpenCLContext, _ g: ConvolutionGeometry, padded: DeviceBuffer, padExtent: [Int],
                                 weight: Tensor, bias: Tensor?, activation: FusedActivation?, result: Tensor, cost: KernelCost) throws {
        let tile = variants.implicitGemmTile
        let out = g.output
        let positions = out[0] * out[1] * out[2]
        let local = tile.local
        let weightBuffer = try buffer(weight)
        let biasBuffer = try bias.map { try buffer($0) }
        try cl.launch("conv_igemm", variant: tile.buildOptions + (activation.map { " " + $0.buildOptions } ?? ""),
                      global: [(positions + tile.tn - 1) / tile.tn * local[0], (g.outputChannels + tile.tm - 1) / tile.tm * local[1], g.batch],
                      local: local, exactLocalSetting: "conv.igemm",
                      arguments: [.buffer(padded), .buffer(weightBuffer), .buffer(biasBuffer ?? weightBuffer), .buffer(result.deviceBuffer!),
                                  .i(g.inputChannels), .i(g.outputChannels), .i(g.kernel[0]), .i(g.kernel[1]), .i(g.kernel[2]),
                                  .i(padExtent[0]), .i(padExtent[1]), .i(padExtent[2]), .i(out[0]), .i(out[1]), .i(out[2]),
                                  .i(g.stride[0]), .i(g.stride[1]), .i(g.stride[2]), .i(biasBuffer == nil ? 0 : 1)],
                      cost: cost)
    }
}
