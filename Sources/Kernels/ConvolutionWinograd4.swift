import Runtime

/// The extents of one Winograd F(4×4, 3×3) call: output tiles per depth slice (`th` rows of `tw`),
/// tile rows padded to `tw8` slots (a multiple of 8: the transforms' float8 lanes stay in one tile
/// row), a slice's `th·tw8` slots stored as `rows` GEMM rows of `rowSlots` (a multiple of 16, at
/// most 64: the GEMM's 16-wide vectors never cross a row, and small images waste few slots), and
/// the depth slices of the zero-padded volume the transforms run over (`paddedDepth`; the input
/// transform applies the padding while reading).
struct Winograd4Layout {
    let th: Int, tw: Int, tw8: Int
    let rows: Int, rowSlots: Int
    let paddedDepth: Int

    init(_ g: ConvolutionGeometry) {
        let out = g.output
        th = (out[1] + 3) / 4
        tw = (out[2] + 3) / 4
        tw8 = (tw + 7) / 8 * 8
        (rows, rowSlots) = Self.gemmRows(slots: th * tw8)
        paddedDepth = g.input[0] + 2 * g.padding[0]
    }

    /// GEMM slots per depth slice.
    var slots: Int { rows * rowSlots }

    /// Floats between consecutive transform planes of V and M, F(4×4)'s and F(6×6)'s
    /// (`WINO_PLANE_PAD` in Kernels.cl): packed, the planes' strides are multiples of 4 KiB, so
    /// the 36 or 64 loads or stores of one transform work-item share a cache set. 144 floats = 9
    /// cache lines, an odd count.
    static let planePad = 144

    /// `slots` tile slots stored as GEMM rows: (rows, slots per row), the row a multiple of 16
    /// slots and at most 64 (the GEMM's 16-wide vectors never cross a row; small images waste
    /// few slots). Shared with `Winograd3DLayout`.
    static func gemmRows(slots: Int) -> (rows: Int, rowSlots: Int) {
        let rowSlots = min(64, (slots + 15) / 16 * 16)
        return ((slots + rowSlots - 1) / rowSlots, rowSlots)
    }
}

extension Engine {
    /// Whether Winograd F(4×4, 3×3) applies: stride 1 with a 3×3 spatial kernel (2-D, or 3-D
    /// with any depth extent: the depth taps become the GEMM's reduction).
    static func winograd4Applies(_ g: ConvolutionGeometry) -> Bool {
        g.kernel[1] == 3 && g.kernel[2] == 3 && g.stride == [1, 1, 1]
    }

    /// Whether an OpenCL convolution of `g` runs as Winograd F(4×4, 3×3) on this engine: the
    /// setting asks for it and it applies (every op that runs such a convolution asks here).
    func usesWinograd4(_ g: ConvolutionGeometry) -> Bool {
        variants.convolutionAlgorithm == .winograd4 && Self.winograd4Applies(g)
    }

    /// Winograd F(4×4, 3×3) on OpenCL (`conv.algorithm=winograd4`): `conv3x3_wino4_weights`
    /// (U, cached per resident weight like the tile kernels' packing), `conv3x3_wino4_input` (V, read
    /// from the unpadded input), `conv3x3_wino4_gemm16x16` or `…16x6` (the
    /// register-tiled direct kernels as 36 GEMMs, tile by `conv.tile`) and
    /// `conv3x3_wino4_output` (AᵀMA + bias, then `activation` when given); V is reused inside
    /// `reusingConvolutionInputs` for a registered input. 4× fewer multiplies; the transforms multiply by
    /// up to 8 and 1/24, so errors grow by about 10× over the direct sum (≈ 1e-6 relative at
    /// O(1) values, inside `Tolerance.reduction`). The GEMM is charged the direct convolution's
    /// `cost` and the transforms their bytes only, so GFLOP/s figures stay direct-equivalent.
    func convolutionWinograd4(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                              activation: FusedActivation? = nil, cost: KernelCost, output result: Tensor) throws {
        let (m, layout) = try winograd4Products(cl, g, input: input, weight: weight, cost: cost)
        let (cout, n, out) = (g.outputChannels, g.batch, g.output)
        let chunks = layout.th * layout.tw8 / 8
        let mCount = 36 * n * cout * out[0] * layout.slots
        let biasBuffer = try bias.map { try buffer($0) }
        let outputArguments: [KernelArgument] = [
            .buffer(m), .buffer(biasBuffer ?? m), .buffer(result.deviceBuffer!), .i(cout), .i(out[0]), .i(out[1]), .i(out[2]),
            .i(layout.th), .i(layout.tw), .i(layout.tw8), .i(layout.slots), .i(n), .i(biasBuffer == nil ? 0 : 1),
        ]
        let outputGlobal = [chunks, cout, n * out[0]], outputVariant = activation?.buildOptions ?? ""
        try cl.launch("conv3x3_wino4_output", variant: outputVariant, global: outputGlobal,
                      local: try laneGroup(cl, kernel: "conv3x3_wino4_output", variant: outputVariant, narrow: [1, 8, 1], global: outputGlobal),
                      arguments: outputArguments, cost: KernelCost(flops: 0, bytes: Double(mCount + n * cout * g.outputVoxels) * 4))
    }

