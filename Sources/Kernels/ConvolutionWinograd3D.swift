import Runtime

/// How stride-1 3×3×3 convolutions run under `conv.algorithm=winograd4` (`conv.winograd3d`).
public enum Winograd3DScheme: String, CaseIterable, Sendable {
    /// Winograd F(4×4, 3×3) per depth slice, the three depth taps in the GEMM reduction
    /// (`ConvolutionWinograd4.swift`): 6.75 multiplies per output and input channel, but tile
    /// rows are padded to 8 tiles, so a 16-wide volume (4 tiles per row) computes twice that.
    case slices
    /// Winograd F(2×2×2, 3×3×3) over the whole kernel (`ConvolutionWinograd3D.swift`): 8
    /// multiplies per output and input channel; 8 tiles per row at width 16 fill the float8
    /// lanes, but its transformed input and GEMM result are 3.5× larger per output.
    case cube
    /// `cube` where it measured faster on PoCL (`Engine.winograd3DPrefersCube`), else `slices`.
    case auto
}

/// The extents of one Winograd F(2×2×2, 3×3×3) call: `tz` depth slices of output tiles, each
/// `th` rows of `tw` tiles, and how the tiles become GEMM slots.
///
/// The lane layout (`dense == false`, rows a multiple of 8 tiles): tile rows padded to `tw8`
/// slots (the transforms' float8 lanes stay in one tile row; at output width 16 nothing is
/// padded), a slice's `th·tw8` slots stored as `rows` GEMM rows of `rowSlots` (a multiple of 16,
/// at most 64, as `Winograd4Layout`), and the zero-padded input the input transform reads
/// without bounds checks: `2·tz + 2` planes of `2·th + 2` rows of `2·tw8 + 2`.
///
/// The dense layout (`dense == true`, any other width): every tile of a batch item is one slot,
/// t = (z·th + y)·tw + x, the item's `tz·th·tw` slots stored as `rows` GEMM rows of `rowSlots`
/// (one "slice" per item); the input transform runs as the lane layout's and stores only the
/// tiles that exist, the output transform runs per tile. At output width 4 or 8
/// (LivePortrait's hourglass at 4² and 8²: 2 or 4 tiles a row) the lane layout computes 4× or 2×
/// the GEMM the tiles need; this one wastes at most the last row's tail.
struct Winograd3DLayout {
    let tz: Int, th: Int, tw: Int, tw8: Int
    let dense: Bool
    let rows: Int, rowSlots: Int
    let paddedDepth: Int, paddedHeight: Int, paddedWidth: Int

    init(_ g: ConvolutionGeometry) {
        let out = g.output
        tz = (out[0] + 1) / 2
        th = (out[1] + 1) / 2
        tw = (out[2] + 1) / 2
        tw8 = (tw + 7) / 8 * 8
        dense = tw != tw8
        (rows, rowSlots) = Winograd4Layout.gemmRows(slots: dense ? tz * th * tw : th * tw8)
        paddedDepth = 2 * tz + 2
        paddedHeight = 2 * th + 2
        paddedWidth = 2 * tw8 + 2
    }

    /// GEMM slots per slice (a depth slice of tiles; the whole item's tiles when `dense`).
    var slots: Int { rows * rowSlots }

    /// Slices per batch item: `tz`, or 1 when `dense`.
    var slicesPerItem: Int { dense ? 1 : tz }
}

extension Engine {
    /// Whether Winograd F(2×2×2, 3×3×3) applies: a 3×3×3 kernel with stride 1 (any padding).
    static func winograd3DApplies(_ g: ConvolutionGeometry) -> Bool {
        g.kernel == [3, 3, 3] && g.stride == [1, 1, 1]
    }

    /// The `auto` rule of `conv.winograd3d`: the cube for outputs at most 16 wide, where the
    /// slices' F(4×4) tile rows (≤ 4 tiles) are at least half padding. Measured on PoCL (AVX-512,
    /// 16×16 GEMM tile, shared machine; docs/performance.md, "Winograd F(2×2×2, 3×3×3)"): cube /
    /// slices time 0.67–0.76× for G3D's 384→384 and 512→512 at 16³ (17 of 20 pairs favour the
    /// cube), but 1.24–1.70× at 32³ (96→96) and 1.35–3.6× at 16×64² (96→96) and 32×64² (64→32),
    /// where the slices waste nothing and the cube's 3.5× larger transforms dominate.
    static func winograd3DPrefersCube(_ g: ConvolutionGeometry) -> Bool {
        g.output[2] <= 16
    }

    /// Whether `g` runs as Winograd F(2×2×2, 3×3×3) under the engine's variant table.
    func usesWinograd3D(_ g: ConvolutionGeometry) -> Bool {
        guard variants.convolutionAlgorithm == .winograd4, Self.winograd3DApplies(g) else { return false }
        switch variants.winograd3D {
        case .slices: return false
        case .cube: return true
        case .auto: return Self.winograd3DPrefersCube(g)
        }
    }

