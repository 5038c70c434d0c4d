import Kernels
import NetworkCore
import Runtime

/// SPADE (`util.py SPADE`): `InstanceNorm(x) · (1 + γ) + β` (InstanceNorm eps 1e-5, no affine;
/// one fused `instanceNormModulate`), `γ, β = conv3×3(h)`, `h = ReLU(conv3×3(label))`, the label
/// resized to x's size by nearest.
struct SPADENorm {
    let shared: Conv, gamma: Conv, beta: Conv

    init(_ c: ParameterCollector, _ prefix: String, channels: Int, label: Int, hidden: Int) {
        shared = Conv(c, prefix + ".shared", dims: 2, label, hidden, kernel: 3, bias: true)
        gamma = Conv(c, prefix + ".gamma", dims: 2, hidden, channels, kernel: 3, bias: true, scale: 0.3)
        beta = Conv(c, prefix + ".beta", dims: 2, hidden, channels, kernel: 3, bias: true, scale: 0.3)
    }

    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor, label: Tensor) throws -> Tensor {
        let e = f.engine
        let h = try shared(f, label, activation: .relu)
        return try e.instanceNormModulate(x, gamma: gamma(f, h), beta: beta(f, h), eps: 1e-5)
    }

    func flops(points: Int) -> Double { shared.flops(points: points) + gamma.flops(points: points) + beta.flops(points: points) }
}

/// A SPADE residual block (`util.py SPADEResnetBlock`, spectral norm folded): `conv1(lrelu(SPADE1(
/// conv0(lrelu(SPADE0(x)))))) + shortcut`, LeakyReLU 0.2, the shortcut a 1×1 conv (no bias) of
/// its own SPADE when the width changes.
struct SPADEResBlock {
    let norm0: SPADENorm, conv0: Conv, norm1: SPADENorm, conv1: Conv
    let shortcut: (norm: SPADENorm, conv: Conv)?

    init(_ c: ParameterCollector, _ prefix: String, _ fin: Int, _ fout: Int, label: Int, hidden: Int) {
        let mid = min(fin, fout)
        norm0 = SPADENorm(c, prefix + ".norm0", channels: fin, label: label, hidden: hidden)
        conv0 = Conv(c, prefix + ".conv0", dims: 2, fin, mid, kernel: 3, bias: true)
        norm1 = SPADENorm(c, prefix + ".norm1", channels: mid, label: label, hidden: hidden)
        conv1 = Conv(c, prefix + ".conv1", dims: 2, mid, fout, kernel: 3, bias: true)
        shortcut = fin == fout ? nil
            : (SPADENorm(c, prefix + ".norm_s", channels: fin, label: label, hidden: hidden),
               Conv(c, prefix + ".conv_s", dims: 2, fin, fout, kernel: 1, bias: false))
    }

    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor, label: Tensor) throws -> Tensor {
        let e = f.engine
        let skip = try shortcut.map { try $0.conv(f, $0.norm(f, x, label: label)) } ?? x
        var dx = try conv0(f, e.activation(norm0(f, x, label: label), .leakyReLU, negativeSlope: 0.2))
        dx = try conv1(f, e.activation(norm1(f, dx, label: label), .leakyReLU, negativeSlope: 0.2))
        return try e.add(skip, dx)
    }

    func flops(points: Int) -> Double {
        let norms = norm0.flops(points: points) + norm1.flops(points: points) + (shortcut?.norm.flops(points: points) ?? 0)
        return norms + conv0.flops(points: points) + conv1.flops(points: points) + (shortcut?.conv.flops(points: points) ?? 0)
    }
}

/// G, the SPADE decoder (`spade_generator.py`): conv3×3 to 2C, the middle SPADE blocks, then two
/// ×2 nearest upsamplings each followed by a narrowing block (2C → C → out), LeakyReLU(0.2),
/// conv3×3 to 3·upscale², pixel shuffle, sigmoid. The SPADE label map is the decoder's input.
struct SpadeDecoder {
    let fc: Conv
    let blocks: [SPADEResBlock]
    let middle: Int
    let toImage: Conv
    let upscale: Int

    init(_ c: ParameterCollector, _ cfg: LivePortraitConfig) {
        let g = cfg.decoder, ch = cfg.warpChannels
        fc = Conv(c, "decoder.fc", dims: 2, ch, 2 * ch, kernel: 3, bias: true)
        let widths = Array(repeating: (2 * ch, 2 * ch), count: g.numMiddleBlocks) + [(2 * ch, ch), (ch, g.outChannels)]
        blocks = widths.enumerated().map { SPADEResBlock(c, "decoder.blocks.\($0.offset)", $0.element.0, $0.element.1, label: ch, hidden: g.spadeHidden) }
        middle = g.numMiddleBlocks
        upscale = g.upscale
        toImage = Conv(c, "decoder.to_image", dims: 2, g.outChannels, 3 * g.upscale * g.upscale, kernel: 3, bias: true)
    }

    /// The warped feature `[1, C, H, W]` → image `[1, 3, 4·H·upscale, …]` in (0, 1); records
    /// `prefix.block{i}`.
    func callAsFunction(_ f: LivePortraitForward, _ feature: Tensor, prefix: String) throws -> Tensor {
        let e = f.engine
        var labels: [Int: Tensor] = [feature.shape[2]: feature]
        var x = try fc(f, feature)
        for (i, block) in blocks.enumerated() {
            if i >= middle { x = try e.upsampleNearest2d(x, scale: 2) }
            let side = x.shape[2]
            if labels[side] == nil { labels[side] = try e.resizeNearest2d(feature, size: [side, x.shape[3]]) }
            x = try block(f, x, label: labels[side]!)
            try f.record(prefix + ".block\(i)", x)
        }
        x = try toImage(f, e.activation(x, .leakyReLU, negativeSlope: 0.2))
        if upscale > 1 { x = try e.pixelShuffle(x, factor: upscale) }
        return try e.activation(x, .sigmoid)
    }

    /// FLOPs at `cfg`.
    func flops(_ cfg: LivePortraitConfig) -> Double {
        var n = cfg.featureSize
        var total = fc.flops(points: n * n)
        for (i, block) in blocks.enumerated() {
            if i >= middle { n *= 2 }
            total += block.flops(points: n * n)
        }
        return total + toImage.flops(points: n * n)
    }
}
