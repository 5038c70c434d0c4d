/// FLOPs of one network stage, counted analytically from the config: 2 × the multiply-accumulates
/// of its convolutions and linear layers (bias, norms, activations, resampling and grid sampling
/// excluded), the convention of `reference/model/flops.py`.
public struct StageFlops: Sendable, Equatable {
    /// Profiling stage name, as labelled by the network (`avatar/g3d`, `frame/g2d`, ...).
    public let stage: String
    /// Whether it runs once per avatar or on every frame.
    public let perFrame: Bool
    /// Floating-point operations.
    public let flops: Double

    /// A stage's FLOPs.
    public init(stage: String, perFrame: Bool, flops: Double) {
        self.stage = stage
        self.perFrame = perFrame
        self.flops = flops
    }
}
