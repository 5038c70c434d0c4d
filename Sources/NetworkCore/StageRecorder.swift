import Kernels
import Runtime

/// Collects the named stage outputs of a network's passes (MegaPortraits' `makeAvatar` and
/// `renderFrame`, LivePortrait's...) as host tensors, under the same names as the PyTorch
/// fixtures (`source.pose`, `es`, `volume.canonical`, `image`, ...), so tests and `portrait
/// compare` can compare two runs stage by stage. Recording downloads each tensor (a
/// device synchronisation), so attach a recorder only when comparing.
public final class StageRecorder: @unchecked Sendable {
    /// Recorded outputs by name (host tensors).
    public private(set) var outputs: [String: Tensor] = [:]
    /// Names in the order they were recorded.
    public private(set) var order: [String] = []
    private let only: Set<String>?
    private let onRecord: ((String, Tensor) -> Void)?
    private let onFlops: ((String, Double) throws -> Void)?

    /// A recorder keeping every output, or only those named in `only` (an empty set records
    /// nothing and downloads nothing: a pure progress hook); `onRecord` is also called with each
    /// recorded (host) tensor, `onFlops` with the stage and FLOPs of each convolution or linear
    /// layer just enqueued (progress reporting; what it throws stops the pass, e.g. on Ctrl-C).
    public init(only: Set<String>? = nil, onRecord: ((String, Tensor) -> Void)? = nil,
                onFlops: ((String, Double) throws -> Void)? = nil) {
        self.only = only
        self.onRecord = onRecord
        self.onFlops = onFlops
    }

    /// The recorded output `name`, or nil.
    public subscript(name: String) -> Tensor? { outputs[name] }

    /// Records `tensor` (downloaded with `engine`) as `name`, unless filtered out.
    public func record(name: String, tensor: Tensor, engine: Engine) throws {
        if let only, !only.contains(name) { return }
        let host = try engine.host(tensor)
        if outputs[name] == nil { order.append(name) }
        outputs[name] = host
        onRecord?(name, host)
    }

    /// FLOPs (2 × multiply-accumulates) of the convolutions and linear layers actually run, by
    /// stage (`avatar/g3d`, `frame/g2d`, ...); comparable with the network's analytic FLOP table.
    public private(set) var countedFlops: [String: Double] = [:]

    /// Adds `flops` to `stage`'s count and tells `onFlops`.
    func addFlops(_ flops: Double, stage: String) throws {
        countedFlops[stage, default: 0] += flops
        try onFlops?(stage, flops)
    }

    /// Forgets everything recorded.
    public func removeAll() {
        outputs.removeAll()
        order.removeAll()
        countedFlops.removeAll()
    }
}
