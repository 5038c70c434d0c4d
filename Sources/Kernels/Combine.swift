import Foundation
import Runtime

/// How `broadcast_binary` combines its two operands (the kernel's `mode`).
enum BroadcastOperation: Int32 {
    case add = 0
    case multiply = 1
}

/// A validated broadcast of `other` against `input`'s shape (PyTorch's rule, restricted to the
/// case where the result has `input`'s shape): shapes align on the right; every dim of `other` is
/// 1 or equal to `input`'s. Both are viewed as 5-D with leading 1s.
struct BroadcastShape {
    /// `input`'s shape padded to 5 dims.
    let dims: [Int]
    /// `other`'s element strides per padded dim, 0 where it broadcasts.
    let strides: [Int]

    init(input: Tensor, other: Tensor, op: String) throws {
        guard input.rank <= 5, other.rank <= input.rank else {
            throw RuntimeError.shapeMismatch("\(op): cannot broadcast \(other.shapeDescription) to \(input.shapeDescription) (at most 5 dims, other no longer than input)")
        }
        dims = Array(repeating: 1, count: 5 - input.rank) + input.shape
        let otherDims = Array(repeating: 1, count: 5 - other.rank) + other.shape
        var strides = [Int](repeating: 0, count: 5)
        var step = 1
        for d in stride(from: 4, through: 0, by: -1) {
            guard otherDims[d] == dims[d] || otherDims[d] == 1 else {
                throw RuntimeError.shapeMismatch("\(op): \(other.shapeDescription) does not broadcast to \(input.shapeDescription): each dim of the second operand must be 1 or match (aligned on the right)")
            }
            strides[d] = otherDims[d] == 1 ? 0 : step
            step *= otherDims[d]
        }
        self.strides = strides
    }

    /// Elements in a run of trailing dims along which `other` broadcasts (1 when its last dim does not).
    var constantRun: Int {
        var run = 1
        for d in stride(from: 4, through: 0, by: -1) {
            guard strides[d] == 0 else { break }
            run *= dims[d]
        }
        return run
    }

    /// The index into `other` of output element `i`.
    @inline(__always)
    func otherIndex(_ i: Int) -> Int {
        var r = i, index = 0
        for d in stride(from: 4, through: 1, by: -1) {
            index += (r % dims[d]) * strides[d]
            r /= dims[d]
        }
        return index + r * strides[0]
    }
}

extension Engine {
    /// `input + other` with `other` broadcast to `input`'s shape (`torch.add`; e.g. a
    /// `[N, C, 1, 1]` or `[1, C, 1, 1]` term added to `[N, C, H, W]`). The result has `input`'s shape.
    public func add(_ input: Tensor, broadcasting other: Tensor) throws -> Tensor {
        try broadcastBinary(input, other, .add, op: "add")
    }

    /// `input · other` with `other` broadcast to `input`'s shape (`torch.mul`; e.g. channel
    /// attention `[N, C, H, W] · [N, C, 1, 1]`). The result has `input`'s shape.
    public func multiply(_ input: Tensor, broadcasting other: Tensor) throws -> Tensor {
        try broadcastBinary(input, other, .multiply, op: "mul")
    }

    private func broadcastBinary(_ a: Tensor, _ b: Tensor, _ operation: BroadcastOperation, op: String) throws -> Tensor {
        try run(BroadcastBinaryOp(a, b, operation, op: op), [a, b])
    }

    /// `torch.cat(tensors, dim)`: every tensor has the same rank and the same size on every dim
    /// but `dim` (negative counts from the end, as in PyTorch); the result stacks them along `dim`
    /// in order. BiSeNet concatenates two `[N, C, H, W]` maps along channels (`dim = 1`).
    public func concatenate(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        try run(ConcatenateOp(tensors, dim: dim), tensors)
    }
}

/// `input ∘ other` with `other` broadcast to `input`'s shape (kernel `broadcast_binary`).
struct BroadcastBinaryOp: EngineOp {
    let shape: BroadcastShape
    let operation: BroadcastOperation
    let name: String
    let outputShape: [Int]
    let otherCount: Int
    var count: Int { outputShape.reduce(1, *) }

    init(_ a: Tensor, _ b: Tensor, _ operation: BroadcastOperation, op: String) throws {
        shape = try BroadcastShape(input: a, other: b, op: op)
        guard a.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(a.shapeDescription) has more than 2^31 elements; split the batch")
        }
        self.operation = operation; name = op; outputShape = a.shape; otherCount = b.count
    }

    var cost: KernelCost { KernelCost(flops: Double(count), bytes: 4 * Double(2 * count + otherCount)) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, y) = (inputs[0], inputs[1])
        // Within a run of trailing broadcast dims the other operand's element is constant.
        let run = shape.constantRun
        var out = [Float](repeating: 0, count: x.count)
        for start in stride(from: 0, to: x.count, by: run) {
            let v = y[shape.otherIndex(start)]
            switch operation {
            case .add: for i in start..<(start + run) { out[i] = x[i] + v }
            case .multiply: for i in start..<(start + run) { out[i] = x[i] * v }
            }
        }
        return out
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (d, s) = (shape.dims, shape.strides)
        try l.context.launch("broadcast_binary", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.outputBuffer), .i(count),
                                         .i(d[1]), .i(d[2]), .i(d[3]), .i(d[4]),
                                         .i(s[0]), .i(s[1]), .i(s[2]), .i(s[3]), .i(s[4]), .int(operation.rawValue)],
                             cost: l.cost)
    }
}

