import Kernels
import Runtime

/// How a parameter is drawn by `Weights.random(specs:seed:configName:)` (each network's own
/// initialisation in spirit: the same distributions, not PyTorch's random stream).
public enum ParameterInit: Sendable, Equatable {
    /// Uniform in ±scale·sqrt(gain / fanIn), fanIn = elements per output row (conv/linear weights).
    case fanIn(gain: Double, scale: Double)
    /// Uniform in ±bound.
    case uniform(bound: Double)
    /// 1 + uniform in ±bound (norm scales).
    case onePlusUniform(bound: Double)
    /// Standard normal (G3D's learned constant).
    case normal
    /// Fixed values (the pose head's bias: a near-identity pose).
    case constant([Float])
}

/// One parameter the network expects: its weight-format name (docs/weights.md), shape and
/// random initialisation.
public struct ParameterSpec: Sendable, Equatable {
    /// Weight-format name, e.g. `g2d.blocks.0.conv1.weight`.
    public let name: String
    /// Expected shape (PyTorch layout).
    public let shape: [Int]
    /// How `Weights.random` draws it.
    public let initializer: ParameterInit
    /// Number of values.
    public var count: Int { shape.reduce(1, *) }
}

/// A tensor a network derives from loaded parameters when they are uploaded (e.g. a folded
/// projector): its name, the parameters it reads, and how it is made from their host tensors.
public struct DerivedParameter: @unchecked Sendable {
    /// The derived tensor's name (not in weight files).
    public let name: String
    /// The parameters it is computed from, in the order `make` receives them.
    public let sources: [String]
    /// Computes it from the sources' host tensors.
    public let make: @Sendable ([Tensor]) -> Tensor
}

/// Collects parameter specs while a network layout is built from its config.
public final class ParameterCollector {
    /// The parameters declared so far, in declaration order.
    public private(set) var specs: [ParameterSpec] = []
    /// Tensors the network derives from loaded parameters at upload time.
    public private(set) var derived: [DerivedParameter] = []
    /// Constant tensors built from the config (not stored in weight files).
    public private(set) var constants: [String: Tensor] = [:]

    /// An empty collector.
    public init() {}

    /// Declares a tensor `name` computed from parameters `sources` (their host tensors, in order)
    /// when the weights are uploaded.
    public func derive(_ name: String, from sources: [String], _ make: @escaping @Sendable ([Tensor]) -> Tensor) {
        derived.append(DerivedParameter(name: name, sources: sources, make: make))
    }

    /// Declares a constant tensor (uploaded with the weights).
    public func constant(_ name: String, _ tensor: Tensor) { constants[name] = tensor }

    /// Declares `name` and returns it.
    @discardableResult
    public func declare(_ name: String, _ shape: [Int], _ initializer: ParameterInit) -> String {
        specs.append(ParameterSpec(name: name, shape: shape, initializer: initializer))
        return name
    }

    /// Uploads what was declared: every spec's tensor from `weights` (already validated against
    /// `specs`), then the derived tensors and the constants, all resident on `engine`.
    public func upload(_ weights: Weights, to engine: Engine) throws -> [String: Tensor] {
        var parameters: [String: Tensor] = [:]
        for spec in specs {
            guard let t = weights.tensors[spec.name] else { throw NetworkError.missingParameter(spec.name) }
            parameters[spec.name] = try engine.resident(t)
        }
        for d in derived {
            let sources = try d.sources.map { name in
                guard let t = weights.tensors[name] else { throw NetworkError.missingParameter(name) }
                return try engine.host(t)
            }
            parameters[d.name] = try engine.resident(d.make(sources))
        }
        for (name, t) in constants { parameters[name] = try engine.resident(t) }
        return parameters
    }
}

/// An internal inconsistency between a network's layout and its resident parameters (a bug,
/// reported as a typed error rather than a crash).
public enum NetworkError: Error, CustomStringConvertible, Sendable {
    /// A parameter the layout declared was not loaded.
    case missingParameter(String)

    /// What went wrong.
    public var description: String {
        switch self {
        case .missingParameter(let name): return "internal error: parameter '\(name)' was not loaded (please report this)"
        }
    }
}

/// What a stage computation needs: the engine, the resident parameters, and optional hooks that
/// record named stage outputs and count the FLOPs of the convolutions actually run. Networks
/// subclass it to carry their config.
open class Forward {
    /// Where every op runs.
    public let engine: Engine
    private let parameters: [String: Tensor]
    /// Receives named stage outputs (fixture names), or nil.
    public let recorder: StageRecorder?
    private var stageName = ""

    /// A forward pass over `parameters` (resident on `engine`).
    public init(engine: Engine, parameters: [String: Tensor], recorder: StageRecorder?) {
        self.engine = engine
        self.parameters = parameters
        self.recorder = recorder
    }

    /// The resident parameter `name` (the layout and the weights were checked against each other,
    /// so a miss is an internal inconsistency, reported as a typed error).
    public func parameter(_ name: String) throws -> Tensor {
        guard let t = parameters[name] else { throw NetworkError.missingParameter(name) }
        return t
    }

    /// Runs `body` as the profiling stage `name` (timings and FLOP counts are labelled with it).
    public func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let saved = stageName
        stageName = saved.isEmpty ? name : saved + "/" + name
        defer { stageName = saved }
        if let profiler = engine.profiler { return try profiler.withStage(name, body) }
        return try body()
    }

    /// Records `tensor` under the fixture name `name` when a recorder is attached.
    public func record(_ name: String, _ tensor: Tensor) throws {
        guard let recorder else { return }
        try recorder.record(name: name, tensor: tensor, engine: engine)
    }

    /// Adds `flops` (convs and linears run) to the current stage's count in the recorder (whose
    /// progress hook may throw to stop the pass).
    public func count(_ flops: Double) throws { try recorder?.addFlops(flops, stage: stageName) }
}
