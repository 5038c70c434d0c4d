import Runtime

/// The few-shot talking heads' AdaIN (Zakharov et al. 2019, as both public re-implementations
/// write it): per sample and channel, `y = std[n, c] · (x − μ) / (σ + eps) + mean[n, c]` with μ
/// the mean over the spatial positions and σ their **unbiased** standard deviation
/// (`torch.std`, divisor S − 1) — eps is added to σ, not to the variance, unlike
/// `instance_norm`. Statistics are the group norm's partials with one channel per group; the
/// pass is `norm_apply`. Inputs: `input`, `mean`, `std`.
struct AdaINOp: EngineOp {
    let shape: GroupNormShape
    let outputShape: [Int]
    let eps: Float

    /// The checked call: `input` `[N, C, *]` with at least two spatial positions (σ needs S − 1 > 0);
    /// `mean` and `std` `[N, C]` (trailing singleton dims accepted, e.g. `[N, C, 1]`).
    static func call(_ x: Tensor, mean: Tensor, std: Tensor, eps: Float) throws -> OpCall {
        let op = "adain"
        guard x.rank >= 3 else {
            throw RuntimeError.shapeMismatch("\(op): input must be [N, C, H, W] (or [N, C, *] with spatial dims), got \(x.shapeDescription)")
        }
        let shape = try GroupNormShape(x, groups: max(x.shape[1], 1), op: op)
        guard shape.spatial >= 2 else {
            throw RuntimeError.shapeMismatch("\(op): input \(x.shapeDescription) has \(shape.spatial) spatial position; the unbiased standard deviation needs at least 2")
        }
        for (name, t) in [("mean", mean), ("std", std)] {
            guard t.rank >= 2, t.shape[0] == shape.batch, t.shape[1] == shape.channels, t.count == shape.batch * shape.channels else {
                throw RuntimeError.shapeMismatch("\(op): \(name) must be [\(shape.batch), \(shape.channels)] (one per sample and channel), got \(t.shapeDescription)")
            }
        }
        return OpCall(AdaINOp(shape: shape, outputShape: x.shape, eps: eps), [x, mean, std])
    }

    var name: String { "adain" }
    var cost: KernelCost { shape.cost }
    var tolerance: Tolerance { NormalizationOps.tolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, styleMean, styleStd) = (inputs[0], inputs[1], inputs[2])
        let rows = shape.batch * shape.channels, length = shape.spatial
        var params = [Float](repeating: 0, count: rows * 3)
        x.withUnsafeBufferPointer { xp in
            guard let base = xp.baseAddress else { return }
            for r in 0..<rows {
                let p = base + r * length
                let mean = NormalizationCPU.sum(p, length) / Double(length)
                let meanF = Float(mean)
                let residual = mean - Double(meanF)
                let m2 = NormalizationCPU.squaredDeviations(p, length, mean: meanF) - Double(length) * residual * residual
                let sigma = (max(m2, 0) / Double(length - 1)).squareRoot()
                params[3 * r] = meanF
                params[3 * r + 1] = Float(Double(styleStd[r]) / (sigma + Double(eps)))
                params[3 * r + 2] = styleMean[r]
            }
        }
        return NormalizationCPU.apply(x, params: params, spatial: length, paramRows: rows)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        guard let partials = try l.engine.groupNormPartials(l.context, l.inputs[0], shape, op: "adain") else { return }
        let rows = shape.batch * shape.channels
        let params = try l.context.makeBuffer(byteCount: rows * 3 * 4)
        try l.context.launch("adain_finalize", global: [rows], local: [1],
                             arguments: [.buffer(partials.buffer), .buffer(l.input(1)), .buffer(l.input(2)), .buffer(params),
                                         .i(rows), .i(partials.perGroup), .i(partials.total), .i(shape.spatial), .float(eps)],
                             cost: KernelCost(flops: Double(partials.total * 6), bytes: Double(partials.total * 12 + rows * 20)))
        let n = Double(shape.count)
        try l.engine.launchNormApply(l.context, x: try l.input(0), y: l.outputBuffer, params: params, spatial: shape.spatial, rows: rows,
                                     paramRows: rows, cost: KernelCost(flops: n * 2, bytes: n * 8))
    }
}

extension Engine {
    /// AdaIN of the few-shot talking heads: `std · (x − μ) / (σ + eps) + mean` per sample and
    /// channel of `x` `[N, C, H, W]`, μ and σ the spatial mean and **unbiased** standard
    /// deviation (`torch.std`), `mean`/`std` the style `[N, C]` (projected from the identity
    /// vector). eps is added to σ (not inside a square root), as the public implementations do.
    public func adain(_ x: Tensor, mean: Tensor, std: Tensor, eps: Float = 1e-5) throws -> Tensor {
        try run(AdaINOp.call(x, mean: mean, std: std, eps: eps))
    }
}

/// Catalog entry for `adain` (parameter `eps`, default 1e-5).
enum AdaINOps {
    static var definitions: [OpDefinition] {
        func c(_ label: String, _ shape: [Int], range: ClosedRange<Float> = -3...5) -> OpCase {
            OpCase(label, tensors: [("input", shape, range), ("mean", [shape[0], shape[1]], -1...1), ("std", [shape[0], shape[1]], -2...2)])
        }
        return [OpDefinition(
            name: "adain", inputs: ["input", "mean", "std"], parameters: ["eps"], tolerance: NormalizationOps.tolerance,
            cases: [c("odd 2x5x7x3", [2, 5, 7, 3]), c("odd 1x3x2x1 (2 positions)", [1, 3, 2, 1]),
                    c("odd 3x4x9x11, offset values", [3, 4, 9, 11], range: 40...44),
                    c("fs/4 res 1x128x16x16", [1, 128, 16, 16]), c("fs/4 last 1x8x64x64", [1, 8, 64, 64])],
            profileCases: [c("fs res 1x512x16x16", [1, 512, 16, 16]), c("fs last 1x32x256x256", [1, 32, 256, 256])],
            declare: { a in
                try AdaINOp.call(try a.tensor("input", op: "adain"), mean: try a.tensor("mean", op: "adain"),
                                 std: try a.tensor("std", op: "adain"), eps: try a.float("eps", default: 1e-5, op: "adain"))
            })]
    }
}