/// `torch.cat` of the inputs along one axis (kernel `concat_copy`, one launch per input).
struct ConcatenateOp: EngineOp {
    let outputShape: [Int]
    /// Elements of each input per outer index, and of the output.
    let inners: [Int], dstInner: Int, outer: Int

    init(_ tensors: [Tensor], dim: Int) throws {
        guard let first = tensors.first else { throw RuntimeError.shapeMismatch("cat: needs at least one tensor") }
        let rank = first.rank
        let axis = dim < 0 ? dim + rank : dim
        guard rank >= 1, (0..<rank).contains(axis) else {
            throw RuntimeError.shapeMismatch("cat: dim \(dim) is out of range for \(rank)-D tensors")
        }
        for t in tensors where t.rank != rank || (0..<rank).contains(where: { $0 != axis && t.shape[$0] != first.shape[$0] }) {
            throw RuntimeError.shapeMismatch("cat: \(t.shapeDescription) does not match \(first.shapeDescription) on every dim but \(axis)")
        }
        var outputShape = first.shape
        outputShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        outer = first.shape[..<axis].reduce(1, *)
        let trailing = first.shape[(axis + 1)...].reduce(1, *)
        dstInner = outputShape[axis] * trailing
        inners = tensors.map { $0.shape[axis] * trailing }
        guard outer * dstInner < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("cat: the result \(outputShape) has more than 2^31 elements; split the batch")
        }
        self.outputShape = outputShape
    }

    var name: String { "cat" }
    var cost: KernelCost { KernelCost(flops: 0, bytes: 8 * Double(outer * dstInner)) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        var out = [Float](repeating: 0, count: outer * dstInner)
        var offset = 0
        for (inner, values) in zip(inners, inputs) {
            for o in 0..<outer {
                for r in 0..<inner { out[o * dstInner + offset + r] = values[o * inner + r] }
            }
            offset += inner
        }
        return out
    }

    func openCL(_ l: OpenCLLaunch) throws {
        var offset = 0
        for (index, (t, inner)) in zip(l.inputs, inners).enumerated() {
            if t.count > 0 {
                try l.context.launch("concat_copy", global: [inner, outer], local: Engine.normApplyLocal(spatial: inner),
                                     arguments: [.buffer(l.input(index)), .buffer(l.outputBuffer), .i(inner), .i(outer), .i(dstInner), .i(offset)],
                                     cost: KernelCost(flops: 0, bytes: 8 * Double(t.count)))
            }
            offset += inner
        }
    }
}

/// Catalog entries for the Combine family: `cat`. (Broadcasting `add` and `mul` are reached
/// through the element-wise family's `add` and `mul` entries when the shapes differ.)
enum CombineOps {
    static let op = "cat"
    /// Tensor names for `cat`: PyTorch's list argument `tensors`, element by element.
    static let names = (0..<4).map { "tensors.\($0)" }

    static var definitions: [OpDefinition] {
        func c(_ label: String, _ shapes: [[Int]], dim: Int) -> OpCase {
            OpCase(label, tensors: shapes.enumerated().map { (names[$0.offset], $0.element, -2...2) }, parameters: ["dim": "\(dim)"])
        }
        return [OpDefinition(
            name: op, inputs: [names[0]], optionalInputs: Array(names[1...]), parameters: ["dim"], tolerance: .tight,
            cases: [
                c("channels odd 2x3x7x13 + 2x5x7x13", [[2, 3, 7, 13], [2, 5, 7, 13]], dim: 1),
                c("three along W odd 3x4x5 + 3x4x2 + 3x4x7", [[3, 4, 5], [3, 4, 2], [3, 4, 7]], dim: -1),
                c("batch 1x3x4x6 + 2x3x4x6", [[1, 3, 4, 6], [2, 3, 4, 6]], dim: 0),
                c("bisenet/4 128x16x16 + 128x16x16", [[1, 128, 16, 16], [1, 128, 16, 16]], dim: 1),
            ],
            profileCases: [c("bisenet 128x64x64 + 128x64x64", [[1, 128, 64, 64], [1, 128, 64, 64]], dim: 1)],
            declare: { a in
                // The list in order, stopping at the first missing element.
                let tensors = names.prefix { a.tensors[$0] != nil }.map { a.tensors[$0]! }
                guard tensors.count == a.tensors.count else {
                    throw OpError.badParameter(op: op, name: "tensors", value: a.tensors.keys.sorted().joined(separator: ","),
                                               expected: "tensors.0, tensors.1, ... without gaps")
                }
                return OpCall(try ConcatenateOp(tensors, dim: try a.int("dim", default: 0, op: op)), tensors)
            })]
    }
}
