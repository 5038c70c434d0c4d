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
        let shape = try GroupNormShape(input, groups: groups, op: "group_norm")
        for (name, t) in [("weight", weight), ("bias", bias)] {
            if let t, t.count != shape.channels || t.rank != 1 {
                throw RuntimeError.shapeMismatch("group_norm: \(name) must be [\(shape.channels)] (one per channel), got \(t.shapeDescription)")
            }
        }
        return try normalizeGroups(input, shape, NormAffine(gamma: weight, beta: bias, perSample: false), eps: eps,
                                  name: "group_norm", relu: relu)
    }

    /// Adaptive GroupNorm (MegaPortraits AdaGN): affine-free `group_norm`, then per-sample,
    /// per-channel `y = x̂ · gamma[n, c] + beta[n, c]`. `gamma` and `beta` are `[N, C]`
    /// (trailing singleton dims such as `[N, C, 1, 1, 1]` are accepted).
    public func adaptiveGroupNorm(_ input: Tensor, groups: Int = 32, gamma: Tensor, beta: Tensor, eps: Float = 1e-5) throws -> Tensor {
        let shape = try GroupNormShape(input, groups: groups, op: "adaptive_group_norm")
        for (name, t) in [("gamma", gamma), ("beta", beta)] {
            guard t.rank >= 2, t.shape[0] == shape.batch, t.shape[1] == shape.channels, t.count == shape.batch * shape.channels else {
                throw RuntimeError.shapeMismatch("adaptive_group_norm: \(name) must be [\(shape.batch), \(shape.channels)] (one per sample and channel), got \(t.shapeDescription)")
            }
        }
        return try normalizeGroups(input, shape, NormAffine(gamma: gamma, beta: beta, perSample: true), eps: eps, name: "adaptive_group_norm")
    }

    /// `torch.nn.functional.batch_norm` in eval mode (`training=False`): per channel
    /// `y = (x − running_mean) / sqrt(running_var + eps) · weight + bias` on `[N, C, *]`.
    /// Meant for checking BatchNorm folded into convolutions (see `foldBatchNorm`).
    public func batchNorm(_ input: Tensor, runningMean: Tensor, runningVar: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) throws -> Tensor {
        guard input.rank >= 2 else {
            throw RuntimeError.shapeMismatch("batch_norm: input must be [N, C, *], got \(input.shapeDescription)")
        }
        let channels = input.shape[1]
        for (name, t) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)] {
            if let t, t.count != channels || t.rank != 1 {
                throw RuntimeError.shapeMismatch("batch_norm: \(name) must be [\(channels)] (one per channel), got \(t.shapeDescription)")
            }
        }
        let spatial = input.shape.dropFirst(2).reduce(1, *)
        let cost = KernelCost(flops: Double(input.count) * 2, bytes: Double(input.count) * 8)
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            let rm = try cpuValues(runningMean), rv = try cpuValues(runningVar)
            let w = try weight.map { try cpuValues($0) }, b = try bias.map { try cpuValues($0) }
            return timedCPU("batch_norm", cost: cost) {
                var params = [Float](repeating: 0, count: channels * 3)
                for c in 0..<channels {
                    let inv = 1 / (rv[c] + eps).squareRoot()
                    params[3 * c] = rm[c]
                    params[3 * c + 1] = (w?[c] ?? 1) * inv
                    params[3 * c + 2] = b?[c] ?? 0
                }
                return Tensor(shape: input.shape, values: NormalizationCPU.apply(x, params: params, spatial: spatial, paramRows: channels))
            }
        case .opencl(let cl):
            return try batchNormOpenCL(cl, input, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                                       spatial: spatial, eps: eps, cost: cost)
        }
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

    /// Group statistics and the affine pass, on either backend.
    func normalizeGroups(_ input: Tensor, _ shape: GroupNormShape, _ affine: NormAffine, eps: Float, name: String,
                         relu: Bool = false) throws -> Tensor {
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            let gamma = try affine.gamma.map { try cpuValues($0) }, beta = try affine.beta.map { try cpuValues($0) }
            return timedCPU(name, cost: shape.cost) {
                let params = NormalizationCPU.groupParams(x, shape, gamma: gamma, beta: beta, perSample: affine.perSample, eps: eps)
                let y = NormalizationCPU.apply(x, params: params, spatial: shape.spatial, paramRows: shape.batch * shape.channels)
                return Tensor(shape: input.shape, values: relu ? y.map { max($0, 0) } : y)
            }
        case .opencl(let cl):
            return try groupNormOpenCL(cl, input, shape, affine, eps: eps, relu: relu)
        }
    }
}
