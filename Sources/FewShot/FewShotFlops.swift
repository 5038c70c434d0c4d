import NetworkCore

extension FewShotLayout {
    /// FLOPs (2 × multiply-accumulates, as `Conv.flops`) of the embedder on one `size`² picture:
    /// six downsampling blocks and the self-attention after the third (its two products included).
    func embedderFlops(size: Int) -> Double {
        downPathFlops("embedder", widths.embedder, attention: "embedder.self_att", size: size).flops
    }

    /// FLOPs of the generator for one `size`² landmark image.
    func generatorFlops(size: Int) -> Double {
        var (total, side) = downPathFlops("generator", widths.down, attention: "generator.self_att_Down", size: size)
        let c = widths.down.last ?? 0
        for i in 0..<widths.resBlocks {
            for name in ["conv1", "conv2"] { total += flops("generator.res\(i + 1).\(name)", outputs: c * side * side) }
        }
        for (i, (_, cout)) in widths.upPairs.enumerated() {
            side *= 2
            total += downFlops("generator.resUp\(i + 1)", outputs: cout * side * side)
            if i == 1 { total += attentionFlops("generator.self_att_Up", channels: cout, side: side) }
        }
        return total + flops("generator.conv2d", outputs: 3 * size * size)
    }

    /// ψ̂ = P·ê.
    var projectionFlops: Double { 2 * Double(widths.psiLength * widths.embedding) }

    /// The residual down blocks `<network>.resDown1...` with `channels` outputs each, from a
    /// `size`² input, and the self-attention `attention` after the third: their FLOPs and the side
    /// they end at.
    private func downPathFlops(_ network: String, _ channels: [Int], attention: String, size: Int) -> (flops: Double, side: Int) {
        var total = 0.0, side = size
        for (i, c) in channels.enumerated() {
            total += downFlops("\(network).resDown\(i + 1)", outputs: c * side * side)
            side /= 2
            if i == 2 { total += attentionFlops(attention, channels: c, side: side) }
        }
        return (total, side)
    }

    /// A residual down or up block's three convolutions, each with `outputs` values (down blocks
    /// convolve at their input side before pooling, up blocks at their output side).
    private func downFlops(_ p: String, outputs: Int) -> Double {
        ["conv_l1", "conv_r1", "conv_r2"].reduce(0) { $0 + flops(p + "." + $1, outputs: outputs) }
    }

    private func attentionFlops(_ p: String, channels c: Int, side: Int) -> Double {
        let n = side * side
        let convs = flops(p + ".conv_f", outputs: c / 8 * n) + flops(p + ".conv_g", outputs: c / 8 * n) + flops(p + ".conv_h", outputs: c * n)
        return convs + Self.attentionProductFlops(positions: n, keyChannels: c / 8, channels: c)
    }

    /// The self-attention's two n × n products: the scores fᵀg (`keyChannels` deep) and h·A
    /// (`channels` outputs), over `positions` = n values.
    static func attentionProductFlops(positions n: Int, keyChannels k: Int, channels c: Int) -> Double {
        2 * Double(n) * Double(n) * Double(k) + 2 * Double(n) * Double(n) * Double(c)
    }

    private func flops(_ name: String, outputs: Int) -> Double { convs[name]?.flops(outputs: outputs) ?? 0 }
}