    /// Winograd F(2×2×2, 3×3×3) on OpenCL (`conv.algorithm=winograd4`, `conv.winograd3d=cube`):
    /// `conv3x3x3_wino2_weights` (U = (G⊗G⊗G) g, 64 points per channel pair, cached per resident
    /// weight), `conv3x3x3_wino2_pad` (`conv_pad_input` to the layout's extents),
    /// `conv3x3x3_wino2_input` (V = Bᵀ-transformed 4×4×4 patches at stride 2),
    /// `conv3x3x3_wino2_gemm16x16` or `…16x6` (the register-tiled direct kernels as 64 GEMMs
    /// over Cin, the tile depth as "depth" with kd = 1; tile by `conv.tile`) and
    /// `conv3x3x3_wino2_output` (Aᵀ along each axis, 2×2×2 outputs, + bias, then `activation`
    /// when given). 27/8 = 3.4× fewer
    /// multiplies than the direct sum; the F(2, 3) transforms only add, subtract and halve, so
    /// errors stay near the direct sum's (inside `Tolerance.reduction`). The GEMM is charged the
    /// direct convolution's `cost` and the transforms their bytes only, so GFLOP/s figures stay
    /// direct-equivalent. Throws when a transformed tensor would pass 2^31 elements.
    func convolutionWinograd3D(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                               activation: FusedActivation? = nil, cost: KernelCost, output result: Tensor) throws {
        let layout = Winograd3DLayout(g)
        let (cin, cout, n) = (g.inputChannels, g.outputChannels, g.batch)
        let out = g.output
        let blocks = (cout + 7) / 8
        let (tz, rows, rowSlots) = (layout.tz, layout.rows, layout.rowSlots)
        let slices = n * layout.slicesPerItem
        let padPlanes = n * layout.paddedDepth * layout.paddedHeight
        let padCount = padPlanes * cin * layout.paddedWidth
        let vCount = 64 * slices * layout.slots * cin
        let mCount = 64 * slices * cout * layout.slots
        guard [padCount, vCount + 16, mCount, 64 * blocks * 8 * cin].allSatisfy({ $0 < Int(Int32.max) }) else {
            throw RuntimeError.shapeMismatch("conv3d (Winograd 2×2×2): transformed tensors exceed 2^31 elements; split the batch or use conv.winograd3d=slices or conv.algorithm=direct")
        }
        let (u, zeroBias) = try winogradWeights(cl, g, weight: weight, layout: .winograd3D, count: 64 * blocks * 8 * cin, blocks: blocks,
                                                kernel: "conv3x3x3_wino2_weights", global: [cin, blocks], scalars: [cin, cout, blocks])
        if layout.dense {
            return try winograd3DDense(cl, g, layout: layout, input: input, u: u, zeroBias: zeroBias, bias: bias, activation: activation,
                                       cost: cost, output: result)
        }
        let (padded, v, m) = try winograd3DBuffers(cl, g, layout: layout, input: input, vCount: vCount, mCount: mCount)
        let chunks = layout.th * layout.tw8 / 8
        // A work-group spans up to 8 chunks of one channel: it writes whole 64-slot V rows (and
        // reads whole M rows), where groups over channels shared cache lines with their neighbours.
        let local = chunks >= 8 ? [8, 1, 1] : [1, 8, 1]
        let inputGlobal = [chunks, cin, slices]
        try cl.launch("conv3x3x3_wino2_input", global: inputGlobal, local: try laneGroup(cl, kernel: "conv3x3x3_wino2_input", narrow: local, global: inputGlobal),
                      arguments: [.buffer(padded), .buffer(v), .i(cin), .i(layout.paddedDepth), .i(layout.paddedHeight), .i(layout.paddedWidth),
                                  .i(tz), .i(layout.th), .i(layout.tw8), .i(rows), .i(rowSlots), .i(slices)],
                      cost: KernelCost(flops: 0, bytes: Double(padCount + vCount) * 4))
        try winogradGemm(cl, g, kernels: ("conv3x3x3_wino2_gemm16x16", "conv3x3x3_wino2_gemm16x6"), points: 64, v: v, u: u,
                         zeroBias: zeroBias, m: m, kd: 1, depth: (tz, tz), rows: rows, rowSlots: rowSlots, cost: cost)
        let biasBuffer = try bias.map { try buffer($0) }
        let outputArguments: [KernelArgument] = [
            .buffer(m), .buffer(biasBuffer ?? m), .buffer(result.deviceBuffer!), .i(cout), .i(out[0]), .i(out[1]), .i(out[2]),
            .i(tz), .i(layout.th), .i(layout.tw), .i(layout.tw8), .i(layout.slots), .i(n), .i(biasBuffer == nil ? 0 : 1),
        ]
        let outputGlobal = [chunks, cout, slices], outputVariant = activation?.buildOptions ?? ""
        try cl.launch("conv3x3x3_wino2_output", variant: outputVariant, global: outputGlobal,
                      local: try laneGroup(cl, kernel: "conv3x3x3_wino2_output", variant: outputVariant, narrow: local, global: outputGlobal),
                      arguments: outputArguments, cost: KernelCost(flops: 0, bytes: Double(mCount + n * cout * g.outputVoxels) * 4))
    }

