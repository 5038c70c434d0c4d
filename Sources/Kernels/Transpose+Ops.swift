import Runtime

/// `x.transpose(-2, -1)` made contiguous: `[..., M, N] → [..., N, M]` (kernel
/// `transpose_last2`, one work-item per output element). A pure permutation: results are
/// bit-identical. The few-shot talking-heads self-attention needs `fᵀ` before its `bmm`, and the
/// network's images are transposed (H ↔ W) as its trainer fed them.
struct TransposeOp: EngineOp {
    let batch: Int, rows: Int, columns: Int
    let outputShape: [Int]
    var count: Int { batch * rows * columns }

    /// The checked call: rank ≥ 2, no empty dim.
    static func call(_ input: Tensor) throws -> OpCall {
        guard input.rank >= 2, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("transpose: input must be [..., M, N] (rank ≥ 2, no empty dim), got \(input.shapeDescription)")
        }
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("transpose: \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let s = input.shape
        let (m, n) = (s[s.count - 2], s[s.count - 1])
        var out = s
        out[s.count - 2] = n; out[s.count - 1] = m
        return OpCall(TransposeOp(batch: input.count / (m * n), rows: m, columns: n, outputShape: out), [input])
    }

    var name: String { "transpose" }
    var cost: KernelCost { KernelCost(flops: 0, bytes: Double(count) * 8) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let x = inputs[0]
        var y = [Float](repeating: 0, count: count)
        let plane = rows * columns
        for b in 0..<batch {
            let base = b * plane
            for i in 0..<rows {
                for j in 0..<columns { y[base + j * rows + i] = x[base + i * columns + j] }
            }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("transpose_last2", global: [rows, columns, batch], local: [8, 8, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(rows), .i(columns), .i(batch)],
                             cost: l.cost)
    }
}

extension Engine {
    /// `x.transpose(-2, -1).contiguous()`: swaps the last two dims of `[..., M, N]`, giving
    /// `[..., N, M]` with `out[..., j, i] = in[..., i, j]`.
    public func transpose(_ x: Tensor) throws -> Tensor {
        try run(TransposeOp.call(x))
    }
}

/// Catalog entry for `transpose` (the last two dims; no parameters).
enum TransposeOps {
    static var definitions: [OpDefinition] {
        func c(_ label: String, _ shape: [Int]) -> OpCase { OpCase(label, tensors: [("input", shape, -1...1)]) }
        return [OpDefinition(
            name: "transpose", inputs: ["input"], parameters: [], tolerance: .tight,
            cases: [c("odd 3x5x7", [3, 5, 7]), c("odd 13x2", [13, 2]), c("odd 2x3x9x11", [2, 3, 9, 11]),
                    c("fs/4 attention 1x1024x4", [1, 1024, 4])],
            profileCases: [c("fs attention 1x4096x16", [1, 4096, 16]), c("fs image 1x3x256x256", [1, 3, 256, 256])],
            declare: { a in try TransposeOp.call(try a.tensor("input", op: "transpose")) })]
    }
}
