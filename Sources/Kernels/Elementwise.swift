import Foundation
import Runtime

/// Element-wise activation functions, matching `torch.nn.functional`.
public enum Activation: Int32, Sendable, CaseIterable {
    /// `relu`: max(x, 0).
    case relu = 0
    /// `leaky_relu`: x if x ≥ 0 else slope·x.
    case leakyReLU = 1
    /// `sigmoid`: 1 / (1 + e^−x).
    case sigmoid = 2
    /// `tanh`.
    case tanh = 3
    /// `gelu` (exact, `approximate='none'`, nn.GELU's default): 0.5·x·(1 + erf(x/√2)). The CPU
    /// path uses Foundation's `erf`, OpenCL the built-in `erf` (both within a few ulps).
    case gelu = 4

    /// The PyTorch function name.
    public var torchName: String {
        switch self {
        case .relu: return "relu"
        case .leakyReLU: return "leaky_relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .gelu: return "gelu"
        }
    }

    /// The scalar function, used by the CPU path.
    @inline(__always)
    public func apply(_ v: Float, slope: Float) -> Float {
        switch self {
        case .relu: return max(v, 0)
        case .leakyReLU: return v >= 0 ? v : v * slope
        case .sigmoid: return 1 / (1 + Foundation.exp(-v))
        case .tanh: return Foundation.tanh(v)
        case .gelu: return 0.5 * v * (1 + Foundation.erf(v * Float(0.5).squareRoot()))
        }
    }
}

/// `activation`: `kind` applied element-wise (`negativeSlope` is leaky_relu's).
struct ActivationOp: EngineOp {
    let kind: Activation
    let negativeSlope: Float
    let outputShape: [Int]
    var count: Int { outputShape.reduce(1, *) }

    var name: String { kind.torchName }
    /// FLOPs per element: 4 for sigmoid (negate, exp, add, divide) and tanh, 5 for gelu (scale,
    /// erf, add, two products; erf counted as one), 1 for relu/leaky_relu.
    var cost: KernelCost { KernelCost(flops: Double(count) * Self.flopsPerElement(kind), bytes: Double(count * 8)) }
    static func flopsPerElement(_ kind: Activation) -> Double {
        switch kind {
        case .relu, .leakyReLU: return 1
        case .sigmoid, .tanh: return 4
        case .gelu: return 5
        }
    }
    var tolerance: Tolerance { Self.tolerance(kind) }
    static func tolerance(_ kind: Activation) -> Tolerance {
        kind == .relu || kind == .leakyReLU ? .tight : Tolerance(absolute: 2e-6, relative: 1e-5)
    }

    func cpu(_ inputs: [[Float]]) -> [Float] { inputs[0].map { kind.apply($0, slope: negativeSlope) } }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("activation", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(count), .int(kind.rawValue), .float(negativeSlope)],
                             cost: l.cost)
    }
}

/// `alpha·a + beta·b` for two tensors of one shape (kernel `axpby`).
struct AxpbyOp: EngineOp {
    let alpha: Float, beta: Float
    let outputShape: [Int]
    var count: Int { outputShape.reduce(1, *) }

    init(_ a: [Int], _ b: [Int], alpha: Float, beta: Float) throws {
        guard a == b else { throw RuntimeError.shapeMismatch("add: \(a) and \(b) differ") }
        self.alpha = alpha; self.beta = beta; outputShape = a
    }

    var name: String { "add" }
    /// 3 FLOPs per element (two products and a sum), as the kernel computes them.
    var cost: KernelCost { KernelCost(flops: Double(count * 3), bytes: Double(count * 12)) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, y) = (inputs[0], inputs[1])
        var out = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count { out[i] = alpha * x[i] + beta * y[i] }
        return out
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("axpby", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.outputBuffer), .i(count), .float(alpha), .float(beta)],
                             cost: l.cost)
    }
}

/// `alpha·x + beta` element-wise (kernel `scale_shift`).
struct ScaleShiftOp: EngineOp {
    let alpha: Float, beta: Float
    let outputShape: [Int]
    var count: Int { outputShape.reduce(1, *) }

