import Runtime

/// How stride-1 convolutions 7 wide run under `conv.algorithm=winograd4` (`conv.winograd7`).
public enum Winograd7Scheme: String, CaseIterable, Sendable {
    /// Winograd F(4, 7) along x (`ConvolutionWinograd7.swift`): 10 multiplies per 4 outputs
    /// instead of 28, the kd×kh taps and input channels in the GEMM's reduction.
    case rows
    /// The direct tile kernels (`conv_k7s1_tile…`).
    case direct
}

/// The extents of one Winograd F(4, 7) call: `tiles` 4-wide output tiles per output row, stored
/// as `rowSlots` GEMM slots (a multiple of 16: the GEMM's vector; the slots past `tiles` hold
/// transforms of padding and are never stored), and the zero-padded depth and height the input
/// transform runs over (it applies the padding while reading).
struct Winograd7Layout {
    /// Transform points: 0, ±1, ±2, ±1/2, ±4/3 and ∞.
    static let points = 10
    let tiles: Int, rowSlots: Int
    let paddedDepth: Int, paddedHeight: Int

    init(_ g: ConvolutionGeometry) {
        tiles = (g.output[2] + 3) / 4
        rowSlots = (tiles + 15) / 16 * 16
        paddedDepth = g.input[0] + 2 * g.padding[0]
        paddedHeight = g.input[1] + 2 * g.padding[1]
    }
}

extension Engine {
    /// Whether Winograd F(4, 7) applies: stride 1 with a kernel 7 wide (any depth and height
    /// extent: those taps join the GEMM's reduction).
    static func winograd7Applies(_ g: ConvolutionGeometry) -> Bool {
        g.kernel[2] == 7 && g.stride == [1, 1, 1]
    }

    /// Whether `g` runs as Winograd F(4, 7) under the engine's variant table.
    func usesWinograd7(_ g: ConvolutionGeometry) -> Bool {
        variants.convolutionAlgorithm == .winograd4 && variants.winograd7 == .rows && Self.winograd7Applies(g)
    }

    /// Winograd F(4, 7) along x on OpenCL (`conv.algorithm=winograd4`, `conv.winograd7=rows`):
    /// `conv_k7_wino_weights` (U, cached per resident weight), `conv_k7_wino_input` (V for 16
    /// tiles of a padded input row per work-item), `conv_k7_wino_gemm…` (the register-tiled direct
    /// kernels as 10 GEMMs, one kd×kh×1 convolution per point; 8, 16 or 24 channels × 16 slots on
    /// the 16×16 tile, 16 × 6 under `conv.tile=16x6` with at least two channel blocks) and
    /// `conv_k7_wino_output` (AᵀM + bias, then `activation` when given). 2.8× fewer multiplies
    /// (LivePortrait's 7×7×7 dense-motion mask, 142 → 22 at 16×64², was 22 % of the frame); the
    /// transforms multiply by up to 14.6 and divide by up to 225, so errors are ≈ 2e-5 of the
    /// largest output (≈ 200× the direct sum's, inside `Tolerance.reduction`). The GEMM is
    /// charged the direct convolution's `cost` and the transforms their bytes only, so GFLOP/s
    /// figures stay direct-equivalent.
    func convolutionWinograd7(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                              activation: FusedActivation? = nil, cost: KernelCost, output result: Tensor) throws {
        let layout = Winograd7Layout(g)
        let points = Winograd7Layout.points
        let (cin, cout, n) = (g.inputChannels, g.outputChannels, g.batch)
        let (kd, kh) = (g.kernel[0], g.kernel[1])
        let out = g.output
        let blocks = (cout + 7) / 8
        let (dp, hp, tw) = (layout.paddedDepth, layout.paddedHeight, layout.rowSlots)
        let vCount = points * n * dp * hp * cin * tw
        let mCount = points * n * cout * out[0] * out[1] * tw
        let uCount = points * blocks * kd * kh * cin * 8
        guard [n * cin * g.inputVoxels, vCount, mCount, uCount].allSatisfy({ $0 < Int(Int32.max) }) else {
            throw RuntimeError.shapeMismatch("\(kd == 1 ? "conv2d" : "conv3d") (Winograd F(4, 7)): transformed tensors exceed 2^31 elements; split the batch or use conv.winograd7=direct")
        }
        let (u, zeroBias) = try winogradWeights(cl, g, weight: weight, layout: .winograd7, count: uCount, blocks: blocks,
                                                kernel: "conv_k7_wino_weights", global: [cin, blocks * kd * kh],
                                                scalars: [cin, cout, kd, kh, blocks])
        let v = try cl.makeBuffer(byteCount: (vCount + 16) * 4)
        let inputGlobal = [tw / 16, cin, n * dp * hp]
        try cl.launch("conv_k7_wino_input", global: inputGlobal,
                      local: try laneGroup(cl, kernel: "conv_k7_wino_input", narrow: [1, 8, 1], global: inputGlobal),
                      arguments: [.buffer(try buffer(input)), .buffer(v), .i(cin), .i(g.input[0]), .i(g.input[1]), .i(g.input[2]),
                                  .i(dp), .i(hp), .i(g.padding[0]), .i(g.padding[1]), .i(g.padding[2]), .i(tw), .i(n)],
                      cost: KernelCost(flops: 0, bytes: Double(n * cin * g.inputVoxels + vCount) * 4))

        // The GEMM: batch points·N of kd×kh×1 convolutions over V [Dp][Hp][Cin][TW] into M.
        let m = try cl.makeBuffer(byteCount: mCount * 4)
        let narrow = variants.convolutionTile == .tile16x6 && blocks >= 2
        let perItem = narrow ? 2 : (blocks == 1 ? 1 : blocks == 3 ? 3 : 2)
        let gemm = narrow ? "conv_k7_wino_gemm16x6" : "conv_k7_wino_gemm\(8 * perItem)x16"
        let tilesX = (tw + (narrow ? 6 : 16) - 1) / (narrow ? 6 : 16)
        try cl.launch(gemm, global: [tilesX, (blocks + perItem - 1) / perItem, points * n * out[0] * out[1]],
                      local: [variants.convolutionGroupWidth.width(covering: tilesX), 1, 1], exactLocalSetting: "conv.local",
                      arguments: [.buffer(v), .buffer(u), .buffer(zeroBias), .buffer(m), .i(cin), .i(cout), .i(blocks), .i(kd), .i(kh),
                                  .i(dp), .i(hp), .i(tw), .i(out[0]), .i(out[1]), .i(tw), .i(tilesX), .i(1), .i(1), .i(n)],
                      cost: cost)

        let biasBuffer = try bias.map { try buffer($0) }
        let outputGlobal = [tw / 16, cout, n * out[0] * out[1]], outputVariant = activation?.buildOptions ?? ""
        try cl.launch("conv_k7_wino_output", variant: outputVariant, global: outputGlobal,
                      local: try laneGroup(cl, kernel: "conv_k7_wino_output", variant: outputVariant, narrow: [1, 8, 1], global: outputGlobal),
                      arguments: [.buffer(m), .buffer(biasBuffer ?? m), .buffer(result.deviceBuffer!), .i(cout), .i(out[0]), .i(out[1]),
                                  .i(out[2]), .i(tw), .i(n), .i(biasBuffer == nil ? 0 : 1)],
                      cost: KernelCost(flops: 0, bytes: Double(mCount + n * cout * g.outputVoxels) * 4))
    }
}
