import Runtime

/// The affine part of a normalisation: absent, one (γ, β) per channel (`[C]`, torch's
/// `weight`/`bias`), or one per sample and channel (`[N, C]`, MegaPortraits' AdaGN).
struct NormAffine {
    /// γ values, or nil for 1.
    var gamma: Tensor?
    /// β values, or nil for 0.
    var beta: Tensor?
    /// Whether γ/β are indexed by (n, c) rather than c.
    var perSample: Bool
}

/// A validated group-norm problem: input viewed as `[N, C, S]` with `groups` groups of
/// `C / groups` channels.
struct GroupNormShape {
    let batch: Int, channels: Int, spatial: Int, groups: Int
    var channelsPerGroup: Int { channels / groups }
    var groupLength: Int { channelsPerGroup * spatial }
    var count: Int { batch * channels * spatial }

    init(_ input: Tensor, groups: Int, op: String) throws {
        guard input.rank >= 2 else {
            throw RuntimeError.shapeMismatch("\(op): input must be [N, C, *], got \(input.shapeDescription)")
        }
        guard groups > 0, input.shape[1] % groups == 0 else {
            throw RuntimeError.shapeMismatch("\(op): \(input.shape[1]) channels cannot be split into \(groups) groups (the channel count must be a multiple of num_groups)")
        }
        batch = input.shape[0]; channels = input.shape[1]; self.groups = groups
        spatial = input.shape.dropFirst(2).reduce(1, *)
    }

    /// Cost of statistics (two passes) plus the affine pass.
    var cost: KernelCost { KernelCost(flops: Double(count) * 7, bytes: Double(count) * 12) }
}

extension Engine {
    /// `torch.nn.functional.group_norm` on `[N, C, *]` (2-D, 3-D or no spatial dims): each
    /// sample's channels are split into `groups` groups, normalised by the group's mean and
    /// biased variance, then scaled by `weight[c]` and shifted by `bias[c]` when given (`[C]`).
    ///
    /// Statistics are two-pass (mean, then squared deviations), so a large mean does not cancel
    /// the variance. The CPU path accumulates in blocked SIMD float sums carried in Double; the
    /// OpenCL path in float over 4096-element tiles combined exactly (Chan et al.), so results
    /// agree to about 1e-6 relative even for groups of millions of elements.
    ///
    /// `relu: true` returns `relu(group_norm(...))` in the same pass (no separate activation).
    public func groupNorm(_ input: Tensor, groups: Int = 32, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5,
                          relu: Bool = false) throws -> Tensor {
        try run(GroupNormOp.groupNorm(input, groups: groups, weight: weight, bias: bias, eps: eps, relu: relu))
    }

    /// Adaptive GroupNorm (MegaPortraits AdaGN): affine-free `group_norm`, then per-sample,
    /// per-channel `y = x̂ · gamma[n, c] + beta[n, c]`. `gamma` and `beta` are `[N, C]`
    /// (trailing singleton dims such as `[N, C, 1, 1, 1]` are accepted).
    public func adaptiveGroupNorm(_ input: Tensor, groups: Int = 32, gamma: Tensor, beta: Tensor, eps: Float = 1e-5) throws -> Tensor {
        try run(GroupNormOp.adaptive(input, groups: groups, gamma: gamma, beta: beta, eps: eps))
    }

    /// `torch.nn.functional.batch_norm` in eval mode (`training=False`): per channel
    /// `y = (x − running_mean) / sqrt(running_var + eps) · weight + bias` on `[N, C, *]`.
    /// Meant for checking BatchNorm folded into convolutions (see `foldBatchNorm`) and for a
    /// per-channel affine on a block's input. `relu`: `max(0, y)` in the same pass (bitwise
    /// `relu(batchNorm(…))`).
    public func batchNorm(_ input: Tensor, runningMean: Tensor, runningVar: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5,
                          relu: Bool = false) throws -> Tensor {
        try run(BatchNormOp.call(input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias, eps: eps, relu: relu))
    }

    /// Folds an eval-mode BatchNorm that follows a convolution into the convolution's weight
    /// (`[Cout, ...]`) and bias (`[Cout]`, nil = zeros): `w' = w · s`, `b' = (b − mean) · s + β`
    /// with `s = γ / sqrt(running_var + eps)`. Host tensors only (a conversion-time step).
    public static func foldBatchNorm(convWeight: Tensor, convBias: Tensor?, runningMean: Tensor, runningVar: Tensor,
                                     weight: Tensor?, bias: Tensor?, eps: Float) throws -> (weight: Tensor, bias: Tensor) {
        guard convWeight.rank >= 2 else {
            throw RuntimeError.shapeMismatch("foldBatchNorm: convolution weight must be [Cout, Cin, ...], got \(convWeight.shapeDescription)")
        }
        let cout = convWeight.shape[0]
        func hostValues(_ t: Tensor?, _ name: String) throws -> [Float]? {
            guard let t else { return nil }
            guard t.count == cout, t.rank == 1 else {
                throw RuntimeError.shapeMismatch("foldBatchNorm: \(name) must be [\(cout)] (one per output channel), got \(t.shapeDescription)")
            }
            guard let v = t.hostValues else {
                throw RuntimeError.shapeMismatch("foldBatchNorm: \(name) is a device tensor; download it (engine.host) before folding")
            }
            return v
        }
        guard let w = convWeight.hostValues else {
            throw RuntimeError.shapeMismatch("foldBatchNorm: convolution weight is a device tensor; download it (engine.host) before folding")
        }
        let rm = try hostValues(runningMean, "running_mean")!, rv = try hostValues(runningVar, "running_var")!
        let gamma = try hostValues(weight, "weight"), beta = try hostValues(bias, "bias")
        let convB = try hostValues(convBias, "conv bias")
        let perChannel = convWeight.count / cout
        var folded = w
        var foldedBias = [Float](repeating: 0, count: cout)
        for o in 0..<cout {
            let s = (gamma?[o] ?? 1) / (rv[o] + eps).squareRoot()
            for i in (o * perChannel)..<((o + 1) * perChannel) { folded[i] = w[i] * s }
            foldedBias[o] = ((convB?[o] ?? 0) - rm[o]) * s + (beta?[o] ?? 0)
        }
        return (Tensor(shape: convWeight.shape, values: folded), Tensor(shape: [cout], values: foldedBias))
    }
}
