import Kernels
import NetworkCore
import Runtime

/// `y = x · scale[c] + shift[c]` on `[N, C, ...]`: a folded eval-mode BatchNorm acting on a block's
/// input (`appearance.res3d.{i}.norm`), run as `batch_norm` with mean 0, variance 1 and eps 0
/// (exactly `x · scale + shift`).
struct ChannelAffine {
    let scale: String, shift: String
    let zeros: String, ones: String

    init(_ c: ParameterCollector, _ prefix: String, _ channels: Int) {
        scale = c.declare(prefix + ".scale", [channels], .onePlusUniform(bound: 0.2))
        shift = c.declare(prefix + ".shift", [channels], .uniform(bound: 0.1))
        zeros = "constant.zeros.\(channels)"
        ones = "constant.ones.\(channels)"
        c.constant(zeros, Tensor(zeros: [channels]))
        c.constant(ones, Tensor(shape: [channels], values: [Float](repeating: 1, count: channels)))
    }

    /// The affine, then relu in the same pass when `relu`.
    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor, relu: Bool = false) throws -> Tensor {
        try f.engine.batchNorm(x, runningMean: f.parameter(zeros), runningVar: f.parameter(ones),
                               weight: f.parameter(scale), bias: f.parameter(shift), eps: 0, relu: relu)
    }
}

/// The official ResBlock3d with its second BatchNorm folded into conv1 and the first as an input
/// affine: `x + conv2(relu(conv1(relu(affine(x)))))`, Conv3d 3×3×3 padding 1.
struct PreActResBlock3d {
    let norm: ChannelAffine
    let conv1: Conv, conv2: Conv

    init(_ c: ParameterCollector, _ prefix: String, _ channels: Int) {
        norm = ChannelAffine(c, prefix + ".norm", channels)
        conv1 = Conv(c, prefix + ".conv1", dims: 3, channels, channels, kernel: 3, bias: true)
        conv2 = Conv(c, prefix + ".conv2", dims: 3, channels, channels, kernel: 3, bias: true)
    }

    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor) throws -> Tensor {
        // relu(affine) in one pass and relu in conv1's epilogue: bitwise the unfused ops.
        let h = try conv1(f, norm(f, x, relu: true), activation: .relu)
        return try f.engine.add(x, conv2(f, h))
    }

    func flops(points: Int) -> Double { conv1.flops(points: points) + conv2.flops(points: points) }
}

/// F, the appearance feature extractor (`appearance_feature_extractor.py`): conv3×3+BN+ReLU stem,
/// down blocks (conv3×3+BN+ReLU, avg-pool 2), a 1×1 projection, the view to C×D×H×W (channel
/// c·D + d), then pre-activation 3-D residual blocks. BatchNorms are folded by the converter.
struct AppearanceExtractor {
    let stem: Conv
    let down: [Conv]
    let project: Conv
    let res3d: [PreActResBlock3d]

    init(_ c: ParameterCollector, _ cfg: LivePortraitConfig) {
        let a = cfg.appearance
        let widths = (0...a.numDownBlocks).map { min(a.maxFeatures, a.blockExpansion << $0) }
        stem = Conv(c, "appearance.stem.conv", dims: 2, 3, a.blockExpansion, kernel: 3, bias: true)
        down = (0..<a.numDownBlocks).map { Conv(c, "appearance.down.\($0).conv", dims: 2, widths[$0], widths[$0 + 1], kernel: 3, bias: true) }
        project = Conv(c, "appearance.project", dims: 2, widths[a.numDownBlocks], a.maxFeatures, kernel: 1, bias: true)
        res3d = (0..<a.numResblocks).map { PreActResBlock3d(c, "appearance.res3d.\($0)", a.reshapeChannel) }
    }

    /// Image `[1, 3, S, S]` → the 2-D features `[1, C·D, S/4, S/4]` (recorded as `feature_2d`).
    func features(_ f: LivePortraitForward, _ image: Tensor) throws -> Tensor {
        let e = f.engine
        var x = try stem(f, image, activation: .relu)
        for conv in down { x = try e.avgPool2d(conv(f, x, activation: .relu), kernel: [2, 2]) }
        return try project(f, x)
    }

    /// The 2-D features viewed as `[1, C, D, H, W]`, then the 3-D residual blocks: f_s.
    func volume(_ f: LivePortraitForward, _ features: Tensor) throws -> Tensor {
        let a = f.config.appearance
        var v = try features.reshaped([features.shape[0], a.reshapeChannel, a.reshapeDepth, features.shape[2], features.shape[3]])
        for block in res3d { v = try block(f, v) }
        return v
    }

    /// FLOPs of one image at `cfg`.
    func flops(_ cfg: LivePortraitConfig) -> Double {
        var n = cfg.imageSize
        var total = stem.flops(points: n * n)
        for conv in down {
            total += conv.flops(points: n * n)
            n /= 2
        }
        total += project.flops(points: n * n)
        let points = cfg.appearance.reshapeDepth * n * n
        return total + res3d.reduce(0) { $0 + $1.flops(points: points) }
    }
}