    var name: String { "scale" }
    var cost: KernelCost { KernelCost(flops: Double(count * 2), bytes: Double(count * 8)) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] { inputs[0].map { alpha * $0 + beta } }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("scale_shift", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(count), .float(alpha), .float(beta)],
                             cost: l.cost)
    }
}

extension Engine {
    /// Applies `kind` element-wise (`negativeSlope` is leaky_relu's, PyTorch default 0.01).
    public func activation(_ x: Tensor, _ kind: Activation, negativeSlope: Float = 0.01) throws -> Tensor {
        try run(ActivationOp(kind: kind, negativeSlope: negativeSlope, outputShape: x.shape), [x])
    }

    /// `relu(x)`.
    public func relu(_ x: Tensor) throws -> Tensor { try activation(x, .relu) }

    /// `gelu(x)`, the exact (erf) form `0.5·x·(1 + erf(x/√2))` of `nn.GELU()` (ConvNeXt blocks).
    public func gelu(_ x: Tensor) throws -> Tensor { try activation(x, .gelu) }

    /// `alpha·a + beta·b` for tensors of the same shape (residual add: alpha = beta = 1).
    public func add(_ a: Tensor, _ b: Tensor, alpha: Float = 1, beta: Float = 1) throws -> Tensor {
        try run(AxpbyOp(a.shape, b.shape, alpha: alpha, beta: beta), [a, b])
    }

    /// `alpha·x + beta` element-wise (`scale` with beta = 0).
    public func scaleShift(_ x: Tensor, alpha: Float, beta: Float = 0) throws -> Tensor {
        try run(ScaleShiftOp(alpha: alpha, beta: beta, outputShape: x.shape), [x])
    }
}

/// Catalog entries for the element-wise family.
enum ElementwiseOps {
    static let odd: [Int] = [2, 3, 7, 13, 5]
    static let mp: [Int] = [1, 96, 16, 32, 32]
    static let full: [Int] = [1, 96, 16, 64, 64]

