import Runtime

/// A tensor viewed as `[outer, channels, inner]` around one axis: the shape every per-position
/// reduction over one dimension (layer norm over C, softmax over `dim`) works on.
struct AxisView: Equatable {
    let outer: Int, channels: Int, inner: Int
    var count: Int { outer * channels * inner }

    /// The view of `shape` around `axis` (already non-negative and in range).
    init(_ shape: [Int], axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        channels = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }

    /// Calls `body(base)` for every (outer, inner) position, `base` being the index of its first
    /// element; the position's elements are `base + c·inner` for c in 0..<channels.
    @inline(__always)
    func forEachPosition(_ body: (Int) -> Void) {
        for o in 0..<outer {
            for i in 0..<inner { body(o * channels * inner + i) }
        }
    }
}

/// `layer_norm` over dim 1 of `[N, C, *spatial]`: per (n, position) mean and biased variance
/// over the C channels, then `(x − μ)/sqrt(σ² + eps)·w[c] + b[c]` (kernel `layer_norm_channels`, 8
/// positions per work-item).
/// Inputs: `input`, then `weight` and `bias` when present.
struct LayerNormOp: EngineOp {
    let view: AxisView
    let outputShape: [Int]
    let weight: Bool, bias: Bool
    let eps: Float

    /// The checked call: `input` of rank ≥ 2, `weight`/`bias` `[C]` when given.
    static func call(_ input: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) throws -> OpCall {
        guard input.rank >= 2, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("layer_norm: input must be [N, C, *] with no empty dim (normalised over dim 1), got \(input.shapeDescription)")
        }
        let channels = input.shape[1]
        for (name, t) in [("weight", weight), ("bias", bias)] {
            if let t, t.shape != [channels] {
                throw RuntimeError.shapeMismatch("layer_norm: \(name) must be [\(channels)] (one per channel of dim 1), got \(t.shapeDescription)")
            }
        }
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("layer_norm: \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        return OpCall(LayerNormOp(view: AxisView(input.shape, axis: 1), outputShape: input.shape, weight: weight != nil,
                                  bias: bias != nil, eps: eps), [input] + [weight, bias].compactMap { $0 })
    }

    var name: String { "layer_norm" }
    /// Two statistics passes (add; subtract, multiply, add) and the affine pass (subtract, two
    /// multiplies, add): 7 FLOPs per element; bytes: the input and the output once (the
    /// position's C values are re-read from cache).
    var cost: KernelCost { KernelCost(flops: Double(view.count) * 7, bytes: Double(view.count) * 8) }
    var tolerance: Tolerance { NormalizationOps.tolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let x = inputs[0]
        let w = weight ? inputs[1] : nil, b = bias ? inputs[weight ? 2 : 1] : nil
        let (channels, stride) = (view.channels, view.inner)
        var y = [Float](repeating: 0, count: x.count)
        view.forEachPosition { base in
            var sum = 0.0
            for c in 0..<channels { sum += Double(x[base + c * stride]) }
            let mean = Float(sum / Double(channels))
            var squares = 0.0
            for c in 0..<channels {
                let d = Double(x[base + c * stride] - mean)
                squares += d * d
            }
            let inverse = 1 / (Float(squares / Double(channels)) + eps).squareRoot()
            for c in 0..<channels {
                let i = base + c * stride
                y[i] = (x[i] - mean) * inverse * (w?[c] ?? 1) + (b?[c] ?? 0)
            }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let x = try l.input(0)
        let w = weight ? try l.input(1) : x, b = bias ? try l.input(weight ? 2 : 1) : x
        let flags = (weight ? 1 : 0) | (bias ? 2 : 0)
        let runs = (view.inner + 7) / 8   // 8 positions per work-item
        try l.context.launch("layer_norm_channels", global: [runs, view.outer], local: Engine.normApplyLocal(spatial: runs),
                             arguments: [.buffer(x), .buffer(w), .buffer(b), .buffer(l.outputBuffer),
                                         .i(view.channels), .i(view.inner), .i(flags), .float(eps)],
                             cost: l.cost)
    }
}

extension Engine {
    /// Layer normalisation over dim 1 of `[N, C, *spatial]` (any rank ≥ 2): for every sample and
    /// position, the C values are normalised by their mean and biased variance,
    /// `(x − μ)/sqrt(σ² + eps)`, then scaled by `weight[c]` and shifted by `bias[c]` when given
    /// (`[C]`). On `[N, C]` this is `nn.LayerNorm(C)` (last dim); on `[N, C, H, W]` it is ConvNeXt's
    /// channels-first LayerNorm (per pixel over C). Two-pass statistics on both backends.
    public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) throws -> Tensor {
        try run(LayerNormOp.call(x, weight: weight, bias: bias, eps: eps))
    }
}
