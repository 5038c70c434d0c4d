extension ModelConfig {
    /// The largest size, channel count or block count a config may give (2^20): far above any
    /// real model, small enough that products of a few of them cannot overflow.
    public static let maximumDimension = 1 << 20
    /// The largest upsampling or pooling factor of a scale schedule.
    public static let maximumFactor = 64

    /// Checks the structural rules of `reference/model/config.py` (`Config.validate`): the image,
    /// appearance and G2D schedules agree, the warp schedule ends at the volume shape, G3D's encoder
    /// and decoder meet at every skip, every channel count is divisible by `normGroups`.
    /// Throws `ConfigError.invalid` naming the first broken rule.
    public func validate() throws {
        func fail(_ message: String) -> ConfigError { ConfigError.invalid(name: name, reason: message) }
        guard format == Self.formatTag else { throw fail("format '\(format)', expected '\(Self.formatTag)'") }
        let positives: [(String, Int)] = [
            ("image_size", imageSize), ("norm_groups", normGroups), ("volume_channels", volumeChannels),
            ("volume_depth", volumeDepth), ("volume_size", volumeSize), ("appearance_stem_channels", appearanceStemChannels),
            ("appearance_stem_kernel", appearanceStemKernel), ("identity_input_size", identityInputSize),
            ("identity_width", identityWidth), ("embed_channels", embedChannels), ("embed_size", embedSize),
            ("pose_input_size", poseInputSize), ("pose_width", poseWidth), ("expression_crop_size", expressionCropSize),
            ("expression_width", expressionWidth), ("expression_pool_size", expressionPoolSize), ("z_channels", zChannels),
            ("warp_first_channels", warpFirstChannels), ("g3d_input_size", g3dInputSize),
            ("g3d_input_channels", g3dInputChannels), ("g2d_channels", g2dChannels),
        ]
        for (key, value) in positives where value < 1 || value > Self.maximumDimension {
            throw fail("\(key) must be in 1...\(Self.maximumDimension), found \(value)")
        }
        guard appearanceStemKernel % 2 == 1 else { throw fail("appearance_stem_kernel must be odd") }
        for (key, layers) in [("identity_layers", identityLayers), ("pose_layers", poseLayers), ("expression_layers", expressionLayers)] {
            guard layers.count == 4, layers.allSatisfy({ (1...Self.maximumDimension).contains($0) }) else {
                throw fail("\(key) must list 4 positive block counts, found \(layers)")
            }
        }
        guard imageSize == volumeSize << appearanceBlockChannels.count else {
            throw fail("image_size must equal volume_size * 2**len(appearance_block_channels)")
        }
        guard volumeSize << g2dUpChannels.count == imageSize else {
            throw fail("image_size must equal volume_size * 2**len(g2d_up_channels)")
        }
        guard g2dBlocksPerResolution >= 1 || g2dUpChannels.isEmpty else { throw fail("g2d_blocks_per_resolution must be positive") }
        guard warpPreScale.count == warpBlockChannels.count else { throw fail("warp_pre_scale needs one [d,h,w] per warp block") }
        guard warpPostPool.count == warpBlockChannels.count else { throw fail("warp_post_pool needs one [d,h,w] per warp block") }
        let triples = warpPreScale + warpPostPool + g3dDownPreScale + g3dDownPostPool + g3dUpPreScale + g3dUpPostPool
        guard triples.allSatisfy({ $0.count == 3 && $0.allSatisfy { (1...Self.maximumFactor).contains($0) } }) else {
            throw fail("every scale/pool entry must be three factors [d, h, w] in 1...\(Self.maximumFactor)")
        }
        let channelLists = appearanceBlockChannels + warpBlockChannels + g3dDownChannels + g3dUpChannels + g2dUpChannels
        guard channelLists.allSatisfy({ (1...Self.maximumDimension).contains($0) }) else {
            throw fail("every block channel count must be in 1...\(Self.maximumDimension)")
        }
        guard g2dBlocksPerResolution <= Self.maximumDimension, g2dSameBlocks <= Self.maximumDimension,
              appearance3DBlocks <= Self.maximumDimension else {
            throw fail("block counts must be at most \(Self.maximumDimension)")
        }
        // Sizes along the schedules, refusing any that leaves 1...maximumDimension (or overflows).
        func scaled(_ a: Int, _ b: Int) throws -> Int {
            let (m, overflow) = a.multipliedReportingOverflow(by: b)
            guard !overflow, m <= Self.maximumDimension else { throw fail("a scale schedule grows a size past \(Self.maximumDimension)") }
            return m
        }
        var (d, h) = (embedSize, embedSize)
        for (scale, pool) in zip(warpPreScale, warpPostPool) {
            guard scale[1] == scale[2], pool[1] == pool[2] else { throw fail("warp scales must treat H and W alike") }
            d = try scaled(d, scale[0]) / pool[0]
            h = try scaled(h, scale[1]) / pool[1]
        }
        guard d == volumeDepth, h == volumeSize else {
            throw fail("warp schedule ends at depth \(d) size \(h), volume is \(volumeDepth)x\(volumeSize)")
        }
        guard g3dDownPreScale.count == g3dDownChannels.count, g3dDownPostPool.count == g3dDownChannels.count else {
            throw fail("g3d_down_pre_scale and g3d_down_post_pool need one [d,h,w] per G3D down block")
        }
        guard g3dUpPreScale.count == g3dUpChannels.count, g3dUpPostPool.count == g3dUpChannels.count else {
            throw fail("g3d_up_pre_scale and g3d_up_post_pool need one [d,h,w] per G3D up block")
        }
        guard g3dUpChannels.count == g3dDownChannels.count else { throw fail("G3D needs as many up blocks as down blocks") }
        var shape = [volumeDepth, volumeSize, volumeSize]
        var features: [(Int, [Int])] = []
        for ((scale, pool), c) in zip(zip(g3dDownPreScale, g3dDownPostPool), g3dDownChannels) {
            shape = try zip(shape, scale).map { try scaled($0, $1) }
            features.append((c, shape))
            shape = zip(shape, pool).map { $0 / $1 }
        }
        var c = g3dInputChannels
        shape = [g3dInputSize, g3dInputSize, g3dInputSize]
        for (i, ((scale, pool), cout)) in zip(zip(g3dUpPreScale, g3dUpPostPool), g3dUpChannels).enumerated() {
            shape = try zip(shape, scale).map { try scaled($0, $1) }
            let (fc, fshape) = features[features.count - 1 - i]
            guard fc == c, fshape == shape else {
                throw fail("G3D up block \(i) input \(c)x\(shape) does not meet skip \(fc)x\(fshape)")
            }
            shape = zip(shape, pool).map { $0 / $1 }
            c = cout
        }
        guard c == volumeChannels, shape == [volumeDepth, volumeSize, volumeSize] else {
            throw fail("G3D ends at \(c)x\(shape), not the volume shape")
        }
        var channels = [appearanceStemChannels, volumeChannels, g2dChannels, zChannels, embedChannels,
                        warpFirstChannels, g3dInputChannels]
        channels += channelLists
        channels += (0..<4).flatMap { i in [identityWidth << i, 4 * (identityWidth << i)] }
        channels += (0..<4).map { expressionWidth << $0 }
        for ch in channels where ch < 1 || ch % normGroups != 0 {
            throw fail("\(ch) channels are not divisible by norm_groups \(normGroups)")
        }
        guard gridPaddingMode == "zeros" || gridPaddingMode == "border" else {
            throw fail("grid_padding_mode must be zeros or border")
        }
        guard [1, 3].contains(g3dHeadKernel), [1, 3].contains(g2dHeadKernel) else { throw fail("head kernels must be 1 or 3") }
        guard imagenetMean.count == 3, imagenetStd.count == 3, imagenetStd.allSatisfy({ $0 > 0 }) else {
            throw fail("imagenet_mean and imagenet_std need 3 values (std positive)")
        }
        guard normEps > 0 else { throw fail("norm_eps must be positive") }
        guard poseAngleMin <= poseAngleMax else { throw fail("pose_angle_min exceeds pose_angle_max") }
    }
}
