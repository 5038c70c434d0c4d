import Runtime

/// The tensors and string parameters one op call receives, named as in `torch.nn.functional`
/// (`input`, `weight`, `bias`, `grid`; `stride`, `padding`, `align_corners`...).
public struct OpArguments: @unchecked Sendable {
    /// Input tensors by name.
    public var tensors: [String: Tensor]
    /// Parameters by name, as text (`"2"`, `"1,2,2"`, `"true"`, `"zeros"`).
    public var parameters: [String: String]

    /// Creates an argument set.
    public init(tensors: [String: Tensor], parameters: [String: String] = [:]) {
        self.tensors = tensors
        self.parameters = parameters
    }

    /// The tensor `name`, or an `OpError.missingTensor`.
    public func tensor(_ name: String, op: String) throws -> Tensor {
        guard let t = tensors[name] else { throw OpError.missingTensor(op: op, name: name) }
        return t
    }

    /// An integer parameter.
    public func int(_ name: String, default value: Int, op: String) throws -> Int {
        guard let text = parameters[name] else { return value }
        guard let v = Int(text.trimming(" ()[]")) else { throw OpError.badParameter(op: op, name: name, value: text, expected: "an integer") }
        return v
    }

    /// A list of integers (`"2"` expands to `count` copies; `"1,2,2"` or `"(1, 2, 2)"` is taken as is).
    public func ints(_ name: String, count: Int, default value: [Int], op: String) throws -> [Int] {
        guard let text = parameters[name] else { return value }
        let parts = text.trimming(" ()[]").split(separator: ",").map { String($0).trimming(" ") }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, !numbers.isEmpty else {
            throw OpError.badParameter(op: op, name: name, value: text, expected: "an integer or \(count) comma-separated integers")
        }
        if numbers.count == 1 { return Array(repeating: numbers[0], count: count) }
        guard numbers.count == count else {
            throw OpError.badParameter(op: op, name: name, value: text, expected: "\(count) integers")
        }
        return numbers
    }

    /// A float parameter.
    public func float(_ name: String, default value: Float, op: String) throws -> Float {
        guard let text = parameters[name] else { return value }
        guard let v = Float(text.trimming(" ")) else { throw OpError.badParameter(op: op, name: name, value: text, expected: "a number") }
        return v
    }

    /// A boolean parameter (`true/false/1/0`).
    public func bool(_ name: String, default value: Bool, op: String) throws -> Bool {
        guard let text = parameters[name]?.lowercased() else { return value }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw OpError.badParameter(op: op, name: name, value: text, expected: "true or false")
        }
    }

    /// A parameter that must be one of `choices`.
    public func choice(_ name: String, _ choices: [String], default value: String, op: String) throws -> String {
        guard let text = parameters[name] else { return value }
        guard choices.contains(text) else {
            throw OpError.badParameter(op: op, name: name, value: text, expected: "one of " + choices.joined(separator: ", "))
        }
        return text
    }
}

extension String {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

/// Errors from calling an op by name (the `portrait op` command and golden fixtures).
public enum OpError: Error, CustomStringConvertible, Sendable {
    /// No op has this name.
    case unknownOp(String, known: [String])
    /// A required tensor is missing.
    case missingTensor(op: String, name: String)
    /// A parameter could not be parsed.
    case badParameter(op: String, name: String, value: String, expected: String)
    /// A parameter or tensor name the op does not take.
    case unknownArgument(op: String, name: String, accepted: [String])

