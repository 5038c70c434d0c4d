import Kernels
import NetworkCore
import Runtime

/// W, the warping module (`warping_network.py`): the dense motion, the trilinear warp of f_s
/// (`grid_sample`, zeros, align_corners=False), depth folded into channels (channel c·D + d),
/// `third` conv3×3+BN+LeakyReLU(0.01), `fourth` conv1×1, times the occlusion map.
struct WarpingModule {
    let dense: DenseMotion
    let third: Conv
    let fourth: Conv

    init(_ c: ParameterCollector, _ cfg: LivePortraitConfig) {
        dense = DenseMotion(c, cfg)
        let a = cfg.appearance, out = cfg.warpChannels
        third = Conv(c, "warping.third.conv", dims: 2, a.reshapeChannel * a.reshapeDepth, out, kernel: 3, bias: true)
        fourth = Conv(c, "warping.fourth", dims: 2, out, out, kernel: 1, bias: true)
    }

    /// f_s `[1, C, D, H, W]` warped from the source keypoints `[1, K, 3]` to the driving ones →
    /// `[1, warpChannels, H, W]`; records `prefix.dense.*`, `prefix.warped_3d`, `prefix.warp_out`.
    func callAsFunction(_ f: LivePortraitForward, _ feature: Tensor, source xs: Tensor, driving xd: Tensor,
                        prefix: String) throws -> Tensor {
        let e = f.engine
        let (deformation, occlusion) = try dense(f, feature, source: xs, driving: xd, prefix: prefix + ".dense")
        let warped = try e.gridSample(feature, grid: deformation, mode: .bilinear, padding: .zeros, alignCorners: false)
        try f.record(prefix + ".warped_3d", warped)
        let s = warped.shape
        let flat = try warped.reshaped([s[0], s[1] * s[2], s[3], s[4]])
        let projected = try fourth(f, third(f, flat, activation: .leakyReLU, negativeSlope: 0.01))
        let out = try e.multiply(projected, broadcasting: occlusion)
        try f.record(prefix + ".warp_out", out)
        return out
    }

    /// FLOPs at `cfg` (the dense motion included).
    func flops(_ cfg: LivePortraitConfig) -> Double {
        let points = cfg.featureSize * cfg.featureSize
        return dense.flops(cfg) + third.flops(points: points) + fourth.flops(points: points)
    }
}
