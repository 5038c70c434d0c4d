import Kernels
import NetworkCore
import Runtime

/// Pre-activation residual block with plain GroupNorm (2-D or 3-D), `layers.py ResBlock`:
/// `conv2(relu(norm2(conv1(relu(norm1(x)))))) + skip(x)`; no activation after the add.
struct ResBlock {
    let norm1: GroupNorm, conv1: Conv, norm2: GroupNorm, conv2: Conv
    let skip: Conv?

    init(_ c: ParameterCollector, _ prefix: String, dims: Int, _ cin: Int, _ cout: Int, conv1Bias: Bool, norm: GroupNormSettings) {
        norm1 = GroupNorm(c, prefix + ".norm1", cin, norm)
        conv1 = Conv(c, prefix + ".conv1", dims: dims, cin, cout, kernel: 3, bias: conv1Bias)
        norm2 = GroupNorm(c, prefix + ".norm2", cout, norm)
        conv2 = Conv(c, prefix + ".conv2", dims: dims, cout, cout, kernel: 3, bias: false)
        skip = cin != cout ? Conv(c, prefix + ".skip", dims: dims, cin, cout, kernel: 1, bias: false) : nil
    }

    func callAsFunction(_ f: ModelForward, _ x: Tensor) throws -> Tensor {
        let e = f.engine
        // GroupNorm → ReLU fused into one pass (norm_apply with relu).
        var h = try conv1(f, norm1(f, x, relu: true))
        h = try conv2(f, norm2(f, h, relu: true))
        return try e.add(h, skip.map { try $0(f, x) } ?? x)
    }

    /// FLOPs at `points` spatial positions (stride 1 throughout).
    func flops(points: Int) -> Double {
        conv1.flops(points: points) + conv2.flops(points: points) + (skip?.flops(points: points) ?? 0)
    }
}

/// Adaptive GroupNorm as the official code computes it (`layers.py AdaptiveGroupNorm`): GroupNorm
/// with the module's own affine, then the adaptive affine on top,
/// `out = (x̂·w + b)·(w + ΔW) + (b + ΔB)` with `[ΔW ΔB] = P = u·(E·v)` from the warp embedding E
/// `[1, Ce, A]` (the official module is an `nn.GroupNorm` whose forward applies `w`, `b`, and
/// `assign_adaptive_norm_params` sets the adaptive scale/shift to `w + ΔW`, `b + ΔB`).
///
/// Expanded, it is one per-channel affine of the affine-free `x̂`:
/// `γ = w² + w·ΔW`, `β = b·w + b + b·ΔW + ΔB`. With `e = vec(E·v)` (`[2·Ce]`, the two columns of
/// `E·v` interleaved, as the `[Ce, 2]` product lies in memory), `ΔW = u·e[0::2]`, `ΔB = u·e[1::2]`,
/// so `γ = w² + Pγ·e` and `β = (b·w + b) + Pβ·e` with the `[C, 2·Ce]` projectors
/// `Pγ[c, 2k] = w[c]·u[c, k]`, `Pγ[c, 2k+1] = 0`, `Pβ[c, 2k] = b[c]·u[c, k]`, `Pβ[c, 2k+1] = u[c, k]`.
/// The projectors and the constant parts are derived once at upload time, so per frame the layer
/// costs three small matmuls and two adds. Rounding differs from the official order by a few ulps.
struct AdaptiveNorm {
    let weight: String, bias: String, u: String, v: String
    let channels: Int, embedChannels: Int, area: Int

    init(_ c: ParameterCollector, _ prefix: String, _ channels: Int, embedChannels: Int, area: Int) {
        self.channels = channels; self.embedChannels = embedChannels; self.area = area
        weight = c.declare(prefix + ".weight", [channels], .onePlusUniform(bound: 0.4))
        bias = c.declare(prefix + ".bias", [channels], .uniform(bound: 0.3))
        u = c.declare(prefix + ".u", [channels, embedChannels], .uniform(bound: (3.0 / Double(embedChannels)).squareRoot()))
        v = c.declare(prefix + ".v", [area, 2], .uniform(bound: (3.0 / Double(area)).squareRoot() * 0.1))
        let (w, b) = (weight, bias)
        c.derive(Self.scaleBase(w), from: [w]) { t in
            let wv = t[0].hostValues ?? []
            return Tensor(shape: [wv.count], values: wv.map { $0 * $0 })
        }
        c.derive(Self.shiftBase(b), from: [w, b]) { t in
            let (wv, bv) = (t[0].hostValues ?? [], t[1].hostValues ?? [])
            return Tensor(shape: [bv.count], values: zip(wv, bv).map { $1 * $0 + $1 })
        }
        c.derive(Self.projector(u, "gamma"), from: [u, w]) { t in Self.interleavedProjector(u: t[0], rowScale: t[1], withDeltaB: false) }
        c.derive(Self.projector(u, "beta"), from: [u, b]) { t in Self.interleavedProjector(u: t[0], rowScale: t[1], withDeltaB: true) }
    }

