import Runtime

/// ConvNeXtV2's global response normalisation on NCHW `[N, C, H, W]` with `gamma`, `beta` `[C]`:
/// `G[n,c] = ‖x[n,c]‖₂` over (H, W), `Nx = G / (mean_c G + eps)`, `y = γ·(x·Nx) + β + x`.
/// Kernels: `grn_norms` (one work-item per (n, c), 64 lane-strided float partial sums and a tree),
/// `grn_scale` (Nx, one 64-lane work-group per n), `grn_apply` (8 positions per work-item).
/// Inputs: `input`, `gamma`, `beta`.
struct GlobalResponseNormOp: EngineOp {
    let batch: Int, channels: Int, spatial: Int
    let outputShape: [Int]
    let eps: Float
    var count: Int { batch * channels * spatial }

    /// Lane-strided partial sums per (n, c) row in `grn_norms` and work-items of `grn_scale`'s
    /// work-group (the kernels' `GRN_LANES`).
    static let lanes = 64

    /// The checked call.
    static func call(_ input: Tensor, gamma: Tensor, beta: Tensor, eps: Float) throws -> OpCall {
        let op = "global_response_norm"
        guard input.rank == 4, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): input must be NCHW [N, C, H, W] with no empty dim, got \(input.shapeDescription)")
        }
        let c = input.shape[1]
        for (name, t) in [("gamma", gamma), ("beta", beta)] where t.count != c || t.shape.filter({ $0 != 1 }).count > 1 {
            throw RuntimeError.shapeMismatch("\(op): \(name) must hold one value per channel ([\(c)] or [1, 1, 1, \(c)]), got \(t.shapeDescription)")
        }
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        return OpCall(GlobalResponseNormOp(batch: input.shape[0], channels: c, spatial: input.shape[2] * input.shape[3],
                                           outputShape: input.shape, eps: eps), [input, gamma, beta])
    }

    var name: String { "global_response_norm" }
    /// 2 FLOPs per element for the squared norms, 5 for the output (two products, two adds and
    /// the scale's share); bytes: the input twice and the output once.
    var cost: KernelCost { KernelCost(flops: Double(count) * 7, bytes: Double(count) * 12) }
    var tolerance: Tolerance { NormalizationOps.tolerance }

    /// `Nx[n, c]` from the input, as the CPU computes it (squares summed in Double).
    func responses(_ x: [Float]) -> [Float] {
        var norms = [Float](repeating: 0, count: batch * channels)
        for row in 0..<(batch * channels) {
            var squares = 0.0
            for v in x[(row * spatial)..<((row + 1) * spatial)] { squares += Double(v) * Double(v) }
            norms[row] = Float(squares.squareRoot())
        }
        var scale = norms
        for n in 0..<batch {
            let rows = (n * channels)..<((n + 1) * channels)
            let mean = norms[rows].reduce(0, +) / Float(channels)
            for row in rows { scale[row] = norms[row] / (mean + eps) }
        }
        return scale
    }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, gamma, beta) = (inputs[0], inputs[1], inputs[2])
        let scale = responses(x)
        var y = [Float](repeating: 0, count: x.count)
        for row in 0..<(batch * channels) {
            let (c, s) = (row % channels, scale[row])
            for i in (row * spatial)..<((row + 1) * spatial) { y[i] = gamma[c] * (x[i] * s) + beta[c] + x[i] }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let rows = batch * channels
        let x = try l.input(0)
        let norms = try l.context.makeBuffer(byteCount: rows * 4), scale = try l.context.makeBuffer(byteCount: rows * 4)
        try l.context.launch("grn_norms", global: [rows], local: nil,
                             arguments: [.buffer(x), .buffer(norms), .i(spatial), .i(rows)],
                             cost: KernelCost(flops: Double(count) * 2, bytes: Double(count) * 4))
        try l.context.launch("grn_scale", global: [Self.lanes, batch], local: [Self.lanes, 1],
                             arguments: [.buffer(norms), .buffer(scale), .i(channels), .float(eps)],
                             cost: KernelCost(flops: Double(rows * 3), bytes: Double(rows * 8)))
        let runs = (spatial + 7) / 8   // 8 positions per work-item
        try l.context.launch("grn_apply", global: [runs, rows], local: Engine.normApplyLocal(spatial: runs),
                             arguments: [.buffer(x), .buffer(try l.input(1)), .buffer(try l.input(2)), .buffer(scale),
                                         .buffer(l.outputBuffer), .i(spatial), .i(rows), .i(channels)],
                             cost: KernelCost(flops: Double(count) * 5, bytes: Double(count) * 8))
    }
}

extension Engine {
    /// ConvNeXtV2's GRN (global response normalisation) on NCHW `[N, C, H, W]`: per sample and
    /// channel the L2 norm over the pixels `G[n,c] = sqrt(Σ_{h,w} x²)`, divided by the mean over
    /// channels, `Nx = G / (mean_c G + eps)`, then `y = γ·(x·Nx) + β + x` with `gamma`, `beta`
    /// one value per channel (`[C]`; the official `[1, 1, 1, C]` is accepted). Equals the official
    /// NHWC module applied to the permuted tensor. Squares are summed in Double on the CPU and in
    /// float (64 partial sums per row, then a tree) on OpenCL.
    public func globalResponseNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float = 1e-6) throws -> Tensor {
        try run(GlobalResponseNormOp.call(x, gamma: gamma, beta: beta, eps: eps))
    }
}
