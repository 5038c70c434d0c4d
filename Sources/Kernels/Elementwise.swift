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

    /// The PyTorch function name.
    public var torchName: String {
        switch self {
        case .relu: return "relu"
        case .leakyReLU: return "leaky_relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
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
        }
    }
}

extension Engine {
    /// Applies `kind` element-wise (`negativeSlope` is leaky_relu's, PyTorch default 0.01).
    public func activation(_ x: Tensor, _ kind: Activation, negativeSlope: Float = 0.01) throws -> Tensor {
        let cost = KernelCost(flops: Double(x.count) * (kind == .sigmoid || kind == .tanh ? 4 : 1), bytes: Double(x.count * 8))
        switch backend {
        case .cpu:
            let v = try cpuValues(x)
            return timedCPU(kind.torchName, cost: cost) {
                Tensor(shape: x.shape, values: v.map { kind.apply($0, slope: negativeSlope) })
            }
        case .opencl(let cl):
            let out = try deviceOutput(cl, x.shape)
            try cl.launch("activation", global: [x.count], local: [256],
                          arguments: [.buffer(buffer(x)), .buffer(out.deviceBuffer!), .i(x.count), .int(kind.rawValue), .float(negativeSlope)],
                          cost: cost)
            return out
        }
    }

    /// `relu(x)`.
    public func relu(_ x: Tensor) throws -> Tensor { try activation(x, .relu) }

    /// `alpha·a + beta·b` for tensors of the same shape (residual add: alpha = beta = 1).
    public func add(_ a: Tensor, _ b: Tensor, alpha: Float = 1, beta: Float = 1) throws -> Tensor {
        guard a.shape == b.shape else {
            throw RuntimeError.shapeMismatch("add: \(a.shapeDescription) and \(b.shapeDescription) differ")
        }
        let cost = KernelCost(flops: Double(a.count * 3), bytes: Double(a.count * 12))
        switch backend {
        case .cpu:
            let (x, y) = (try cpuValues(a), try cpuValues(b))
            return timedCPU("add", cost: cost) {
                var out = [Float](repeating: 0, count: x.count)
                for i in 0..<x.count { out[i] = alpha * x[i] + beta * y[i] }
                return Tensor(shape: a.shape, values: out)
            }
        case .opencl(let cl):
            let out = try deviceOutput(cl, a.shape)
            try cl.launch("axpby", global: [a.count], local: [256],
                          arguments: [.buffer(buffer(a)), .buffer(buffer(b)), .buffer(out.deviceBuffer!), .i(a.count), .float(alpha), .float(beta)],
                          cost: cost)
            return out
        }
    }

    /// `alpha·x + beta` element-wise (`scale` with beta = 0).
    public func scaleShift(_ x: Tensor, alpha: Float, beta: Float = 0) throws -> Tensor {
        let cost = KernelCost(flops: Double(x.count * 2), bytes: Double(x.count * 8))
        switch backend {
        case .cpu:
            let v = try cpuValues(x)
            return timedCPU("scale", cost: cost) { Tensor(shape: x.shape, values: v.map { alpha * $0 + beta }) }
        case .opencl(let cl):
            let out = try deviceOutput(cl, x.shape)
            try cl.launch("scale_shift", global: [x.count], local: [256],
                          arguments: [.buffer(buffer(x)), .buffer(out.deviceBuffer!), .i(x.count), .float(alpha), .float(beta)],
                          cost: cost)
            return out
        }
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
                tolerance: kind == .relu || kind == .leakyReLU ? .tight : Tolerance(absolute: 2e-6, relative: 1e-5),
                cases: [OpCase("odd 2x3x7x13x5", tensors: [("input", odd, -4...4)], parameters: kind == .leakyReLU ? ["negative_slope": "0.2"] : [:]),
                        OpCase("mp/4 96x16x32x32", tensors: [("input", mp, -4...4)])],
                profileCases: [OpCase("mp 96x16x64x64", tensors: [("input", full, -4...4)])],
                cost: { a in KernelCost(flops: Double(a.tensors["input"]!.count), bytes: Double(a.tensors["input"]!.count * 8)) },
                run: { engine, a in
                    try engine.activation(try a.tensor("input", op: kind.torchName), kind,
                                          negativeSlope: try a.float("negative_slope", default: 0.01, op: kind.torchName))
                })
        }
        defs.append(OpDefinition(
            name: "add", inputs: ["input", "other"], parameters: ["alpha"], tolerance: .tight,
            cases: [OpCase("odd 2x3x7x13x5", tensors: [("input", odd, -2...2), ("other", odd, -2...2)], parameters: ["alpha": "0.5"]),
                    OpCase("mp/4 96x16x32x32", tensors: [("input", mp, -2...2), ("other", mp, -2...2)]),
                    OpCase("broadcast odd 2x3x7x13 + 2x3x1x1", tensors: [("input", [2, 3, 7, 13], -2...2), ("other", [2, 3, 1, 1], -2...2)]),
                    OpCase("broadcast odd 2x3x7x13 + 3x1x13", tensors: [("input", [2, 3, 7, 13], -2...2), ("other", [3, 1, 13], -2...2)])],
            profileCases: [OpCase("mp 96x16x64x64", tensors: [("input", full, -2...2), ("other", full, -2...2)])],
            cost: { a in KernelCost(flops: Double(a.tensors["input"]!.count * 2), bytes: Double(a.tensors["input"]!.count * 12)) },
            run: { engine, a in
                // torch.add(input, other, alpha=α) = input + α·other; a smaller `other` broadcasts.
                let (input, other) = (try a.tensor("input", op: "add"), try a.tensor("other", op: "add"))
                let alpha = try a.float("alpha", default: 1, op: "add")
                if input.shape == other.shape { return try engine.add(input, other, alpha: 1, beta: alpha) }
                return try engine.add(input, broadcasting: alpha == 1 ? other : try engine.scaleShift(other, alpha: alpha))
            }))
        // `other` is a number (parameter) or a tensor broadcast to `input`'s shape.
        defs.append(OpDefinition(
            name: "mul", inputs: ["input"], optionalInputs: ["other"], parameters: ["other"], tolerance: .tight,
            cases: [OpCase("odd 2x3x7x13x5", tensors: [("input", odd, -2...2)], parameters: ["other": "0.5"]),
                    OpCase("broadcast odd 2x3x7x13 * 2x3x1x1", tensors: [("input", [2, 3, 7, 13], -2...2), ("other", [2, 3, 1, 1], -2...2)]),
                    OpCase("broadcast odd 2x3x7x13x5 * 7x1x5", tensors: [("input", odd, -2...2), ("other", [7, 1, 5], -2...2)]),
                    OpCase("broadcast bisenet/4 128x16x16 * 128x1x1", tensors: [("input", [1, 128, 16, 16], -2...2), ("other", [1, 128, 1, 1], 0...1)])],
            cost: { a in KernelCost(flops: Double(a.tensors["input"]!.count), bytes: Double(a.tensors["input"]!.count * 8)) },
            run: { engine, a in
                let input = try a.tensor("input", op: "mul")
                if let other = a.tensors["other"] {
                    guard a.parameters["other"] == nil else {
                        throw OpError.badParameter(op: "mul", name: "other", value: a.parameters["other"]!, expected: "a number or a tensor, not both")
                    }
                    return try engine.multiply(input, broadcasting: other)
                }
                return try engine.scaleShift(input, alpha: try a.float("other", default: 1, op: "mul"))
            }))
        return defs
    }
}
