import Kernels
import NetworkCore
import Runtime

/// A LayerNorm over dim 1 of `[N, C, *]` (eps 1e-6, biased variance): ConvNeXt's channels-first
/// LayerNorm on `[N, C, H, W]`, and the plain last-dim LayerNorm on pooled `[N, C]`.
struct LayerNorm {
    let weight: String, bias: String

    init(_ c: ParameterCollector, _ prefix: String, _ channels: Int) {
        weight = c.declare(prefix + ".weight", [channels], .onePlusUniform(bound: 0.2))
        bias = c.declare(prefix + ".bias", [channels], .uniform(bound: 0.1))
    }

    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor) throws -> Tensor {
        try f.engine.layerNorm(x, weight: f.parameter(weight), bias: f.parameter(bias), eps: 1e-6)
    }
}

/// A ConvNeXtV2 block on NCHW (`convnextv2.py Block`): depthwise 7×7 → LayerNorm(C) → Linear C→4C →
/// GELU (erf) → GRN(4C) → Linear 4C→C, plus the input. The NHWC Linears are 1×1 convolutions on
/// NCHW with the `[out, in]` weight viewed as `[out, in, 1, 1]` (a free reshape), and LayerNorm
/// over C per pixel is the channels-first LayerNorm, so no permutes are needed.
struct ConvNeXtBlock {
    let dim: Int
    let dwWeight: String, dwBias: String
    let norm: LayerNorm
    let pw1: Linear, pw2: Linear
    let grnGamma: String, grnBeta: String

    init(_ c: ParameterCollector, _ prefix: String, _ dim: Int) {
        self.dim = dim
        dwWeight = c.declare(prefix + ".dwconv.weight", [dim, 1, 7, 7], .fanIn(gain: 3, scale: 1))
        dwBias = c.declare(prefix + ".dwconv.bias", [dim], .uniform(bound: 0.05))
        norm = LayerNorm(c, prefix + ".norm", dim)
        pw1 = Linear(c, prefix + ".pw1", dim, 4 * dim, bias: true)
        grnGamma = c.declare(prefix + ".grn.gamma", [4 * dim], .uniform(bound: 0.2))
        grnBeta = c.declare(prefix + ".grn.beta", [4 * dim], .uniform(bound: 0.1))
        pw2 = Linear(c, prefix + ".pw2", 4 * dim, dim, bias: true)
    }

    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor) throws -> Tensor {
        let e = f.engine
        var y = try e.depthwiseConv2d(x, weight: f.parameter(dwWeight), bias: f.parameter(dwBias), padding: [3, 3])
        try f.count(FlopCount.multiplyAccumulate(reduction: 49, outputs: y.count))
        y = try norm(f, y)
        y = try pointwise(f, pw1, y, activation: .gelu)
        y = try e.globalResponseNorm(y, gamma: f.parameter(grnGamma), beta: f.parameter(grnBeta), eps: 1e-6)
        return try e.add(x, pointwise(f, pw2, y))
    }

    /// `linear` over the channels of every pixel: a 1×1 convolution with the weight viewed 4-D,
    /// then `activation` (fused into the convolution).
    private func pointwise(_ f: LivePortraitForward, _ layer: Linear, _ x: Tensor, activation: Activation? = nil) throws -> Tensor {
        let w = try f.parameter(layer.weight).reshaped([layer.outputs, layer.inputs, 1, 1])
        let y = try f.engine.conv2d(x, weight: w, bias: layer.bias.map { try f.parameter($0) }, activation: activation)
        try f.count(layer.flops * Double(x.shape[0] * x.shape[2] * x.shape[3]))
        return y
    }

    /// FLOPs at `points` pixels (depthwise taps counted as 2 per multiply-add).
    func flops(points: Int) -> Double {
        FlopCount.multiplyAccumulate(reduction: 49, outputs: points * dim) + Double(points) * (pw1.flops + pw2.flops)
    }
}

/// The raw outputs of the motion extractor's heads for one image (host values).
struct MotionHeads {
    /// The pooled, LayerNormed backbone feature `[1, C]`.
    let pooled: Tensor
    /// Head outputs by name (`kp`, `pitch`, `yaw`, `roll`, `t`, `exp`, `scale`).
    let heads: [String: [Float]]
}

/// M, the motion extractor (`motion_extractor.py` with `convnextv2.py`): a ConvNeXtV2 backbone
/// (stem conv 4×4 s4 + LayerNorm; per stage a downsample LayerNorm + conv 2×2 s2, then blocks),
/// global mean pool, LayerNorm, and linear heads for the canonical keypoints, the pitch/yaw/roll
/// bins, translation, expression deformation and scale.
struct MotionExtractor {
    /// Head names in the official order.
    static let headNames = ["kp", "pitch", "yaw", "roll", "t", "exp", "scale"]

    let stem: Conv
    let stemNorm: LayerNorm
    let downNorm: [LayerNorm]
    let down: [Conv]
    let stages: [[ConvNeXtBlock]]
    let headNorm: LayerNorm
    let heads: [String: Linear]

    init(_ c: ParameterCollector, _ cfg: LivePortraitConfig) {
        let m = cfg.motion, dims = m.dims
        stem = Conv(c, "motion.stem", dims: 2, 3, dims[0], kernel: 4, stride: 4, padding: 0, bias: true)
        stemNorm = LayerNorm(c, "motion.stem_norm", dims[0])
        downNorm = (0..<3).map { LayerNorm(c, "motion.down_norm.\($0)", dims[$0]) }
        down = (0..<3).map { Conv(c, "motion.down.\($0)", dims: 2, dims[$0], dims[$0 + 1], kernel: 2, stride: 2, padding: 0, bias: true) }
        stages = (0..<4).map { s in (0..<m.depths[s]).map { ConvNeXtBlock(c, "motion.stages.\(s).\($0)", dims[s]) } }
        headNorm = LayerNorm(c, "motion.head_norm", dims[3])
        let sizes = ["kp": 3 * m.numKp, "pitch": m.numBins, "yaw": m.numBins, "roll": m.numBins, "t": 3, "exp": 3 * m.numKp, "scale": 1]
        var heads: [String: Linear] = [:]
        for name in Self.headNames { heads[name] = Linear(c, "motion.head.\(name)", dims[3], sizes[name]!, bias: true) }
        self.heads = heads
    }

    /// The backbone, pooling and heads on `image` `[1, 3, S, S]`.
    func callAsFunction(_ f: LivePortraitForward, _ image: Tensor) throws -> MotionHeads {
        let e = f.engine
        var x = try stemNorm(f, stem(f, image))
        for s in 0..<4 {
            if s > 0 { x = try down[s - 1](f, downNorm[s - 1](f, x)) }
            for block in stages[s] { x = try block(f, x) }
        }
        let channels = x.shape[1]
        let pooled = try headNorm(f, e.adaptiveAvgPool2d(x, outputSize: [1, 1]).reshaped([x.shape[0], channels]))
        var out: [String: [Float]] = [:]
        for name in Self.headNames { out[name] = try e.values(heads[name]!(f, pooled)) }
        return MotionHeads(pooled: pooled, heads: out)
    }

    /// FLOPs of one image at `cfg`.
    func flops(_ cfg: LivePortraitConfig) -> Double {
        var n = cfg.imageSize / 4
        var total = stem.flops(points: n * n)
        for s in 0..<4 {
            if s > 0 {
                n /= 2
                total += down[s - 1].flops(points: n * n)
            }
            total += stages[s].reduce(0) { $0 + $1.flops(points: n * n) }
        }
        return total + Self.headNames.reduce(0) { $0 + heads[$1]!.flops }
    }
}