    static var definitions: [OpDefinition] {
        var defs: [OpDefinition] = Activation.allCases.map { kind in
            OpDefinition(
                name: kind.torchName, inputs: ["input"], parameters: kind == .leakyReLU ? ["negative_slope"] : [],
                tolerance: ActivationOp.tolerance(kind),
                cases: [OpCase("odd 2x3x7x13x5", tensors: [("input", odd, -4...4)], parameters: kind == .leakyReLU ? ["negative_slope": "0.2"] : [:]),
                        OpCase("mp/4 96x16x32x32", tensors: [("input", mp, -4...4)])],
                profileCases: [OpCase("mp 96x16x64x64", tensors: [("input", full, -4...4)])],
                declare: { a in
                    let input = try a.tensor("input", op: kind.torchName)
                    let slope = try a.float("negative_slope", default: 0.01, op: kind.torchName)
                    return OpCall(ActivationOp(kind: kind, negativeSlope: slope, outputShape: input.shape), [input])
                })
        }
        defs.append(OpDefinition(
            name: "add", inputs: ["input", "other"], parameters: ["alpha"], tolerance: .tight,
            cases: [OpCase("odd 2x3x7x13x5", tensors: [("input", odd, -2...2), ("other", odd, -2...2)], parameters: ["alpha": "0.5"]),
                    OpCase("mp/4 96x16x32x32", tensors: [("input", mp, -2...2), ("other", mp, -2...2)]),
                    OpCase("broadcast odd 2x3x7x13 + 2x3x1x1", tensors: [("input", [2, 3, 7, 13], -2...2), ("other", [2, 3, 1, 1], -2...2)]),
                    OpCase("broadcast odd 2x3x7x13 + 3x1x13", tensors: [("input", [2, 3, 7, 13], -2...2), ("other", [3, 1, 13], -2...2)]),
                    // Small enough for make gpu-lint's simulator (inputs ≤ 1024 values), equal shapes: axpby.
                    OpCase("odd 3x5x7 alpha -1.5", tensors: [("input", [3, 5, 7], -2...2), ("other", [3, 5, 7], -2...2)], parameters: ["alpha": "-1.5"])],
            profileCases: [OpCase("mp 96x16x64x64", tensors: [("input", full, -2...2), ("other", full, -2...2)])],
            // The declarations the run goes through: their costs summed.
            cost: { a in (try? addSteps(a))?.reduce(KernelCost.zero) { KernelCost(flops: $0.flops + $1.cost.flops, bytes: $0.bytes + $1.cost.bytes) } ?? .zero },
            run: { engine, a in
                let (input, other) = (try a.tensor("input", op: "add"), try a.tensor("other", op: "add"))
                let steps = try addSteps(a)
                if steps.count == 1 { return try engine.run(steps[0], [input, other]) }
                return try engine.run(steps[1], [input, try engine.run(steps[0], [other])])
            }))
        // `other` is a number (parameter) or a tensor broadcast to `input`'s shape.
        defs.append(OpDefinition(
            name: "mul", inputs: ["input"], optionalInputs: ["other"], parameters: ["other"], tolerance: .tight,
            cases: [OpCase("odd 2x3x7x13x5", tensors: [("input", odd, -2...2)], parameters: ["other": "0.5"]),
                    OpCase("broadcast odd 2x3x7x13 * 2x3x1x1", tensors: [("input", [2, 3, 7, 13], -2...2), ("other", [2, 3, 1, 1], -2...2)]),
                    OpCase("broadcast odd 2x3x7x13x5 * 7x1x5", tensors: [("input", odd, -2...2), ("other", [7, 1, 5], -2...2)]),
                    OpCase("broadcast bisenet/4 128x16x16 * 128x1x1", tensors: [("input", [1, 128, 16, 16], -2...2), ("other", [1, 128, 1, 1], 0...1)])],
            declare: { a in
                let input = try a.tensor("input", op: "mul")
                if let other = a.tensors["other"] {
                    guard a.parameters["other"] == nil else {
                        throw OpError.badParameter(op: "mul", name: "other", value: a.parameters["other"]!, expected: "a number or a tensor, not both")
                    }
                    return OpCall(try BroadcastBinaryOp(input, other, .multiply, op: "mul"), [input, other])
                }
                return OpCall(ScaleShiftOp(alpha: try a.float("other", default: 1, op: "mul"), beta: 0, outputShape: input.shape), [input])
            }))
        defs.append(OpDefinition(
            name: "modulate", inputs: ["input", "gamma", "beta"], tolerance: .tight,
            cases: [OpCase("odd 2x5x7x9", tensors: [("input", [2, 5, 7, 9], -2...2), ("gamma", [2, 5, 7, 9], -1...1), ("beta", [2, 5, 7, 9], -1...1)]),
                    OpCase("lp/4 SPADE 1x128x32x32", tensors: [("input", [1, 128, 32, 32], -2...2), ("gamma", [1, 128, 32, 32], -1...1),
                                                              ("beta", [1, 128, 32, 32], -1...1)])],
            profileCases: [OpCase("lp SPADE 1x512x64x64", tensors: [("input", [1, 512, 64, 64], -2...2), ("gamma", [1, 512, 64, 64], -1...1),
                                                                    ("beta", [1, 512, 64, 64], -1...1)])],
            declare: { a in
                try ModulateOp.call(try a.tensor("input", op: "modulate"), gamma: try a.tensor("gamma", op: "modulate"), beta: try a.tensor("beta", op: "modulate"))
            }))
        return defs
    }

    /// `torch.add(input, other, alpha=α)` = input + α·other as declarations run in order: one
    /// `axpby` for equal shapes; for a smaller, broadcast `other` the broadcast add, preceded by
    /// scaling `other` when α ≠ 1 (the add then takes the scaled `other`).
    static func addSteps(_ a: OpArguments) throws -> [any EngineOp] {
        let (input, other) = (try a.tensor("input", op: "add"), try a.tensor("other", op: "add"))
        let alpha = try a.float("alpha", default: 1, op: "add")
        if input.shape == other.shape { return [try AxpbyOp(input.shape, other.shape, alpha: 1, beta: alpha)] }
        let add = try BroadcastBinaryOp(input, other, .add, op: "add")
        return alpha == 1 ? [add] : [ScaleShiftOp(alpha: alpha, beta: 0, outputShape: other.shape), add]
    }
}
