extension LivePortraitConfig {
    /// Checks the structural rules the networks rely on; throws `LivePortraitError.invalidConfig`
    /// listing every broken rule (`source` names the config in the message).
    public func validate(source: String = "config") throws {
        var problems: [String] = []
        func require(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { problems.append(message()) } }
        let a = appearance, m = motion, d = warping.dense, g = decoder
        let positive: [(String, Int)] = [
            ("image_size", imageSize), ("appearance.block_expansion", a.blockExpansion), ("appearance.max_features", a.maxFeatures),
            ("appearance.reshape_channel", a.reshapeChannel), ("appearance.reshape_depth", a.reshapeDepth),
            ("motion.num_kp", m.numKp), ("motion.num_bins", m.numBins), ("warping.block_expansion", warping.blockExpansion),
            ("warping.dense.block_expansion", d.blockExpansion), ("warping.dense.max_features", d.maxFeatures),
            ("warping.dense.compress", d.compress), ("decoder.spade_hidden", g.spadeHidden), ("decoder.out_channels", g.outChannels),
            ("decoder.block_expansion", g.blockExpansion), ("decoder.max_features", g.maxFeatures),
        ]
        for (field, value) in positive { require(value > 0, "\(field) must be positive, got \(value)") }
        let nonNegative: [(String, Int)] = [
            ("appearance.num_down_blocks", a.numDownBlocks), ("appearance.num_resblocks", a.numResblocks),
            ("warping.num_down_blocks", warping.numDownBlocks), ("warping.dense.num_blocks", d.numBlocks),
            ("decoder.num_down_blocks", g.numDownBlocks), ("decoder.num_middle_blocks", g.numMiddleBlocks),
        ]
        for (field, value) in nonNegative { require(value >= 0 && value < 16, "\(field) must be in 0...15, got \(value)") }
        guard problems.isEmpty else { throw LivePortraitError.invalidConfig(source: source, reason: problems.joined(separator: "; ")) }

        require(m.depths.count == 4 && m.dims.count == 4, "motion.depths and motion.dims need 4 entries (ConvNeXt stages), got \(m.depths.count) and \(m.dims.count)")
        require(m.depths.allSatisfy { $0 >= 0 } && m.dims.allSatisfy { $0 > 0 }, "motion.depths must be ≥ 0 and motion.dims > 0")
        require(imageSize % 32 == 0, "image_size \(imageSize) must be a multiple of 32 (the ConvNeXt stem /4 and three /2 downsamplings)")
        require(imageSize % (1 << a.numDownBlocks) == 0, "image_size \(imageSize) must be divisible by 2^appearance.num_down_blocks")
        require(a.reshapeChannel * a.reshapeDepth == a.maxFeatures,
                "appearance.reshape_channel × reshape_depth (\(a.reshapeChannel) × \(a.reshapeDepth)) must equal max_features \(a.maxFeatures) (the 2-D → 3-D view)")
        require(featureSize % (1 << d.numBlocks) == 0,
                "the feature size \(featureSize) must be divisible by 2^warping.dense.num_blocks (\(1 << d.numBlocks)) for the hourglass")
        let decoderInput = min(g.maxFeatures, g.blockExpansion << g.numDownBlocks)
        require(decoderInput == warpChannels,
                "decoder input min(max_features, block_expansion·2^num_down_blocks) = \(decoderInput) must equal the warping output \(warpChannels)")
        require(g.upscale == 1 || g.upscale == 2, "decoder.upscale must be 1 or 2 (pixel shuffle ×2), got \(g.upscale)")
        let k = m.numKp
        let mlps: [(String, MLP, Int, Int)] = [("stitching", stitching, 6 * k, 3 * k + 2), ("lip", lip, 3 * k + 2, 3 * k),
                                              ("eye", eye, 3 * k + 3, 3 * k)]
        for (field, mlp, inputs, outputs) in mlps {
            require(mlp.inputSize == inputs && mlp.outputSize == outputs,
                    "\(field): \(mlp.inputSize) → \(mlp.outputSize) features, but \(k) keypoints need \(inputs) → \(outputs)")
            require(mlp.hiddenSizes.allSatisfy { $0 > 0 }, "\(field).hidden_sizes must be positive")
        }
        guard problems.isEmpty else { throw LivePortraitError.invalidConfig(source: source, reason: problems.joined(separator: "; ")) }
    }
}
