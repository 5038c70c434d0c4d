import Foundation
import Runtime

/// An activation applied to a convolution's output in the convolution's own epilogue
/// (`conv2d(…, activation:)`): on OpenCL the direct tile kernels, the Winograd F(4×4, 3×3) output
/// transform and `conv_igemm` store act(sum + bias), selected at build time by `-DCONV_ACT` /
/// `-DCONV_SLOPE` (one program per activation); so do the Winograd F(2×2, 3×3) and
/// F(2×2×2, 3×3×3) output transforms. The CPU applies `Activation.apply`
/// after the convolution. Results equal `activation(conv2d(…))` up to the transcendental
/// functions' ulps (vector `exp`/`erf`/`tanh` on OpenCL).
struct FusedActivation: Sendable, Equatable {
    let kind: Activation
    /// leaky_relu's slope (ignored by the other kinds).
    let negativeSlope: Float

    /// nil for no activation.
    init?(_ kind: Activation?, negativeSlope: Float) {
        guard let kind else { return nil }
        self.kind = kind
        self.negativeSlope = kind == .leakyReLU ? negativeSlope : 0
        buildOptions = "-DCONV_ACT=\(kind.rawValue) -DCONV_SLOPE=" + String(format: "%.9e", Double(self.negativeSlope)) + "f"
    }

    /// The convolution kernels' `-D` options (`%.9e` prints the slope so that it reads back as the
    /// same float), formatted once here rather than at every launch.
    let buildOptions: String

    /// FLOPs per output element, as the standalone op counts them.
    var flopsPerElement: Double { ActivationOp.flopsPerElement(kind) }

    /// The activation of every value (the CPU epilogue).
    func apply(_ values: [Float]) -> [Float] { values.map { kind.apply($0, slope: negativeSlope) } }
}
