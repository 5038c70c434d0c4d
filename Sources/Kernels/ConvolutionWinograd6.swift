import Runtime

/// Which Winograd tile stride-1 2-D 3×3 convolutions take under `conv.algorithm=winograd4`
/// (`conv.winograd`). 3-D convolutions (kd×3×3) always take F(4×4, 3×3) per depth slice (or
/// F(2×2×2) under `conv.winograd3d`).
public enum Winograd2DTile: String, CaseIterable, Sendable {
    /// Winograd F(4×4, 3×3) (`ConvolutionWinograd4.swift`): 36 multiplies per 16 outputs.
    case f4 = "4"
    /// Winograd F(6×6, 3×3) (`ConvolutionWinograd6.swift`): 64 multiplies per 36 outputs; float32
    /// errors about 2× F(4×4)'s (docs/performance.md, "Fourth round").
    case f6 = "6"
    /// F(6×6) where it was measured faster on PoCL (`Winograd6Layout.preferred`): outputs at
    /// least 96 wide (eight-tile chunks mostly inside one tile row), at least 384 output channels
    /// per input transform (SPADE's γ and β count together: the GEMM outweighs F(6×6)'s dearer
    /// transforms) and a smaller GEMM than F(4×4)'s; F(4×4) elsewhere.
    case auto
}

/// The extents of one Winograd F(6×6, 3×3) call (2-D): `th` × `tw` output tiles of 6 × 6,
/// numbered σ = ty·tw + tx with no row padding (`tiles` = th·tw), transformed in chunks of 8
/// (`chunks`), and their ⌈tiles/8⌉·8 slots stored as `rows` GEMM rows of `rowSlots` (as
/// `Winograd4Layout.gemmRows`).
struct Winograd6Layout {
    /// Transform positions (8 × 8).
    static let points = 64
    let th: Int, tw: Int
    let rows: Int, rowSlots: Int

    init(_ g: ConvolutionGeometry) {
        th = (g.output[1] + 5) / 6
        tw = (g.output[2] + 5) / 6
        (rows, rowSlots) = Winograd4Layout.gemmRows(slots: (th * tw + 7) / 8 * 8)
    }

    var tiles: Int { th * tw }
    var chunks: Int { (tiles + 7) / 8 }
    /// GEMM slots per image.
    var slots: Int { rows * rowSlots }

    /// Whether F(6×6)'s GEMM (64 positions × its slots) is smaller than F(4×4)'s (36 × its slots)
    /// for `g`, once tile edges and the GEMM's row rounding are counted (64², 128², 256² outputs:
    /// 11–19 % fewer multiplies; 32²: 33 % more).
    static func gemmSmaller(_ g: ConvolutionGeometry) -> Bool {
        Winograd6Layout(g).slots * points < Winograd4Layout(g).slots * 36
    }

    /// `conv.winograd=auto`'s choice for `g` whose input transform feeds `outputs` output channels
    /// (SPADE: γ's and β's): outputs ≥ 96 wide, `outputs` ≥ 384 and `gemmSmaller`. On PoCL
    /// (AVX-512, 2 cores) F(6×6)'s transforms cost 1.2–2× F(4×4)'s per pixel while its GEMM saves
    /// 11–19 %, so it pays only where the GEMM dominates (docs/performance.md).
    static func preferred(_ g: ConvolutionGeometry, outputs: Int) -> Bool {
        g.output[2] >= 96 && outputs >= 384 && gemmSmaller(g)
    }
}

extension Engine {
    /// Whether Winograd F(6×6, 3×3) applies: a 2-D convolution (depth 1, no depth padding) with a
    /// 3×3 kernel and stride 1.
    static func winograd6Applies(_ g: ConvolutionGeometry) -> Bool {
        g.kernel == [1, 3, 3] && g.stride == [1, 1, 1] && g.input[0] == 1 && g.padding[0] == 0
    }

    /// Whether an OpenCL convolution of `g` runs as Winograd F(6×6, 3×3) on this engine:
    /// `conv.algorithm=winograd4` with `conv.winograd=6`, or `auto` where `Winograd6Layout.preferred`
    /// (`outputs`: the output channels fed by one input transform, `g`'s own by default).
    func usesWinograd6(_ g: ConvolutionGeometry, outputs: Int? = nil) -> Bool {
        guard variants.convolutionAlgorithm == .winograd4, Self.winograd6Applies(g) else { return false }
        switch variants.winograd2D {
        case .f4: return false
        case .f6: return true
        case .auto: return Winograd6Layout.preferred(g, outputs: outputs ?? g.outputChannels)
        }
    }