    public var description: String {
        switch self {
        case .unknownOp(let n, let known): return "unknown op '\(n)'; known ops: " + known.joined(separator: ", ")
        case .missingTensor(let op, let n): return "\(op) needs a tensor named '\(n)'"
        case .badParameter(let op, let n, let v, let e): return "\(op): parameter \(n)=\(v) is invalid: expected \(e)"
        case .unknownArgument(let op, let n, let a): return "\(op) takes no argument '\(n)'; it accepts: " + a.joined(separator: ", ")
        }
    }
}

/// Element-wise tolerance for comparing an op's two implementations (or against PyTorch):
/// pass when |a − b| ≤ absolute + relative·|b| everywhere.
public struct Tolerance: Sendable, CustomStringConvertible {
    /// Absolute part.
    public var absolute: Float
    /// Relative part.
    public var relative: Float
    /// Creates a tolerance.
    public init(absolute: Float, relative: Float) { self.absolute = absolute; self.relative = relative }
    /// For ops that are exact up to rounding order of a handful of terms.
    public static let tight = Tolerance(absolute: 1e-5, relative: 1e-5)
    /// For reductions over hundreds to thousands of terms (convolutions, norms).
    public static let reduction = Tolerance(absolute: 1e-4, relative: 1e-3)
    public var description: String { "abs \(absolute) + rel \(relative)" }
}

/// One op of the catalog: its name (the PyTorch function's), the tensors and parameters it
/// takes, how to run it, its cost, its tolerance and the shapes the parity suite and profiler use.
public struct OpDefinition: Sendable {
    /// The `torch.nn.functional` name (`conv3d`, `grid_sample`...).
    public let name: String
    /// Required tensor names.
    public let inputs: [String]
    /// Optional tensor names (`bias`).
    public let optionalInputs: [String]
    /// Accepted parameter names.
    public let parameters: [String]
    /// Agreement required between the CPU and OpenCL results, and against PyTorch.
    public let tolerance: Tolerance
    /// Runs the op.
    public let run: @Sendable (Engine, OpArguments) throws -> Tensor
    /// FLOPs and bytes for the given arguments.
    public let cost: @Sendable (OpArguments) -> KernelCost
    /// Test cases: odd shapes and scaled-down MegaPortraits shapes.
    public let cases: [OpCase]
    /// Full-size MegaPortraits shapes for `profile --ops` (may be empty).
    public let profileCases: [OpCase]
    /// The declaration behind a call, when the definition was made with `declare:` (nil for
    /// entries whose call runs several declarations, such as `add` with a scaled broadcast).
    public private(set) var declaration: (@Sendable (OpArguments) throws -> OpCall)? = nil

    /// Creates a definition.
    public init(name: String, inputs: [String], optionalInputs: [String] = [], parameters: [String] = [],
                tolerance: Tolerance, cases: [OpCase], profileCases: [OpCase] = [],
                cost: @escaping @Sendable (OpArguments) -> KernelCost,
                run: @escaping @Sendable (Engine, OpArguments) throws -> Tensor) {
        self.name = name; self.inputs = inputs; self.optionalInputs = optionalInputs
        self.parameters = parameters; self.tolerance = tolerance; self.run = run
        self.cost = cost; self.cases = cases; self.profileCases = profileCases
    }

    /// A definition run and costed by one declaration: `declare` turns the arguments into an
    /// `OpCall`, the op runs through `Engine.run` and its cost is the declaration's `cost`, so
    /// the catalog and the engine cannot count differently.
    public init(name: String, inputs: [String], optionalInputs: [String] = [], parameters: [String] = [],
                tolerance: Tolerance, cases: [OpCase], profileCases: [OpCase] = [],
                declare: @escaping @Sendable (OpArguments) throws -> OpCall) {
        self.init(name: name, inputs: inputs, optionalInputs: optionalInputs, parameters: parameters,
                  tolerance: tolerance, cases: cases, profileCases: profileCases,
                  cost: { a in (try? declare(a))?.op.cost ?? .zero },
                  run: { engine, a in
                      let call = try declare(a)
                      return try engine.run(call.op, call.inputs)
                  })
        declaration = declare
    }

    /// Checks names, then runs.
    public func call(_ engine: Engine, _ arguments: OpArguments) throws -> Tensor {
        for key in arguments.parameters.keys where !parameters.contains(key) {
            throw OpError.unknownArgument(op: name, name: key, accepted: parameters + inputs + optionalInputs)
        }
        for key in arguments.tensors.keys where !inputs.contains(key) && !optionalInputs.contains(key) {
            throw OpError.unknownArgument(op: name, name: key, accepted: inputs + optionalInputs + parameters)
        }
        for key in inputs where arguments.tensors[key] == nil { throw OpError.missingTensor(op: name, name: key) }
        return try run(engine, arguments)
    }
}

/// A reproducible input set for one op: tensor shapes with value ranges, and parameters.
public struct OpCase: Sendable {
    /// A short label, e.g. `odd 7x13x5` or `mp/4 96x16x64x64`.
    public let label: String
    /// Input tensor shapes and the uniform range their values are drawn from.
    public let tensors: [(name: String, shape: [Int], range: ClosedRange<Float>)]
    /// Parameters.
    public let parameters: [String: String]

    /// Creates a case.
    public init(_ label: String, tensors: [(name: String, shape: [Int], range: ClosedRange<Float>)], parameters: [String: String] = [:]) {
        self.label = label; self.tensors = tensors; self.parameters = parameters
    }

    /// The values of all the case's input tensors together.
    public var elementCount: Int { tensors.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// Seeded random host tensors for this case (seed mixes the case label so cases differ).
    public func arguments(seed: UInt64) -> OpArguments {
        var tensors: [String: Tensor] = [:]
        let labelHash = label.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        for (i, spec) in self.tensors.enumerated() {
            tensors[spec.name] = Tensor.random(spec.shape, seed: seed &+ labelHash &+ UInt64(i) &* 7919, range: spec.range)
        }
        return OpArguments(tensors: tensors, parameters: parameters)
    }
}
