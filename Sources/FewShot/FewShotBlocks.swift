import Kernels
import NetworkCore
import Runtime

/// One pass of the few-shot network over resident parameters: the building blocks of the
/// public implementation (network/blocks.py semantics, written from the paper): LeakyReLU
/// slope 0.01 throughout, 2×2 average pooling, bilinear ×2 upsampling (align_corners False).
final class FewShotForward: Forward {
    let layout: FewShotLayout
    /// Self-attention gammas by block prefix (host scalars).
    let gammas: [String: Float]
    static let slope: Float = 0.01

    init(engine: Engine, parameters: [String: Tensor], recorder: StageRecorder?, layout: FewShotLayout, gammas: [String: Float]) {
        self.layout = layout
        self.gammas = gammas
        super.init(engine: engine, parameters: parameters, recorder: recorder)
    }

    func conv(_ name: String, _ x: Tensor, activation: Activation? = nil) throws -> Tensor {
        try layout.conv(name)(self, x, activation: activation, negativeSlope: Self.slope)
    }

    func leaky(_ x: Tensor) throws -> Tensor { try engine.activation(x, .leakyReLU, negativeSlope: Self.slope) }

    /// ResBlockDown: avgpool(conv_l1(x)) + avgpool(conv_r2(lrelu(conv_r1(lrelu(x))))).
    func resDown(_ p: String, _ x: Tensor) throws -> Tensor {
        let left = try engine.avgPool2d(try conv(p + ".conv_l1", x), kernel: [2])
        let right = try conv(p + ".conv_r2", try conv(p + ".conv_r1", try leaky(x), activation: .leakyReLU))
        return try engine.add(left, try engine.avgPool2d(right, kernel: [2]))
    }

    /// SAGAN self-attention as the public implementation computes it: f, g (C/8 channels) and h
    /// (C) by 1×1 convolutions, A = softmax over i of fᵢ·gⱼ (dim −2 of fᵀg), out = γ·(h·A) + x.
    /// The two n × n products (n = H·W, 4096 at the generator's 64² attention) run per picture as
    /// 1×1 convolutions, whose register-tiled kernels are several times faster than `matmul`'s
    /// generic tile there: scoresᵢⱼ = Σₖ fₖᵢ gₖⱼ is the convolution of g with the weight fᵀ
    /// `[n, C/8, 1, 1]` (output channel i, position j), and (h·A)_cj = Σᵢ h_ci Aᵢⱼ that of A
    /// (input channel i) with the weight h `[C, n, 1, 1]`. The weights are host copies (C·n
    /// values), so no per-frame buffer enters the convolution weight cache.
    func selfAttention(_ p: String, _ x: Tensor) throws -> Tensor {
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let n = h * w
        let f = try conv(p + ".conv_f", x), g = try conv(p + ".conv_g", x), v = try conv(p + ".conv_h", x)
        let k = f.shape[1]
        let fT = try engine.values(try engine.transpose(try f.reshaped([b, k, n])))   // [b, n, k]
        let values = try engine.values(v)
        let gHost = b == 1 ? nil : try engine.values(g)
        var outputs: [Tensor] = []
        for item in 0..<b {
            let gi = try gHost.map { Tensor(shape: [1, k, h, w], values: Array($0[(item * k * n)..<((item + 1) * k * n)])) } ?? g
            let scores = try engine.conv2d(gi, weight: Tensor(shape: [n, k, 1, 1], values: Array(fT[(item * n * k)..<((item + 1) * n * k)])), bias: nil)
            let attention = try engine.softmax(scores, dim: 1)
            outputs.append(try engine.conv2d(attention, weight: Tensor(shape: [c, n, 1, 1], values: Array(values[(item * c * n)..<((item + 1) * c * n)])),
                                             bias: nil))
        }
        let out = b == 1 ? outputs[0] : try engine.concatenate(outputs, dim: 0)
        try count(Double(b) * FewShotLayout.attentionProductFlops(positions: n, keyChannels: k, channels: c))
        guard let gamma = gammas[p] else { throw NetworkError.missingParameter(p + ".gamma") }
        return try engine.add(x, out, alpha: 1, beta: gamma)
    }

    /// The AdaIN of `block`'s `index`-th style slice (`style` holds ψ̂'s slices, resident).
    func adain(_ x: Tensor, _ style: FewShotStyle, _ block: String, _ index: Int) throws -> Tensor {
        let (mean, std) = try style.slice(block, index)
        return try engine.adain(x, mean: mean, std: std)
    }

    /// ResBlock: x + conv2(lrelu(AdaIN₂(conv1(lrelu(AdaIN₁(x)))))).
    func resBlock(_ i: Int, _ x: Tensor, _ style: FewShotStyle) throws -> Tensor {
        let p = "generator.res\(i)", block = "res\(i)"
        let y = try conv(p + ".conv1", try leaky(try adain(x, style, block, 0)))
        return try engine.add(try conv(p + ".conv2", try leaky(try adain(y, style, block, 1))), x)
    }

    /// ResBlockUp: conv_r2(lrelu(AdaIN₂(conv_r1(up(lrelu(AdaIN₁(x))))))) + conv_l1(up(x)).
    func resUp(_ i: Int, _ x: Tensor, _ style: FewShotStyle) throws -> Tensor {
        let p = "generator.resUp\(i)", block = "resUp\(i)"
        let size = [x.shape[2] * 2, x.shape[3] * 2]
        let left = try conv(p + ".conv_l1", try engine.resizeBilinear2d(x, size: size, alignCorners: false))
        let up = try engine.resizeBilinear2d(try leaky(try adain(x, style, block, 0)), size: size, alignCorners: false)
        let right = try conv(p + ".conv_r2", try leaky(try adain(try conv(p + ".conv_r1", up), style, block, 1)))
        return try engine.add(right, left)
    }
}