    /// Winograd F(6×6, 3×3) on OpenCL: `conv3x3_wino6_weights` (U, cached per resident weight),
    /// `conv3x3_wino6_input` (V, read from the unpadded input; reused inside
    /// `reusingConvolutionInputs`), `conv3x3_wino6_gemm16x16` or `…16x6` (the 64 GEMMs, tile by
    /// `conv.tile`) and `conv3x3_wino6_output` (AᵀMA + bias, then `activation` when given). 5.1×
    /// fewer multiplies than direct; the transforms multiply by up to 32 and divide by 90, so
    /// float32 errors are about 2× F(4×4)'s (≈ 1e-5 relative at O(1) values on 512 channels,
    /// inside `Tolerance.reduction`). Costs charged as `convolutionWinograd4`'s.
    func convolutionWinograd6(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                              activation: FusedActivation? = nil, cost: KernelCost, output result: Tensor) throws {
        let (m, layout) = try winograd6Products(cl, g, input: input, weight: weight, cost: cost)
        let (cout, n, out) = (g.outputChannels, g.batch, g.output)
        let biasBuffer = try bias.map { try buffer($0) }
        let arguments: [KernelArgument] = [
            .buffer(m), .buffer(biasBuffer ?? m), .buffer(result.deviceBuffer!), .i(cout), .i(out[1]), .i(out[2]),
            .i(layout.th), .i(layout.tw), .i(layout.slots), .i(n), .i(biasBuffer == nil ? 0 : 1),
        ]
        let global = [layout.chunks, cout, n], variant = activation?.buildOptions ?? ""
        let mCount = Winograd6Layout.points * n * cout * layout.slots
        try cl.launch("conv3x3_wino6_output", variant: variant, global: global,
                      local: try laneGroup(cl, kernel: "conv3x3_wino6_output", variant: variant, narrow: [1, 8, 1], global: global),
                      arguments: arguments, cost: KernelCost(flops: 0, bytes: Double(mCount + n * cout * g.outputVoxels) * 4))
    }

    /// The first three steps of `convolutionWinograd6`: U (cached per resident weight), V (reused
    /// inside `reusingConvolutionInputs`) and the GEMMs into M `[64·N][Cout][R·TW]`, charged
    /// `cost`; the caller runs an output transform over M (`conv3x3_wino6_output`, or SPADE's
    /// `conv3x3_wino6_output_modulate`).
    func winograd6Products(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor,
                           cost: KernelCost) throws -> (m: DeviceBuffer, layout: Winograd6Layout) {
        let layout = Winograd6Layout(g)
        let points = Winograd6Layout.points
        let (cin, cout, n) = (g.inputChannels, g.outputChannels, g.batch)
        let blocks = (cout + 7) / 8
        let vCount = points * n * layout.slots * cin
        let mCount = points * n * cout * layout.slots
        guard [n * cin * g.inputVoxels, vCount, mCount, points * blocks * 8 * cin].allSatisfy({ $0 < Int(Int32.max) }) else {
            throw RuntimeError.shapeMismatch("conv2d (Winograd 6×6): transformed tensors exceed 2^31 elements; split the batch or use conv.winograd=4")
        }
        let (u, zeroBias) = try winogradWeights(cl, g, weight: weight, layout: .winograd6, count: points * blocks * 8 * cin, blocks: blocks,
                                                kernel: "conv3x3_wino6_weights", global: [cin, blocks], scalars: [cin, cout, blocks])
        let inputBuffer = try buffer(input)
        // V depends on the input and these extents only; the leading 6 keeps it apart from F(4×4)'s.
        let signature = [6, n, cin] + g.input + g.padding + [layout.th, layout.tw, layout.rows, layout.rowSlots]
        let v: DeviceBuffer
        if let reused = convolutionInputReuse.lookup(inputBuffer, signature: signature) {
            v = reused
        } else {
            v = try cl.makeBuffer(byteCount: (vCount + 16) * 4)
            let global = [layout.chunks, cin, n]
            try cl.launch("conv3x3_wino6_input", global: global, local: try laneGroup(cl, kernel: "conv3x3_wino6_input", narrow: [1, 8, 1], global: global),
                          arguments: [.buffer(inputBuffer), .buffer(v), .i(cin), .i(g.input[1]), .i(g.input[2]), .i(g.padding[1]), .i(g.padding[2]),
                                      .i(layout.th), .i(layout.tw), .i(layout.rows), .i(layout.rowSlots), .i(n)],
                          cost: KernelCost(flops: 0, bytes: Double(n * cin * g.inputVoxels + vCount) * 4))
            convolutionInputReuse.store(inputBuffer, signature: signature, transformed: v)
        }
        let m = try cl.makeBuffer(byteCount: mCount * 4)
        try winogradGemm(cl, g, kernels: ("conv3x3_wino6_gemm16x16", "conv3x3_wino6_gemm16x6"), points: points, v: v, u: u,
                         zeroBias: zeroBias, m: m, kd: 1, depth: (1, 1), rows: layout.rows, rowSlots: layout.rowSlots, cost: cost)
        return (m, layout)
    }
}
