import Kernels
import Runtime

/// The group count and epsilon of a network's GroupNorm layers.
public struct GroupNormSettings: Sendable, Equatable {
    /// Channel groups (`num_groups`).
    public let groups: Int
    /// Added to the variance.
    public let eps: Float

    /// Settings for `nn.GroupNorm(groups, C, eps)`.
    public init(groups: Int, eps: Float) {
        self.groups = groups
        self.eps = eps
    }
}

/// `nn.GroupNorm(groups, channels, eps)` with affine weight and bias (`prefix.weight`, `prefix.bias`).
public struct GroupNorm {
    /// Parameter names.
    public let weight: String, bias: String
    /// Channels normalised.
    public let channels: Int
    /// Groups and epsilon.
    public let settings: GroupNormSettings

    /// Declares the affine parameters in `c` (random init: scale 1 ± 0.1, shift ± 0.1).
    public init(_ c: ParameterCollector, _ prefix: String, _ channels: Int, _ settings: GroupNormSettings) {
        self.channels = channels
        self.settings = settings
        weight = c.declare(prefix + ".weight", [channels], .onePlusUniform(bound: 0.1))
        bias = c.declare(prefix + ".bias", [channels], .uniform(bound: 0.1))
    }

    /// The normalised `x`, followed by ReLU in the same pass when `relu`.
    public func callAsFunction(_ f: Forward, _ x: Tensor, relu: Bool = false) throws -> Tensor {
        try f.engine.groupNorm(x, groups: settings.groups, weight: f.parameter(weight), bias: f.parameter(bias), eps: settings.eps,
                               relu: relu)
    }
}
