import Kernels
import NetworkCore
import Runtime

/// The 3-D U-Net of the dense-motion network (`util.py Hourglass`): down blocks conv3×3×3+BN+ReLU
/// then avg-pool (1, 2, 2); up blocks nearest ×(1, 2, 2) then conv+BN+ReLU, each concatenated with
/// the matching skip; a final conv+BN+ReLU. BatchNorms are folded; `up.0` is the deepest.
struct Hourglass3d {
    let down: [Conv]
    let up: [Conv]
    let final: Conv
    /// Channels of the output (`expansion + input channels`).
    let outputChannels: Int

    init(_ c: ParameterCollector, _ prefix: String, inputChannels: Int, _ d: LivePortraitConfig.DenseMotion) {
        func width(_ i: Int) -> Int { min(d.maxFeatures, d.blockExpansion << i) }
        let n = d.numBlocks
        down = (0..<n).map { Conv(c, "\(prefix).down.\($0)", dims: 3, $0 == 0 ? inputChannels : width($0), width($0 + 1), kernel: 3, bias: true) }
        up = (0..<n).map { j in
            let i = n - 1 - j
            return Conv(c, "\(prefix).up.\(j)", dims: 3, (i == n - 1 ? 1 : 2) * width(i + 1), width(i), kernel: 3, bias: true)
        }
        outputChannels = d.blockExpansion + inputChannels
        final = Conv(c, "\(prefix).final", dims: 3, outputChannels, outputChannels, kernel: 3, bias: true)
    }

    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor) throws -> Tensor {
        let e = f.engine
        var skips = [x]
        for conv in down { skips.append(try e.avgPool3d(conv(f, skips[skips.count - 1], activation: .relu), kernel: [1, 2, 2])) }
        var out = skips.removeLast()
        for conv in up {
            out = try conv(f, upsampleHW(e, out), activation: .relu)
            out = try e.concatenate([out, skips.removeLast()], dim: 1)
        }
        return try final(f, out, activation: .relu)
    }

    /// `F.interpolate(scale_factor=(1, 2, 2), mode="nearest")` on `[N, C, D, H, W]`: the volume
    /// viewed as `[N, C·D, H, W]` and upsampled ×2 in 2-D.
    private func upsampleHW(_ e: Engine, _ x: Tensor) throws -> Tensor {
        let s = x.shape
        let y = try e.upsampleNearest2d(x.reshaped([s[0], s[1] * s[2], s[3], s[4]]), scale: 2)
        return try y.reshaped([s[0], s[1], s[2], 2 * s[3], 2 * s[4]])
    }

    /// FLOPs at a `depth × side²` input.
    func flops(depth: Int, side: Int) -> Double {
        var total = 0.0, n = side
        for conv in down {
            total += conv.flops(points: depth * n * n)
            n /= 2
        }
        for conv in up {
            n *= 2
            total += conv.flops(points: depth * n * n)
        }
        return total + final.flops(points: depth * n * n)
    }
}

/// The dense-motion network (`dense_motion.py`): keypoints → a backward 3-D flow (a softmax mixture
/// of the identity and K sparse keypoint motions) and an occlusion map. Identity grid, sparse
/// motions, keypoint heatmaps and the mask-weighted sum are engine ops; the compressed volume is
/// sampled once per motion from one shared input.
struct DenseMotion {
    let compress: Conv
    let hourglass: Hourglass3d
    let mask: Conv
    let occlusion: Conv

    init(_ c: ParameterCollector, _ cfg: LivePortraitConfig) {
        let d = cfg.warping.dense, k = cfg.numKeypoints
        compress = Conv(c, "warping.dense.compress", dims: 3, cfg.appearance.reshapeChannel, d.compress, kernel: 1, bias: true)
        hourglass = Hourglass3d(c, "warping.dense.hourglass", inputChannels: (k + 1) * (d.compress + 1), d)
        mask = Conv(c, "warping.dense.mask", dims: 3, hourglass.outputChannels, k + 1, kernel: 7, bias: true)
        occlusion = Conv(c, "warping.dense.occlusion", dims: 2, hourglass.outputChannels * cfg.appearance.reshapeDepth, 1,
                         kernel: 7, bias: true)
    }

    /// The deformation `[1, D, H, W, 3]` and occlusion `[1, 1, H, W]` for f_s `[1, C, D, H, W]` and
    /// keypoints `[1, K, 3]` (resident); records the stages under `prefix` (`….dense.mask`...).
    func callAsFunction(_ f: LivePortraitForward, _ feature: Tensor, source xs: Tensor, driving xd: Tensor,
                        prefix: String) throws -> (deformation: Tensor, occlusion: Tensor) {
        let e = f.engine
        let (d, h, w) = (feature.shape[2], feature.shape[3], feature.shape[4])
        let motions = xs.shape[1] + 1
        let compressed = try compress(f, feature, activation: .relu)
        try f.record(prefix + ".compressed", compressed)
        let sparse = try e.sparseMotion(sourceKeypoints: xs, driverKeypoints: xd, size: [d, h, w])     // [1, K+1, D, H, W, 3]
        let deformed = try e.gridSample(compressed, grid: sparse.reshaped([motions, d, h, w, 3]), mode: .bilinear,
                                        padding: .zeros, alignCorners: false)                          // [K+1, c, D, H, W]
        let heatmaps = try e.keypointHeatmaps(sourceKeypoints: xs, driverKeypoints: xd, size: [d, h, w], variance: 0.01)
        let joined = try e.concatenate([heatmaps.reshaped([motions, 1, d, h, w]), deformed], dim: 1)
        let hourglassIn = try joined.reshaped([1, motions * joined.shape[1], d, h, w])
        try f.record(prefix + ".hourglass_in", hourglassIn)
        let prediction = try hourglass(f, hourglassIn)
        try f.record(prefix + ".prediction", prediction)
        let weights = try e.softmax(mask(f, prediction), dim: 1)
        try f.record(prefix + ".mask", weights)
        let deformation = try e.weightedMotionSum(mask: weights, motion: sparse)
        try f.record(prefix + ".deformation", deformation)
        let folded = try prediction.reshaped([1, prediction.shape[1] * d, h, w])
        let occlusionMap = try occlusion(f, folded, activation: .sigmoid)
        try f.record(prefix + ".occlusion", occlusionMap)
        return (deformation, occlusionMap)
    }

    /// FLOPs at `cfg`.
    func flops(_ cfg: LivePortraitConfig) -> Double {
        let (d, n) = (cfg.appearance.reshapeDepth, cfg.featureSize)
        return compress.flops(points: d * n * n) + hourglass.flops(depth: d, side: n)
            + mask.flops(points: d * n * n) + occlusion.flops(points: n * n)
    }
}
