import Kernels
import NetworkCore
import Runtime

/// Linear+ReLU per hidden size, then a Linear (`stitching_retargeting_network.py`), on the engine.
struct KeypointMLP {
    let layers: [Linear]

    init(_ c: ParameterCollector, _ prefix: String, _ mlp: LivePortraitConfig.MLP) {
        let sizes = [mlp.inputSize] + mlp.hiddenSizes + [mlp.outputSize]
        layers = (0..<sizes.count - 1).map {
            Linear(c, "\(prefix).layers.\($0)", sizes[$0], sizes[$0 + 1], bias: true,
                   initializer: .fanIn(gain: 3, scale: $0 == sizes.count - 2 ? 0.05 : 1))
        }
    }

    /// The MLP on one input row (host values in, host values out).
    func callAsFunction(_ f: LivePortraitForward, _ input: [Double]) throws -> [Double] {
        var x = try f.engine.resident(Tensor(shape: [1, input.count], values: input.map(Float.init)))
        for (i, layer) in layers.enumerated() {
            x = try layer(f, x)
            if i < layers.count - 1 { x = try f.engine.relu(x) }
        }
        return try f.engine.values(x).map(Double.init)
    }

    var flops: Double { layers.reduce(0) { $0 + $1.flops } }
}

/// S and R: the stitching MLP and the eye / lip retargeting MLPs, with the wrapper-level glue
/// (`live_portrait_wrapper.py stitching / retarget_eye / retarget_lip`). Inputs flatten the
/// keypoints row-major (keypoint, xyz).
struct RetargetingMLPs {
    let stitching: KeypointMLP, lip: KeypointMLP, eye: KeypointMLP

    init(_ c: ParameterCollector, _ cfg: LivePortraitConfig) {
        stitching = KeypointMLP(c, "stitching", cfg.stitching)
        lip = KeypointMLP(c, "lip", cfg.lip)
        eye = KeypointMLP(c, "eye", cfg.eye)
    }

    /// `x_d + δ`: δ = S(x_s ‖ x_d), 3K expression offsets plus (Δtx, Δty) on every keypoint.
    func stitch(_ f: LivePortraitForward, source xs: [Double], driving xd: [Double]) throws -> [Double] {
        let delta = try stitching(f, xs + xd)
        let n = xd.count
        return (0..<n).map { i in xd[i] + delta[i] + (i % 3 < 2 ? delta[n + i % 3] : 0) }
    }

    /// The eye delta `[K · 3]` = R_eye(x_s ‖ (c_s,L, c_s,R, c_d)).
    func eyeDelta(_ f: LivePortraitForward, source xs: [Double], _ r: EyeRatios) throws -> [Double] {
        try eye(f, xs + [r.sourceLeft, r.sourceRight, r.driving].map(Double.init))
    }

    /// The lip delta `[K · 3]` = R_lip(x_s ‖ (c_s, c_d)).
    func lipDelta(_ f: LivePortraitForward, source xs: [Double], _ r: LipRatios) throws -> [Double] {
        try lip(f, xs + [r.source, r.driving].map(Double.init))
    }
}
