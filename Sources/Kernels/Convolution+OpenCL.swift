import Runtime

extension Engine {
    /// OpenCL convolution: pad the input once into a pooled scratch buffer, pack the weights
    /// (output channel innermost, Cout rounded up to 8; cached for resident weights, see
    /// `ConvolutionWeightCache`), then one register-tiled kernel of the device's
    /// `ConvolutionTile` (8 channels × 8 x positions per work-item, or for stride-1 k1/k3
    /// 16 × 6 on AVX2 CPUs and 16 × 16 on AVX-512 CPUs: `variants.convolutionTile`). The
    /// work-group spans a few x tiles of one output row (`variants.convolutionGroupWidth`:
    /// register-tiled kernels are insensitive to it on PoCL; on GPUs 64 items keep a warp busy).
    /// `activation` runs in the kernels' epilogue (`FusedActivation`) on every path.
    func convolutionOpenCL(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                           activation: FusedActivation? = nil, cost: KernelCost, output result: Tensor) throws {
        if variants.convolutionAlgorithm == .winograd && Self.winogradApplies(g) {
            return try convolutionWinograd(cl, g, input: input, weight: weight, bias: bias, activation: activation, cost: cost, output: result)
        }
        if usesWinograd3D(g) {
            return try convolutionWinograd3D(cl, g, input: input, weight: weight, bias: bias, activation: activation, cost: cost, output: result)
        }
        if usesWinograd7(g) {
            return try convolutionWinograd7(cl, g, input: input, weight: weight, bias: bias, activation: activation, cost: cost, output: result)
        }
        if usesWinograd6(g) {
            return try convolutionWinograd6(cl, g, input: input, weight: weight, bias: bias, activation: activation, cost: cost, output: result)
        }
        if usesWinograd4(g) {
            return try convolutionWinograd4(cl, g, input: input, weight: weight, bias: bias, activation: activation, cost: cost, output: result)
        }
        let (kd, kh, kw) = (g.kernel[0], g.kernel[1], g.kernel[2])
        let (sd, sh, sw) = (g.stride[0], g.stride[1], g.stride[2])
        let out = g.output
        let blocks = (g.outputChannels + 7) / 8
        let variants = self.variants
        let tile = ConvolutionTile.choose(kernelWidth: kw, strideX: sw, channelBlocks: blocks, preferred: variants.convolutionTile)
        let tilesX = (out[2] + tile.width - 1) / tile.width
        // Padded extents; the scratch is [N][Dp][Hp][Cin][Wp] plus slack for the vector
        // over-read of the last x tile (a tile's outputs × stride, +16 for vload16 at stride 2, + kw).
        let dp = g.input[0] + 2 * g.padding[0]
        let hp = g.input[1] + 2 * g.padding[1]
        let wp = g.input[2] + 2 * g.padding[2]
        let planes = g.batch * dp * hp
        let slack = tilesX * tile.width * sw + kw + 16
        let padded = try cl.makeBuffer(byteCount: (planes * g.inputChannels * wp + slack) * 4)
        let inputBuffer = try buffer(input)
        try padInput(cl, g, kernel: "conv_pad_input", input: inputBuffer, padded: padded, extent: [dp, hp, wp])

        if variants.convolutionAlgorithm == .implicitGemm {
            try convolutionImplicitGemm(cl, g, padded: padded, padExtent: [dp, hp, wp], weight: weight, bias: bias, activation: activation,
                                        result: result, cost: cost)
            return
        }
        let (packed, packedBias) = try packedConvolutionWeights(cl, g, weight: weight, bias: bias, blocks: blocks)

        var arguments: [KernelArgument] = [
            .buffer(padded), .buffer(packed), .buffer(packedBias), .buffer(result.deviceBuffer!),
            .i(g.inputChannels), .i(g.outputChannels), .i(blocks), .i(kd), .i(kh),
            .i(dp), .i(hp), .i(wp), .i(out[0]), .i(out[1]), .i(out[2]), .i(tilesX), .i(sd), .i(sh),
        ]
        // A k7 convolution with one or three channel blocks on the 16×16 tile (LivePortrait's 7×7
        // occlusion, 2272 → 1, and 7×7×7 mask, 142 → 22) runs every block in one work-item
        // (8 × 16 or 24 × 16 kernels) instead of pairs, where the last pair recomputes its one
        // block: 8 or 24 channels computed instead of 16 or 32.
        let wholeBlocks = tile == .tile16x16 && kw == 7 && sw == 1 && (blocks == 1 || blocks == 3)
        let global: [Int]
        switch tile {
        case .tile8x8:
            global = [tilesX, out[0] * out[1], g.batch * blocks]
        case .tile16x6, .tile16x16:
            // Pairs of channel blocks inside rows: 1.2-1.7x on PoCL (the input rows of one output
            // row stay in L2 while every block uses them; with rows inside blocks the input was
            // re-streamed from L3/DRAM once per block).
            global = [tilesX, wholeBlocks ? 1 : (blocks + 1) / 2, g.batch * out[0] * out[1]]
        }
        let name: String
        if wholeBlocks {
            name = "conv_k7s1_tile\(8 * blocks)x16"
        } else if let specialised = tile.kernelName(kernelWidth: kw, strideX: sw) {
            name = specialised
        } else {
            name = "conv_any_tile"
            arguments += [.i(kw), .i(sw)]
        }
        try cl.launch(name, variant: activation?.buildOptions ?? "", global: global,
                      local: [variants.convolutionGroupWidth.width(covering: tilesX), 1, 1], exactLocalSetting: "conv.local",
                      arguments: arguments, cost: cost)
    }
}

extension Engine {
    /// The packed weights and bias for `weight`/`bias`: from the cache when both are device
    /// tensors already packed once (network weights are resident, so every frame after the first
    /// skips the packing pass), else packed now (and cached when they are device tensors).
    func packedConvolutionWeights(_ cl: OpenCLContext, _ g: ConvolutionGeometry, weight: Tensor, bias: Tensor?,
                                  blocks: Int) throws -> (DeviceBuffer, DeviceBuffer) {
        let cacheable = weight.deviceBuffer != nil && (bias == nil || bias?.deviceBuffer != nil)
        if cacheable, let hit = convolutionWeightCache.lookup(weight: weight.deviceBuffer!, bias: bias?.deviceBuffer) {
            return hit
        }
        let k = g.reduction
        let packed = try cl.makeBuffer(byteCount: blocks * k * 8 * 4)
        let packedBias = try cl.makeBuffer(byteCount: blocks * 8 * 4)
        let weightBuffer = try buffer(weight)
        let biasBuffer = try bias.map { try buffer($0) }
        try cl.launch("conv_pack_weights", global: [blocks * k * 8], local: [256],
                      arguments: [.buffer(weightBuffer), .buffer(biasBuffer ?? weightBuffer), .buffer(packed), .buffer(packedBias),
                                  .i(g.outputChannels), .i(g.inputChannels), .i(g.kernel[0]), .i(g.kernel[1]), .i(g.kernel[2]),
                                  .i(blocks), .i(biasBuffer == nil ? 0 : 1)],
                      cost: KernelCost(flops: 0, bytes: Double(g.outputChannels * k + blocks * k * 8) * 4))
        if cacheable {
            convolutionWeightCache.store(weight: weightBuffer, bias: biasBuffer, packed: packed, packedBias: packedBias)
        }
        return (packed, packedBias)
    }
}