    /// The first three steps of `convolutionWinograd4`: U (cached per resident weight), V (reused
    /// inside `reusingConvolutionInputs`) and the GEMMs into M `[36·N][Cout][Do][R·TW]`, charged
    /// `cost`; the caller runs an output transform over M (`conv3x3_wino4_output`, or SPADE's
    /// `conv3x3_wino4_output_modulate`).
    func winograd4Products(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor,
                           cost: KernelCost) throws -> (m: DeviceBuffer, layout: Winograd4Layout) {
        let layout = Winograd4Layout(g)
        let (cin, cout, n, kd) = (g.inputChannels, g.outputChannels, g.batch, g.kernel[0])
        let out = g.output
        let blocks = (cout + 7) / 8
        let (th, rowSlots) = (layout.th, layout.rowSlots)
        let slices = n * layout.paddedDepth
        let vCount = 36 * slices * layout.slots * cin
        let mCount = 36 * n * cout * out[0] * layout.slots
        guard [n * cin * g.inputVoxels, vCount, mCount, 36 * blocks * 8 * kd * cin].allSatisfy({ $0 < Int(Int32.max) }) else {
            throw RuntimeError.shapeMismatch("\(g.kernel[0] == 1 ? "conv2d" : "conv3d") (Winograd 4×4): transformed tensors exceed 2^31 elements; split the batch or use conv.algorithm=direct")
        }
        let (u, zeroBias) = try winogradWeights(cl, g, weight: weight, layout: .winograd4, count: 36 * blocks * 8 * kd * cin, blocks: blocks,
                                                kernel: "conv3x3_wino4_weights", global: [cin, blocks * kd], scalars: [cin, cout, kd, blocks])
        let chunks = th * layout.tw8 / 8
        let inputBuffer = try buffer(input)
        // V depends on the input and these extents only (not on the weights or Cout).
        let signature = [n, cin] + g.input + g.padding + [th, layout.tw8, layout.rows, rowSlots]
        let v: DeviceBuffer
        if let reused = convolutionInputReuse.lookup(inputBuffer, signature: signature) {
            v = reused
        } else {
            v = try cl.makeBuffer(byteCount: (vCount + 36 * Winograd4Layout.planePad + 16) * 4)
            let inputGlobal = [chunks, cin, slices]
            try cl.launch("conv3x3_wino4_input", global: inputGlobal, local: try laneGroup(cl, kernel: "conv3x3_wino4_input", narrow: [1, 8, 1], global: inputGlobal),
                          arguments: [.buffer(inputBuffer), .buffer(v), .i(cin), .i(g.input[0]), .i(g.input[1]), .i(g.input[2]),
                                      .i(layout.paddedDepth), .i(g.padding[0]), .i(g.padding[1]), .i(g.padding[2]),
                                      .i(th), .i(layout.tw8), .i(layout.rows), .i(rowSlots), .i(slices)],
                          cost: KernelCost(flops: 0, bytes: Double(n * cin * g.inputVoxels + vCount) * 4))
            convolutionInputReuse.store(inputBuffer, signature: signature, transformed: v)
        }
        let m = try cl.makeBuffer(byteCount: (mCount + 36 * Winograd4Layout.planePad) * 4)
        try winogradGemm(cl, g, kernels: ("conv3x3_wino4_gemm16x16", "conv3x3_wino4_gemm16x6"), points: 36, v: v, u: u,
                         zeroBias: zeroBias, m: m, kd: kd, depth: (layout.paddedDepth, out[0]), rows: layout.rows, rowSlots: rowSlots, cost: cost)
        return (m, layout)
    }
}
