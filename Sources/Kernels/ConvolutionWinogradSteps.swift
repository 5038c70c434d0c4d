import Runtime

/// The steps the Winograd F(4×4, 3×3) and F(2×2×2, 3×3×3) paths share: the cached weight
/// transform and the GEMM launch; and the padding copy to the tile extents, which only the
/// F(2×2×2) path takes (F(4×4)'s input transform applies the padding while reading).
extension Engine {
    /// `input` copied once by `kernel` (a `conv_pad` instance, named per algorithm so profiles
    /// charge it there) into a zero-padded scratch `[N][Dp][Hp][Cin][Wp]` of `extent`
    /// `(Dp, Hp, Wp)`, each at least the padded input's extent.
    func winogradPaddedInput(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, kernel: String,
                             extent: [Int]) throws -> DeviceBuffer {
        let cin = g.inputChannels
        let planes = g.batch * extent[0] * extent[1]
        let count = planes * cin * extent[2]
        let padded = try cl.makeBuffer(byteCount: count * 4)
        try padInput(cl, g, kernel: kernel, input: try buffer(input), padded: padded, extent: extent)
        return padded
    }

    /// Enqueues the padding copy `kernel` (`conv_pad_input` or `conv3x3x3_wino2_pad`) of `input`
    /// into `padded` at `extent` `(Dp, Hp, Wp)`: one work-item per padded row (`launch.width=narrow`,
    /// CPUs), or per element through the `_lanes` instance (`wide`, GPUs: coalesced).
    func padInput(_ cl: OpenCLContext, _ g: ConvolutionGeometry, kernel: String, input: DeviceBuffer, padded: DeviceBuffer,
                  extent: [Int]) throws {
        let cin = g.inputChannels
        let planes = g.batch * extent[0] * extent[1]
        let arguments: [KernelArgument] = [
            .buffer(input), .buffer(padded), .i(cin), .i(g.input[0]), .i(g.input[1]), .i(g.input[2]),
            .i(extent[0]), .i(extent[1]), .i(extent[2]), .i(g.padding[0]), .i(g.padding[1]), .i(g.padding[2]), .i(planes),
        ]
        let cost = KernelCost(flops: 0, bytes: Double(g.batch * cin * g.inputVoxels + planes * cin * extent[2]) * 4)
        if variants.launchWidth == .wide {
            let lanes = kernel + "_lanes", global = [extent[2], cin, planes]
            try cl.launch(lanes, global: global, local: try laneGroup(cl, kernel: lanes, narrow: [8, 8, 1], global: global),
                          arguments: arguments, cost: cost)
        } else {
            try cl.launch(kernel, global: [cin, planes], local: [8, 8], arguments: arguments, cost: cost)
        }
    }

    /// Transformed weights (`count` floats) and a zero GEMM bias (`blocks·8`): from the weight
    /// cache under `layout` when `weight` is a resident device tensor transformed once already,
    /// else made by `kernel` (arguments: weight, U, bias, then `scalars`) over `global` (input
    /// channels first, in work-groups of 8: one work-item per input channel and block of eight
    /// output channels, storing float8 runs) and cached when resident.
    func winogradWeights(_ cl: OpenCLContext, _ g: ConvolutionGeometry, weight: Tensor, layout: ConvolutionWeightCache.Layout,
                         count: Int, blocks: Int, kernel: String, global: [Int], scalars: [Int]) throws -> (DeviceBuffer, DeviceBuffer) {
        let cacheable = weight.deviceBuffer != nil
        if cacheable, let hit = convolutionWeightCache.lookup(weight: weight.deviceBuffer!, bias: nil, layout: layout) {
            return hit
        }
        let u = try cl.makeBuffer(byteCount: count * 4)
        let zero = try cl.makeBuffer(byteCount: blocks * 8 * 4)
        let weightBuffer = try buffer(weight)
        let floats = g.outputChannels * g.reduction + count
        try cl.launch(kernel, global: global, local: try laneGroup(cl, kernel: kernel, narrow: [8, 1], global: global), arguments: [.buffer(weightBuffer), .buffer(u), .buffer(zero)] + scalars.map { KernelArgument.i($0) },
                      cost: KernelCost(flops: 0, bytes: Double(floats) * 4))
        if cacheable {
            convolutionWeightCache.store(weight: weightBuffer, bias: nil, packed: u, packedBias: zero, layout: layout)
        }
        return (u, zero)
    }

    /// The `points` GEMMs M[ξ] = U[ξ] · V[ξ], one per transform point ξ, run by the register-tiled
    /// direct kernels (`kernels`: the 16 × 16 instance, and the 16 × 6 one taken under
    /// `conv.tile=16x6` with at least two channel blocks) as 1×1 convolutions over `kd` depth
    /// taps: V `[points·N][Dp][R][Cin][TW]` (`depth` = (Dp, Do), R = `rows`, TW = `rowSlots`) and
    /// U `[points][CB][kd][Cin][8]` into M `[points·N][Cout][Do][R·TW]`, charged `cost`.
    func winogradGemm(_ cl: OpenCLContext, _ g: ConvolutionGeometry, kernels: (wide: String, narrow: String), points: Int,
                      v: DeviceBuffer, u: DeviceBuffer, zeroBias: DeviceBuffer, m: DeviceBuffer, kd: Int, depth: (padded: Int, output: Int),
                      rows: Int, rowSlots: Int, cost: KernelCost) throws {
        let (cin, cout, n) = (g.inputChannels, g.outputChannels, g.batch)
        let blocks = (cout + 7) / 8
        let narrow = variants.convolutionTile == .tile16x6 && blocks >= 2
        let tilesX = (rowSlots + (narrow ? 6 : 16) - 1) / (narrow ? 6 : 16)
        let arguments: [KernelArgument] = [
            .buffer(v), .buffer(u), .buffer(zeroBias), .buffer(m), .i(cin), .i(cout), .i(blocks), .i(kd), .i(1),
            .i(depth.padded), .i(rows), .i(rowSlots), .i(depth.output), .i(rows), .i(rowSlots), .i(tilesX), .i(1), .i(1), .i(n),
        ]
        try cl.launch(narrow ? kernels.narrow : kernels.wide, global: [tilesX, (blocks + 1) / 2, points * n * depth.output * rows],
                      local: [variants.convolutionGroupWidth.width(covering: tilesX), 1, 1], exactLocalSetting: "conv.local",
                      arguments: arguments, cost: cost)
    }
}