    /// `[C, 2·Ce]`: `rowScale[c]·u[c, k]` at column `2k`; `u[c, k]` (`withDeltaB`) or 0 at `2k + 1`.
    static func interleavedProjector(u: Tensor, rowScale: Tensor, withDeltaB: Bool) -> Tensor {
        let (uv, sv) = (u.hostValues ?? [], rowScale.hostValues ?? [])
        let (rows, columns) = (u.shape[0], u.shape[1])
        var out = [Float](repeating: 0, count: rows * columns * 2)
        for r in 0..<min(rows, sv.count) {
            for k in 0..<columns {
                let value = uv[r * columns + k]
                out[(r * columns + k) * 2] = sv[r] * value
                if withDeltaB { out[(r * columns + k) * 2 + 1] = value }
            }
        }
        return Tensor(shape: [rows, 2 * columns], values: out)
    }

    /// Name of `w²` (derived): the scale's constant part.
    static func scaleBase(_ weight: String) -> String { "\(weight)#squared" }
    /// Name of `b·w + b` (derived): the shift's constant part.
    static func shiftBase(_ bias: String) -> String { "\(bias)#shift" }
    /// Name of the derived `[C, 2·Ce]` projector `Pγ` or `Pβ` (`part` "gamma" or "beta").
    static func projector(_ u: String, _ part: String) -> String { "\(u)#\(part)" }

    /// γ and β, each `[1, C]`, of the affine-free `x̂` (see the type's comment); E·v first, as PyTorch.
    func affine(_ f: ModelForward, embedding: Tensor) throws -> (gamma: Tensor, beta: Tensor) {
        let e = f.engine
        let ev = try e.matmul(embedding.reshaped([embedChannels, area]), f.parameter(v)).reshaped([2 * embedChannels, 1])
        let gamma = try e.add(f.parameter(Self.scaleBase(weight)),
                              e.matmul(f.parameter(Self.projector(u, "gamma")), ev).reshaped([channels]))
        let beta = try e.add(f.parameter(Self.shiftBase(bias)),
                             e.matmul(f.parameter(Self.projector(u, "beta")), ev).reshaped([channels]))
        return (try gamma.reshaped([1, channels]), try beta.reshaped([1, channels]))
    }

    func callAsFunction(_ f: ModelForward, _ x: Tensor, embedding: Tensor) throws -> Tensor {
        let (gamma, beta) = try affine(f, embedding: embedding)
        return try f.engine.adaptiveGroupNorm(x, groups: f.config.normGroups, gamma: gamma, beta: beta, eps: f.config.eps)
    }
}

/// ResBlock3D with AdaGN in place of both norms (`layers.py AdaptiveResBlock3D`): conv1 3×3×3 with
/// bias, conv2 3×3×3 without, 1×1×1 skip without bias when channels change.
struct AdaptiveResBlock3D {
    let norm1: AdaptiveNorm, conv1: Conv, norm2: AdaptiveNorm, conv2: Conv
    let skip: Conv?

    init(_ c: ParameterCollector, _ prefix: String, _ cin: Int, _ cout: Int, embedChannels: Int, area: Int) {
        norm1 = AdaptiveNorm(c, prefix + ".norm1", cin, embedChannels: embedChannels, area: area)
        conv1 = Conv(c, prefix + ".conv1", dims: 3, cin, cout, kernel: 3, bias: true)
        norm2 = AdaptiveNorm(c, prefix + ".norm2", cout, embedChannels: embedChannels, area: area)
        conv2 = Conv(c, prefix + ".conv2", dims: 3, cout, cout, kernel: 3, bias: false)
        skip = cin != cout ? Conv(c, prefix + ".skip", dims: 3, cin, cout, kernel: 1, bias: false) : nil
    }

    func callAsFunction(_ f: ModelForward, _ x: Tensor, embedding: Tensor) throws -> Tensor {
        let e = f.engine
        var h = try conv1(f, e.relu(norm1(f, x, embedding: embedding)))
        h = try conv2(f, e.relu(norm2(f, h, embedding: embedding)))
        return try e.add(h, skip.map { try $0(f, x) } ?? x)
    }

    /// FLOPs at `points` spatial positions (convs only, as flops.py counts).
    func flops(points: Int) -> Double {
        conv1.flops(points: points) + conv2.flops(points: points) + (skip?.flops(points: points) ?? 0)
    }
}

/// Trilinear upsampling by integer factors (no-op for [1, 1, 1]), `layers.py resample3d`.
func resample3d(_ f: ModelForward, _ x: Tensor, _ scale: [Int]) throws -> Tensor {
    scale == [1, 1, 1] ? x : try f.engine.upsampleTrilinear3d(x, scale: scale)
}

/// `avg_pool3d` with kernel = stride (no-op for [1, 1, 1]), `layers.py pool3d`.
func pool3d(_ f: ModelForward, _ x: Tensor, _ kernel: [Int]) throws -> Tensor {
    kernel == [1, 1, 1] ? x : try f.engine.avgPool3d(x, kernel: kernel)
}
