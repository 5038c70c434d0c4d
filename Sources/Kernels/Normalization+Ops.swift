import Runtime

/// `group_norm` and `adaptive_group_norm`: group statistics, then a per-(n, c) affine pass
/// (optionally fused with relu). Inputs: `input`, then `gamma` and `beta` when present.
struct GroupNormOp: EngineOp {
    let outputShape: [Int]
    let shape: GroupNormShape
    let name: String
    /// Which affine inputs follow `input`, and whether they are `[N, C]` (AdaGN) rather than `[C]`.
    let gamma: Bool, beta: Bool, perSample: Bool
    let eps: Float
    let relu: Bool

    init(_ inputShape: [Int], _ shape: GroupNormShape, name: String, gamma: Bool, beta: Bool, perSample: Bool, eps: Float, relu: Bool) {
        outputShape = inputShape; self.shape = shape; self.name = name
        self.gamma = gamma; self.beta = beta; self.perSample = perSample; self.eps = eps; self.relu = relu
    }

    var cost: KernelCost { shape.cost }
    var tolerance: Tolerance { NormalizationOps.tolerance }

    /// `group_norm` of `input` with optional per-channel `weight`/`bias` `[C]` (shapes checked).
    static func groupNorm(_ input: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float, relu: Bool) throws -> OpCall {
        let shape = try GroupNormShape(input, groups: groups, op: "group_norm")
        for (name, t) in [("weight", weight), ("bias", bias)] {
            if let t, t.count != shape.channels || t.rank != 1 {
                throw RuntimeError.shapeMismatch("group_norm: \(name) must be [\(shape.channels)] (one per channel), got \(t.shapeDescription)")
            }
        }
        return OpCall(GroupNormOp(input.shape, shape, name: "group_norm", gamma: weight != nil, beta: bias != nil, perSample: false,
                                  eps: eps, relu: relu), [input] + [weight, bias].compactMap { $0 })
    }

    /// `adaptive_group_norm` of `input` with per-sample `gamma`/`beta` `[N, C, 1...]` (shapes checked).
    static func adaptive(_ input: Tensor, groups: Int, gamma: Tensor, beta: Tensor, eps: Float) throws -> OpCall {
        let shape = try GroupNormShape(input, groups: groups, op: "adaptive_group_norm")
        for (name, t) in [("gamma", gamma), ("beta", beta)] {
            guard t.rank >= 2, t.shape[0] == shape.batch, t.shape[1] == shape.channels, t.count == shape.batch * shape.channels else {
                throw RuntimeError.shapeMismatch("adaptive_group_norm: \(name) must be [\(shape.batch), \(shape.channels)] (one per sample and channel), got \(t.shapeDescription)")
            }
        }
        return OpCall(GroupNormOp(input.shape, shape, name: "adaptive_group_norm", gamma: true, beta: true, perSample: true,
                                  eps: eps, relu: false), [input, gamma, beta])
    }

    /// (gamma, beta) among the inputs that follow `input`.
    func affine<T>(_ inputs: [T]) -> (gamma: T?, beta: T?) {
        (gamma ? inputs[1] : nil, beta ? inputs[gamma ? 2 : 1] : nil)
    }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let x = inputs[0]
        let (g, b) = affine(inputs)
        let params = NormalizationCPU.groupParams(x, shape, gamma: g, beta: b, perSample: perSample, eps: eps)
        let y = NormalizationCPU.apply(x, params: params, spatial: shape.spatial, paramRows: shape.batch * shape.channels)
        return relu ? y.map { max($0, 0) } : y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (g, b) = affine(l.inputs)
        try l.engine.groupNormOpenCL(l.context, l.inputs[0], shape, NormAffine(gamma: g, beta: b, perSample: perSample), eps: eps,
                                     relu: relu, output: l.output)
    }
}

/// `batch_norm` in eval mode: per-channel params from the running statistics, then the affine
/// pass. Inputs: `input`, `running_mean`, `running_var`, then `weight` and `bias` when present.
struct BatchNormOp: EngineOp {
    let outputShape: [Int]
    let weight: Bool, bias: Bool
    let eps: Float
    /// `max(0, ·)` of the result in the same pass.
    let relu: Bool
    var count: Int { outputShape.reduce(1, *) }
    var channels: Int { outputShape[1] }
    var spatial: Int { outputShape.dropFirst(2).reduce(1, *) }

    /// `batch_norm` of `input` with per-channel statistics and optional affine, all `[C]` (shapes
    /// checked), followed by relu when `relu`.
    static func call(_ input: Tensor, runningMean: Tensor, runningVar: Tensor, weight: Tensor?, bias: Tensor?, eps: Float,
                     relu: Bool = false) throws -> OpCall {
        guard input.rank >= 2 else {
            throw RuntimeError.shapeMismatch("batch_norm: input must be [N, C, *], got \(input.shapeDescription)")
        }
        let channels = input.shape[1]
        for (name, t) in [("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias)] {
            if let t, t.count != channels || t.rank != 1 {
                throw RuntimeError.shapeMismatch("batch_norm: \(name) must be [\(channels)] (one per channel), got \(t.shapeDescription)")
            }
        }
        return OpCall(BatchNormOp(outputShape: input.shape, weight: weight != nil, bias: bias != nil, eps: eps, relu: relu),
                      [input, runningMean, runningVar] + [weight, bias].compactMap { $0 })
    }

    var name: String { "batch_norm" }
    var cost: KernelCost { KernelCost(flops: Double(count) * 2, bytes: Double(count) * 8) }
    var tolerance: Tolerance { .tight }

    /// (weight, bias) among the inputs that follow the running statistics.
    func affine<T>(_ inputs: [T]) -> (weight: T?, bias: T?) {
        (weight ? inputs[3] : nil, bias ? inputs[weight ? 4 : 3] : nil)
    }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, rm, rv) = (inputs[0], inputs[1], inputs[2])
        let (w, b) = affine(inputs)
        var params = [Float](repeating: 0, count: channels * 3)
        for c in 0..<channels {
            let inv = 1 / (rv[c] + eps).squareRoot()
            params[3 * c] = rm[c]
            params[3 * c + 1] = (w?[c] ?? 1) * inv
            params[3 * c + 2] = b?[c] ?? 0
        }
        let y = NormalizationCPU.apply(x, params: params, spatial: spatial, paramRows: channels)
        return relu ? y.map { max($0, 0) } : y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (w, b) = affine(l.inputs)
        try l.engine.batchNormOpenCL(l.context, l.inputs[0], runningMean: l.inputs[1], runningVar: l.inputs[2], weight: w, bias: b,
                                     spatial: spatial, eps: eps, relu: relu, cost: l.cost, output: l.output)
    }
}
