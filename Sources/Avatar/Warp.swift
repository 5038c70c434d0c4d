import Kernels
import NetworkCore
import Runtime

/// The warp embedding (`network.py Embedding`): `E = head((unsqueeze(z) viewed Ce×s×s + e_s) · 0.5)`,
/// viewed `[1, Ce, s²]`. It conditions every AdaGN layer of a warp generator.
struct Embedding {
    let unsqueeze: Linear
    let head: Conv

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        unsqueeze = Linear(c, "embedding.unsqueeze", cfg.zChannels, cfg.embedChannels * cfg.embedSize * cfg.embedSize, bias: false)
        head = Conv(c, "embedding.head", dims: 2, cfg.embedChannels, cfg.embedChannels, kernel: 1, bias: false)
    }

    /// E `[1, Ce, s²]` from z `[1, Z]` and e_s `[1, Ce, s, s]`.
    func callAsFunction(_ f: ModelForward, z: Tensor, es: Tensor) throws -> Tensor {
        let (ce, s) = (f.config.embedChannels, f.config.embedSize)
        let u = try unsqueeze(f, z).reshaped([1, ce, s, s])
        // 0.5·u + 0.5·e_s rounds exactly like (u + e_s)·0.5: halving is exact in binary floating point.
        let e = try head(f, f.engine.add(u, es, alpha: 0.5, beta: 0.5))
        return try e.reshaped([1, ce, s * s])
    }

    func flops(_ cfg: ModelConfig) -> Double { unsqueeze.flops + head.flops(points: cfg.embedSize * cfg.embedSize) }
}

/// W_{s→} / W_{→d} (`network.py WarpGenerator`): 1×1 conv → view C0×s×s×s → [trilinear up, AdaGN
/// ResBlock3D, avg pool]* → GN → ReLU → conv3d 3×3×3 (bias) → tanh = Δ; grid = identity + Δ.
struct WarpGenerator {
    let firstConv: Conv
    let blocks: [AdaptiveResBlock3D]
    let headNorm: GroupNorm
    let head: Conv

    init(_ c: ParameterCollector, _ prefix: String, _ cfg: ModelConfig) {
        let (ce, s) = (cfg.embedChannels, cfg.embedSize)
        firstConv = Conv(c, prefix + ".first_conv", dims: 2, ce, cfg.warpFirstChannels * s, kernel: 1, bias: false)
        var cin = cfg.warpFirstChannels
        var blocks: [AdaptiveResBlock3D] = []
        for (i, cout) in cfg.warpBlockChannels.enumerated() {
            blocks.append(AdaptiveResBlock3D(c, "\(prefix).blocks.\(i)", cin, cout, embedChannels: ce, area: s * s))
            cin = cout
        }
        self.blocks = blocks
        headNorm = GroupNorm(c, prefix + ".head_norm", cin, cfg.groupNorm)
        head = Conv(c, prefix + ".head", dims: 3, cin, 3, kernel: 3, bias: true, scale: 0.1)
    }

    /// (grid `[1, D, H, W, 3]`, Δ `[1, 3, D, H, W]`) from the embedding E `[1, Ce, s²]`.
    func callAsFunction(_ f: ModelForward, embedding: Tensor) throws -> (grid: Tensor, delta: Tensor) {
        let cfg = f.config
        let (ce, s) = (cfg.embedChannels, cfg.embedSize)
        var x = try firstConv(f, embedding.reshaped([1, ce, s, s]))
        x = try x.reshaped([1, cfg.warpFirstChannels, s, s, s])
        for (i, block) in blocks.enumerated() {
            x = try pool3d(f, block(f, resample3d(f, x, cfg.warpPreScale[i]), embedding: embedding), cfg.warpPostPool[i])
        }
        let delta = try f.engine.activation(head(f, f.engine.relu(headNorm(f, x))), .tanh)
        return (try f.engine.deformationGrid(delta), delta)
    }

    func flops(_ cfg: ModelConfig) -> Double {
        let s = cfg.embedSize
        var total = firstConv.flops(points: s * s)
        var shape = [s, s, s]
        for (i, block) in blocks.enumerated() {
            shape = zip(shape, cfg.warpPreScale[i]).map { $0 * $1 }
            total += block.flops(points: shape.reduce(1, *))
            shape = zip(shape, cfg.warpPostPool[i]).map { $0 / $1 }
        }
        return total + head.flops(points: shape.reduce(1, *))
    }
}
