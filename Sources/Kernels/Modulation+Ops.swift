import Runtime

/// The shape check shared by SPADE's modulations: `gamma` and `beta` have `x`'s shape.
private func checkModulation(_ x: Tensor, gamma: Tensor, beta: Tensor, op: String) throws {
    for (name, t) in [("gamma", gamma), ("beta", beta)] where t.shape != x.shape {
        throw RuntimeError.shapeMismatch("\(op): \(name) must have the input's shape \(x.shapeDescription) (one value per element), got \(t.shapeDescription)")
    }
    guard x.count < Int(Int32.max) else {
        throw RuntimeError.shapeMismatch("\(op): \(x.shapeDescription) has more than 2^31 elements; split the batch")
    }
}

/// SPADE's modulation `x·(1 + γ) + β`, all three of one shape (kernel `modulate`).
/// Inputs: `input`, `gamma`, `beta`.
struct ModulateOp: EngineOp {
    let outputShape: [Int]
    var count: Int { outputShape.reduce(1, *) }

    /// The checked call.
    static func call(_ x: Tensor, gamma: Tensor, beta: Tensor) throws -> OpCall {
        try checkModulation(x, gamma: gamma, beta: beta, op: "modulate")
        return OpCall(ModulateOp(outputShape: x.shape), [x, gamma, beta])
    }

    var name: String { "modulate" }
    /// 3 FLOPs per element (1 + γ, the product, + β); bytes: three inputs and the output.
    var cost: KernelCost { KernelCost(flops: Double(count) * 3, bytes: Double(count) * 16) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, g, b) = (inputs[0], inputs[1], inputs[2])
        var y = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count { y[i] = x[i] * (1 + g[i]) + b[i] }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("modulate", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.input(2)), .buffer(l.outputBuffer), .i(count)],
                             cost: l.cost)
    }
}

/// SPADE's normalisation fused with its modulation: `InstanceNorm2d(affine=False)(x)·(1 + γ) + β`
/// on `[N, C, *]`, γ and β of `x`'s shape. Statistics are the group norm's with one channel per
/// group (`group_norm_partial*`, `group_norm_finalize`); the pass is kernel `norm_modulate_apply`.
/// Inputs: `input`, `gamma`, `beta`.
struct InstanceNormModulateOp: EngineOp {
    let shape: GroupNormShape
    let outputShape: [Int]
    let eps: Float

    /// The checked call.
    static func call(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float) throws -> OpCall {
        let op = "instance_norm_modulate"
        guard x.rank >= 3 else {
            throw RuntimeError.shapeMismatch("\(op): input must be [N, C, H, W] (or [N, C, *] with spatial dims), got \(x.shapeDescription)")
        }
        try checkModulation(x, gamma: gamma, beta: beta, op: op)
        let shape = try GroupNormShape(x, groups: max(x.shape[1], 1), op: op)
        return OpCall(InstanceNormModulateOp(shape: shape, outputShape: x.shape, eps: eps), [x, gamma, beta])
    }

    var name: String { "instance_norm_modulate" }
    /// The group norm's statistics and pass, plus the modulation's 3 FLOPs and 8 more bytes (γ, β).
    var cost: KernelCost {
        let n = Double(shape.count)
        return KernelCost(flops: shape.cost.flops + n * 3, bytes: shape.cost.bytes + n * 8)
    }
    var tolerance: Tolerance { NormalizationOps.tolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, g, b) = (inputs[0], inputs[1], inputs[2])
        let params = NormalizationCPU.groupParams(x, shape, gamma: nil, beta: nil, perSample: false, eps: eps)
        let normalised = NormalizationCPU.apply(x, params: params, spatial: shape.spatial, paramRows: shape.batch * shape.channels)
        var y = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count { y[i] = normalised[i] * (1 + g[i]) + b[i] }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        guard let params = try l.engine.groupNormParams(l.context, l.inputs[0], shape, NormAffine(gamma: nil, beta: nil, perSample: false),
                                                        eps: eps) else { return }
        let n = Double(shape.count)
        let rows = shape.batch * shape.channels
        try l.context.launch("norm_modulate_apply", global: [shape.spatial, rows], local: Engine.normApplyLocal(spatial: shape.spatial),
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.input(2)), .buffer(params), .buffer(l.outputBuffer),
                                         .i(shape.spatial), .i(rows)],
                             cost: KernelCost(flops: n * 5, bytes: n * 16))
    }
}

extension Engine {
    /// SPADE's modulation `x·(1 + gamma) + beta`, element-wise over three tensors of one shape
    /// (one fused pass; LivePortrait's SPADE computes γ and β per pixel from the label map).
    public func modulate(_ x: Tensor, gamma: Tensor, beta: Tensor) throws -> Tensor {
        try run(ModulateOp.call(x, gamma: gamma, beta: beta))
    }

    /// `InstanceNorm2d(C, affine=False, eps)(x)·(1 + gamma) + beta` in one op: per sample and
    /// channel the mean and biased variance over the spatial positions (the group norm's
    /// statistics with one channel per group), then the modulation; `gamma`, `beta` have `x`'s
    /// shape `[N, C, H, W]`. Equals `modulate(groupNorm(x, groups: C, weight: nil, bias: nil,
    /// eps: eps), ...)` without the intermediate tensor.
    public func instanceNormModulate(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float = 1e-5) throws -> Tensor {
        try run(InstanceNormModulateOp.call(x, gamma: gamma, beta: beta, eps: eps))
    }
}