    /// The dense layout's transforms and GEMM (`Winograd3DLayout.dense`): the padding copy as the
    /// lane layout's, `conv3x3x3_wino2_input_dense` (the lane kernel's transform of 8 tiles of a
    /// tile row, each existing tile stored at its dense slot), the same GEMM kernels over one
    /// slice per batch item, and `conv3x3x3_wino2_output_dense` (per tile, bounds-checked stores).
    /// Each tile's arithmetic is the lane kernels', in the same order, so the result is bitwise
    /// the lane layout's.
    private func winograd3DDense(_ cl: OpenCLContext, _ g: ConvolutionGeometry, layout: Winograd3DLayout, input: Tensor,
                                 u: DeviceBuffer, zeroBias: DeviceBuffer, bias: Tensor?, activation: FusedActivation?,
                                 cost: KernelCost, output result: Tensor) throws {
        let (cin, cout, n) = (g.inputChannels, g.outputChannels, g.batch)
        let out = g.output
        let (rows, rowSlots) = (layout.rows, layout.rowSlots)
        let padCount = n * layout.paddedDepth * layout.paddedHeight * cin * layout.paddedWidth
        let vCount = 64 * n * layout.slots * cin
        let mCount = 64 * n * cout * layout.slots
        let (padded, v, m) = try winograd3DBuffers(cl, g, layout: layout, input: input, vCount: vCount, mCount: mCount)
        let chunks = layout.th * layout.tw8 / 8
        let local = chunks >= 8 ? [8, 1, 1] : [1, 8, 1]
        let inputGlobal = [chunks, cin, n * layout.tz]
        try cl.launch("conv3x3x3_wino2_input_dense", global: inputGlobal,
                      local: try laneGroup(cl, kernel: "conv3x3x3_wino2_input_dense", narrow: local, global: inputGlobal),
                      arguments: [.buffer(padded), .buffer(v), .i(cin), .i(layout.paddedDepth), .i(layout.paddedHeight), .i(layout.paddedWidth),
                                  .i(layout.tz), .i(layout.th), .i(layout.tw), .i(layout.tw8), .i(rows), .i(rowSlots), .i(n)],
                      cost: KernelCost(flops: 0, bytes: Double(padCount + vCount) * 4))
        try winogradGemm(cl, g, kernels: ("conv3x3x3_wino2_gemm16x16", "conv3x3x3_wino2_gemm16x6"), points: 64, v: v, u: u,
                         zeroBias: zeroBias, m: m, kd: 1, depth: (1, 1), rows: rows, rowSlots: rowSlots, cost: cost)
        let biasBuffer = try bias.map { try buffer($0) }
        let outputArguments: [KernelArgument] = [
            .buffer(m), .buffer(biasBuffer ?? m), .buffer(result.deviceBuffer!), .i(cout), .i(out[0]), .i(out[1]), .i(out[2]),
            .i(layout.tz), .i(layout.th), .i(layout.tw), .i(layout.slots), .i(n), .i(biasBuffer == nil ? 0 : 1),
        ]
        let outputGlobal = [layout.tz * layout.th * layout.tw, cout, n], outputVariant = activation?.buildOptions ?? ""
        try cl.launch("conv3x3x3_wino2_output_dense", variant: outputVariant, global: outputGlobal,
                      local: try laneGroup(cl, kernel: "conv3x3x3_wino2_output_dense", variant: outputVariant, narrow: [16, 1, 1], global: outputGlobal),
                      arguments: outputArguments, cost: KernelCost(flops: 0, bytes: Double(mCount + n * cout * g.outputVoxels) * 4))
    }

    /// The zero-padded input copy (`conv3x3x3_wino2_pad`) and the V and M buffers of `vCount` and
    /// `mCount` floats, for both layouts; V has 16 more, which the 16 × 6 GEMM tile's last x tile
    /// reads past the last row.
    private func winograd3DBuffers(_ cl: OpenCLContext, _ g: ConvolutionGeometry, layout: Winograd3DLayout, input: Tensor,
                                   vCount: Int, mCount: Int) throws -> (padded: DeviceBuffer, v: DeviceBuffer, m: DeviceBuffer) {
        let padded = try winogradPaddedInput(cl, g, input: input, kernel: "conv3x3x3_wino2_pad",
                                             extent: [layout.paddedDepth, layout.paddedHeight, layout.paddedWidth])
        return (padded, try cl.makeBuffer(byteCount: (vCount + 16) * 4), try cl.makeBuffer(byteCount: mCount * 4))
    }
}
