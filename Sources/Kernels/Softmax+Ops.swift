import Foundation
import Runtime

/// `softmax` along one dimension. A short dimension runs `softmax_axis`: one work-item per
/// position, three passes over the dimension (maximum, Σ exp(x − max), then exp(x − max) / Σ).
/// A long one (more than `blockRows` values, positions in fours: the few-shot attention's 4096
/// keys) runs in blocks of `blockRows`, so a work-group's loads stay on a few pages and its exp is
/// a vector's: `softmax_axis_partial` (per block: maximum m_b, s_b = Σ exp(x − m_b)),
/// `softmax_axis_combine` (m = max m_b, s = Σ s_b·exp(m_b − m)), `softmax_axis_scale`
/// (exp(x − m) / s) — the same function; only the sum's order differs from the CPU's.
struct SoftmaxOp: EngineOp {
    let view: AxisView
    let outputShape: [Int]

    /// The checked call: `dim` in −rank..<rank (negative counts from the end, as in PyTorch).
    static func call(_ input: Tensor, dim: Int) throws -> OpCall {
        guard input.rank >= 1, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("softmax: input must have at least one dim and no empty dim, got \(input.shapeDescription)")
        }
        let axis = dim < 0 ? dim + input.rank : dim
        guard (0..<input.rank).contains(axis) else {
            throw RuntimeError.shapeMismatch("softmax: dim \(dim) is out of range for \(input.shapeDescription) (expected \(-input.rank)...\(input.rank - 1))")
        }
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("softmax: \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        return OpCall(SoftmaxOp(view: AxisView(input.shape, axis: axis), outputShape: input.shape), [input])
    }

    var name: String { "softmax" }
    /// Per element: a comparison, a subtraction and exp, an add, a division (exp counted as one).
    var cost: KernelCost { KernelCost(flops: Double(view.count) * 5, bytes: Double(view.count) * 8) }
    var tolerance: Tolerance { Self.precision }
    /// The agreement required of `softmax` (exp and a sum over the dimension).
    static let precision = Tolerance(absolute: 1e-6, relative: 1e-5)

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let x = inputs[0]
        let (channels, stride) = (view.channels, view.inner)
        var y = [Float](repeating: 0, count: x.count)
        view.forEachPosition { base in
            var peak = -Float.infinity
            for c in 0..<channels { peak = max(peak, x[base + c * stride]) }
            var sum: Float = 0
            for c in 0..<channels {
                let e = Foundation.exp(x[base + c * stride] - peak)
                y[base + c * stride] = e
                sum += e
            }
            for c in 0..<channels { y[base + c * stride] /= sum }
        }
        return y
    }

    /// Rows per block of the long-axis kernels (`SOFTMAX_ROWS` in Kernels.cl).
    static let blockRows = 64

    /// Whether the blocked long-axis kernels run (else `softmax_axis`).
    var blocked: Bool { view.channels > Self.blockRows && view.inner % 4 == 0 }

    func openCL(_ l: OpenCLLaunch) throws {
        let (x, y, channels, inner, outer) = (try l.input(0), l.outputBuffer, view.channels, view.inner, view.outer)
        guard blocked else {
            try l.context.launch("softmax_axis", global: [inner, outer], local: Engine.normApplyLocal(spatial: inner),
                                 arguments: [.buffer(x), .buffer(y), .i(channels), .i(inner), .i(outer)], cost: l.cost)
            return
        }
        let blocks = (channels + Self.blockRows - 1) / Self.blockRows
        let stats = try l.context.makeBuffer(byteCount: outer * blocks * 2 * inner * 4)
        let total = try l.context.makeBuffer(byteCount: outer * 2 * inner * 4)
        let (n, statsBytes) = (Double(view.count), Double(outer * blocks * 2 * inner * 4))
        let grid = [inner / 4, blocks, outer], groups = [min(64, inner / 4), 1, 1]
        try l.context.launch("softmax_axis_partial", global: grid, local: groups,
                             arguments: [.buffer(x), .buffer(stats), .i(channels), .i(inner), .i(blocks)],
                             cost: KernelCost(flops: n * 3, bytes: n * 4 + statsBytes))
        try l.context.launch("softmax_axis_combine", global: [inner, outer], local: Engine.normApplyLocal(spatial: inner),
                             arguments: [.buffer(stats), .buffer(total), .i(inner), .i(blocks)],
                             cost: KernelCost(flops: Double(outer * blocks * inner * 4), bytes: statsBytes + Double(outer * 2 * inner * 4)))
        try l.context.launch("softmax_axis_scale", global: grid, local: groups,
                             arguments: [.buffer(x), .buffer(total), .buffer(y), .i(channels), .i(inner), .i(blocks)],
                             cost: KernelCost(flops: n * 3, bytes: n * 8))
    }
}

extension Engine {
    /// `torch.softmax(x, dim)`: `exp(x − max) / Σ exp(x − max)` along `dim` (any dim; negative
    /// counts from the end). LivePortrait uses it over dim 1 of `[N, K, D, H, W]` (the dense-motion
    /// mask) and over the 66 pose bins. The maximum is subtracted first, as PyTorch does, so large
    /// logits do not overflow.
    public func softmax(_ x: Tensor, dim: Int) throws -> Tensor {
        try run(SoftmaxOp.call(x, dim: dim))
    }
}

/// Catalog entry for `softmax` (parameter `dim`, default 1).
enum SoftmaxOps {
    static var definitions: [OpDefinition] {
        func c(_ label: String, _ shape: [Int], dim: Int, range: ClosedRange<Float> = -4...4) -> OpCase {
            OpCase(label, tensors: [("input", shape, range)], parameters: ["dim": "\(dim)"])
        }
        return [OpDefinition(
            name: "softmax", inputs: ["input"], parameters: ["dim"], tolerance: SoftmaxOp.precision,
            cases: [c("odd 2x5x3x4 dim 1", [2, 5, 3, 4], dim: 1), c("odd 3x7 dim -1, large logits", [3, 7], dim: -1, range: -60...60),
                    c("odd 2x3x4x5x6 dim 2", [2, 3, 4, 5, 6], dim: 2), c("lp pose bins 1x66", [1, 66], dim: 1),
                    c("lp/4 mask 1x22x16x16x16 dim 1", [1, 22, 16, 16, 16], dim: 1),
                    c("long axis in blocks 2x130x2x2 dim 1", [2, 130, 2, 2], dim: 1, range: -30...30),
                    c("long axis, odd positions 1x70x3 dim 1", [1, 70, 3], dim: 1)],
            profileCases: [c("lp mask 1x22x16x64x64 dim 1", [1, 22, 16, 64, 64], dim: 1),
                           c("fewshot attention 1x4096x64x64 dim 1", [1, 4096, 64, 64], dim: 1, range: -8...8)],
            declare: { a in try SoftmaxOp.call(try a.tensor("input", op: "softmax"), dim: try a.int("dim", default: 1, op: "softmax")) })]
    }
}
