import Runtime

/// One op, declared once: its name, result shape, cost, tolerance, CPU reference and OpenCL
/// launch. A declaration is a value made from the call's shapes and parameters; making it checks
/// the shapes (a throwing initialiser), so `outputShape` and `cost` are plain properties.
///
/// `Engine.run(_:_:)` is the one place that picks the backend, records the cost for profiles and,
/// in validate mode, re-runs the CPU body on host copies of the inputs to check the OpenCL
/// result. The public `Engine` methods only build a declaration and call `run`; the catalog's
/// `OpDefinition`s take their cost and tolerance from the same declaration (see `OpCall`).
public protocol EngineOp {
    /// The name profiles and validation errors show (the `torch.nn.functional` name).
    var name: String { get }
    /// The shape of the result.
    var outputShape: [Int] { get }
    /// FLOPs and bytes of one call: the one formula profiles, `profile --ops` and the catalog use.
    var cost: KernelCost { get }
    /// Agreement required between the CPU and OpenCL results (parity suite and validate mode).
    var tolerance: Tolerance { get }
    /// The CPU reference: the host values of the inputs, in the order given to `Engine.run`, to
    /// the result's values (`outputShape`'s element count).
    func cpu(_ inputs: [[Float]]) -> [Float]
    /// The independent reference validate mode checks OpenCL results against: `cpu` itself,
    /// except where the CPU fallback takes a fast algorithm an OpenCL kernel also uses
    /// (convolutions: direct, never Winograd).
    func reference(_ inputs: [[Float]]) -> [Float]
    /// Enqueues the OpenCL kernel(s) that fill `launch.output`, without waiting.
    func openCL(_ launch: OpenCLLaunch) throws
}

extension EngineOp {
    /// `cpu(inputs)`: the CPU body is its own reference unless an op says otherwise.
    public func reference(_ inputs: [[Float]]) -> [Float] { cpu(inputs) }
}

/// What an op's OpenCL body gets from `Engine.run`: the context, the inputs, a freshly allocated
/// output of the op's `outputShape`, the engine's variant table and the op's cost.
public struct OpenCLLaunch {
    /// The engine running the op (its variant table and helpers).
    public let engine: Engine
    /// The OpenCL context to enqueue on.
    public let context: OpenCLContext
    /// The inputs as given to `Engine.run` (host tensors are uploaded by `input(_:)`).
    public let inputs: [Tensor]
    /// The result tensor to fill (device memory, contents undefined).
    public let output: Tensor
    /// The op's cost, for the launch that does its work.
    public let cost: KernelCost

    /// The device buffer of input `index`, uploading a host tensor first.
    public func input(_ index: Int) throws -> DeviceBuffer { try engine.buffer(inputs[index]) }

    /// The device buffer of the output.
    public var outputBuffer: DeviceBuffer { output.deviceBuffer! }

    /// The engine's kernel variant table.
    public var variants: KernelVariants { engine.variants }
}

/// A catalog call resolved to one declaration and its inputs: what `OpDefinition(declare:)`
/// runs and takes its cost from.
public struct OpCall {
    /// The declaration.
    public let op: any EngineOp
    /// Its inputs, in the declaration's order.
    public let inputs: [Tensor]

    /// Creates a call.
    public init(_ op: any EngineOp, _ inputs: [Tensor]) {
        self.op = op
        self.inputs = inputs
    }
}
