import Foundation
import Runtime

/// `softmax` along one dimension (kernel `softmax_axis`: one work-item per position, three passes
/// over the dimension: maximum, Σ exp(x − max), then exp(x − max) / Σ).
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

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("softmax_axis", global: [view.inner, view.outer], local: Engine.normApplyLocal(spatial: view.inner),
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(view.channels), .i(view.inner), .i(view.outer)],
                             cost: l.cost)
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
                    c("lp/4 mask 1x22x16x16x16 dim 1", [1, 22, 16, 16, 16], dim: 1)],
            profileCases: [c("lp mask 1x22x16x64x64 dim 1", [1, 22, 16, 64, 64], dim: 1)],
            declare: { a in try SoftmaxOp.call(try a.tensor("input", op: "softmax"), dim: try a.int("dim", default: 1, op: "softmax")) })]
    }
}
