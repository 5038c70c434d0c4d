import Kernels
import NetworkCore
import Runtime

/// SPADE (`util.py SPADE`): `InstanceNorm(x) · (1 + γ) + β` (InstanceNorm eps 1e-5, no affine),
/// `γ, β = conv3×3(h)`, `h = ReLU(conv3×3(label))`, the label resized to x's size by nearest; all
/// but `h` in one `spadeModulate` (the γ and β convolutions' biases always exist: `bias: true`).
struct SPADENorm {
    let shared: Conv, gamma: Conv, beta: Conv

    init(_ c: ParameterCollector, _ prefix: String, channels: Int, label: Int, hidden: Int) {
        shared = Conv(c, prefix + ".shared", dims: 2, label, hidden, kernel: 3, bias: true)
        gamma = Conv(c, prefix + ".gamma", dims: 2, hidden, channels, kernel: 3, bias: true, scale: 0.3)
        beta = Conv(c, prefix + ".beta", dims: 2, hidden, channels, kernel: 3, bias: true, scale: 0.3)
    }

    /// SPADE(x) followed by `activation` (the block's LeakyReLU 0.2, or nil), in one
    /// `spadeModulate` (γ and β are not stored on OpenCL's Winograd path).
    func callAsFunction(_ f: LivePortraitForward, _ x: Tensor, label: Tensor, activation: Activation? = nil) throws -> Tensor {
        guard let gammaBias = gamma.bias, let betaBias = beta.bias else {
            throw NetworkError.missingParameter("\(gamma.bias == nil ? gamma.weight : beta.weight)'s bias (SPADE's γ and β convolutions have biases)")
        }
        let h = try shared(f, label, activation: .relu)
        let y = try f.engine.spadeModulate(x, hidden: h, gammaWeight: f.parameter(gamma.weight), gammaBias: f.parameter(gammaBias),
                                           betaWeight: f.parameter(beta.weight), betaBias: f.parameter(betaBias), eps: 1e-5,
                                           activation: activation, negativeSlope: 0.2)
        try f.count(gamma.flops(outputs: y.count) + beta.flops(outputs: y.count))
        return y
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
        var dx = try conv0(f, norm0(f, x, label: label, activation: .leakyReLU))
        dx = try conv1(f, norm1(f, dx, label: label, activation: .leakyReLU))
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
    /// `prefix.block{i}`. The label map at each block's size is made up front, and every
    /// convolution of one label map (`fc` and each block's SPADE `shared` convolutions) reuses
    /// one Winograd input transform of it (`Engine.reusingConvolutionInputs`).
    func callAsFunction(_ f: LivePortraitForward, _ feature: Tensor, prefix: String) throws -> Tensor {
        let e = f.engine
        var labels = [feature]
        for _ in middle..<blocks.count {
            let last = labels[labels.count - 1]
            labels.append(try e.resizeNearest2d(feature, size: [2 * last.shape[2], 2 * last.shape[3]]))
        }
        var x = try e.reusingConvolutionInputs(labels) { () -> Tensor in
            var x = try fc(f, feature)
            for (i, block) in blocks.enumerated() {
                if i >= middle { x = try e.upsampleNearest2d(x, scale: 2) }
                x = try block(f, x, label: labels[max(0, i - middle + 1)])
                try f.record(prefix + ".block\(i)", x)
            }
            return x
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
