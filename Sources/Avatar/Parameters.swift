import Kernels
import Runtime

/// How a parameter is drawn by `Weights.random(config:seed:)`, in the spirit of
/// `reference/model/init.py` (the same distributions, not PyTorch's random stream).
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

/// Collects parameter specs while the network layout is built from a config.
final class ParameterCollector {
    private(set) var specs: [ParameterSpec] = []
    /// Tensors the network derives from loaded parameters at upload time (name → (sources, make);
    /// `make` receives the sources' host tensors in order).
    private(set) var derived: [(name: String, sources: [String], make: @Sendable ([Tensor]) -> Tensor)] = []
    /// Constant tensors built from the config (not stored in weight files).
    private(set) var constants: [String: Tensor] = [:]

    /// Declares a tensor `name` computed from parameters `sources` (their host tensors, in order)
    /// when the weights are uploaded.
    func derive(_ name: String, from sources: [String], _ make: @escaping @Sendable ([Tensor]) -> Tensor) {
        derived.append((name, sources, make))
    }

    /// Declares a constant tensor (uploaded with the weights).
    func constant(_ name: String, _ tensor: Tensor) { constants[name] = tensor }

    /// Declares `name` and returns it.
    @discardableResult
    func declare(_ name: String, _ shape: [Int], _ initializer: ParameterInit) -> String {
        specs.append(ParameterSpec(name: name, shape: shape, initializer: initializer))
        return name
    }
}

/// What a stage computation needs: the engine, the resident parameters, and optional hooks that
/// record named stage outputs and count the FLOPs of the convolutions actually run.
final class Forward {
    let engine: Engine
    let config: ModelConfig
    private let parameters: [String: Tensor]
    /// Receives named stage outputs (fixture names), or nil.
    let recorder: StageRecorder?
    private var stageName = ""

    init(engine: Engine, config: ModelConfig, parameters: [String: Tensor], recorder: StageRecorder?) {
        self.engine = engine
        self.config = config
        self.parameters = parameters
        self.recorder = recorder
    }

    /// The resident parameter `name` (the layout and the weights were checked against each other,
    /// so a miss is an internal inconsistency, reported as a typed error).
    func parameter(_ name: String) throws -> Tensor {
        guard let t = parameters[name] else { throw AvatarError.internalInconsistency("parameter '\(name)' was not loaded") }
        return t
    }

    /// Runs `body` as the profiling stage `name` (timings and FLOP counts are labelled with it).
    func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let saved = stageName
        stageName = saved.isEmpty ? name : saved + "/" + name
        defer { stageName = saved }
        if let profiler = engine.profiler { return try profiler.withStage(name, body) }
        return try body()
    }

    /// Records `tensor` under the fixture name `name` when a recorder is attached.
    func record(_ name: String, _ tensor: Tensor) throws {
        guard let recorder else { return }
        try recorder.record(name: name, tensor: tensor, engine: engine)
    }

    /// Adds `flops` (convs and linears run) to the current stage's count in the recorder.
    func count(_ flops: Double) { recorder?.addFlops(flops, stage: stageName) }
}
