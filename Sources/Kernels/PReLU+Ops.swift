import Runtime

/// `prelu`: x if x ≥ 0 else weight[c]·x, with one learned slope per channel (dim 1 of an
/// `[N, C, ...]` input), or one slope for all when `weight` has a single value — as
/// `torch.nn.functional.prelu`. MediaPipe's FaceMesh and iris networks use it after every block.
struct PReLUOp: EngineOp {
    let outputShape: [Int]
    /// Channels (the slope count), and the product of the dimensions after the channel one.
    let channels: Int, inner: Int
    var count: Int { outputShape.reduce(1, *) }

    /// The checked call: `weight` has `C` values (or 1) for an input `[N, C, ...]`.
    static func call(_ input: Tensor, weight: Tensor) throws -> OpCall {
        let slopes = weight.count
        guard input.rank >= 2 || slopes == 1 else {
            throw RuntimeError.shapeMismatch("prelu: an input \(input.shapeDescription) without a channel dimension takes one slope, got \(weight.shapeDescription)")
        }
        guard weight.rank <= 1, slopes == 1 || slopes == input.shape[1] else {
            throw RuntimeError.shapeMismatch("prelu: the weight must be [1] or [C] = [\(input.rank >= 2 ? input.shape[1] : 1)] for input \(input.shapeDescription), got \(weight.shapeDescription)")
        }
        let inner = input.rank > 2 ? input.shape[2...].reduce(1, *) : 1
        return OpCall(PReLUOp(outputShape: input.shape, channels: slopes, inner: slopes == 1 ? max(input.count, 1) : inner), [input, weight])
    }

    var name: String { "prelu" }
    /// 2 FLOPs per element (compare-select and product).
    var cost: KernelCost { KernelCost(flops: Double(count * 2), bytes: Double(count * 8)) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, w) = (inputs[0], inputs[1])
        var out = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let v = x[i]
            out[i] = v >= 0 ? v : v * w[(i / inner) % channels]
        }
        return out
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("prelu", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.outputBuffer), .i(count), .i(inner), .i(channels)],
                             cost: l.cost)
    }
}

extension Engine {
    /// `prelu(x, weight)`: negative values scaled by the channel's slope (`weight` `[C]` for an
    /// input `[N, C, ...]`, or `[1]` for one slope).
    public func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor { try run(try PReLUOp.call(x, weight: weight)) }
}

/// Catalog entry for `prelu`.
enum PReLUOps {
    static var definitions: [OpDefinition] {
        [OpDefinition(
            name: "prelu", inputs: ["input", "weight"], tolerance: .tight,
            cases: [OpCase("odd 2x3x7x13", tensors: [("input", [2, 3, 7, 13], -2...2), ("weight", [3], -1...1)]),
                    OpCase("odd 3x5x7 one slope", tensors: [("input", [3, 5, 7], -2...2), ("weight", [1], 0...1)]),
                    OpCase("facemesh 1x32x48x48", tensors: [("input", [1, 32, 48, 48], -2...2), ("weight", [32], 0...1)])],
            profileCases: [OpCase("facemesh 1x16x96x96", tensors: [("input", [1, 16, 96, 96], -2...2), ("weight", [16], 0...1)])],
            declare: { a in try PReLUOp.call(try a.tensor("input", op: "prelu"), weight: try a.tensor("weight", op: "prelu")) })]
    }
}
