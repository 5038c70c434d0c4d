import Kernels
import Runtime

/// A 2-D or 3-D convolution (`F.conv2d` / `F.conv3d`, groups 1), "same" padding by default.
public struct Conv {
    /// Weight parameter name.
    public let weight: String
    /// Bias parameter name, if any.
    public let bias: String?
    /// Spatial dimensions (2 or 3), channels in/out, kernel size and stride.
    public let dims: Int, cin: Int, cout: Int, kernel: Int, stride: Int
    /// Zero padding on each side.
    public let padding: Int

    /// Declares `prefix.weight` `[cout, cin, k, k(, k)]` (and `prefix.bias`) in `c`. Padding
    /// defaults to "same" (`kernel / 2`).
    public init(_ c: ParameterCollector, _ prefix: String, dims: Int, _ cin: Int, _ cout: Int, kernel: Int,
                stride: Int = 1, padding: Int? = nil, bias: Bool, gain: Double = 3, scale: Double = 1) {
        self.dims = dims; self.cin = cin; self.cout = cout; self.kernel = kernel; self.stride = stride
        self.padding = padding ?? kernel / 2
        weight = c.declare(prefix + ".weight", [cout, cin] + Array(repeating: kernel, count: dims), .fanIn(gain: gain, scale: scale))
        self.bias = bias ? c.declare(prefix + ".bias", [cout], .uniform(bound: 0.05 * scale)) : nil
    }

    /// The convolution of `x` `[N, cin, spatial...]` (FLOPs counted in `f`), followed by
    /// `activation` in the same kernel where the backend fuses it (`Engine.conv2d`).
    public func callAsFunction(_ f: Forward, _ x: Tensor, activation: Activation? = nil, negativeSlope: Float = 0.01) throws -> Tensor {
        let w = try f.parameter(weight)
        let b = try bias.map { try f.parameter($0) }
        let y = dims == 2
            ? try f.engine.conv2d(x, weight: w, bias: b, stride: stride, padding: padding, activation: activation, negativeSlope: negativeSlope)
            : try f.engine.conv3d(x, weight: w, bias: b, stride: stride, padding: padding, activation: activation, negativeSlope: negativeSlope)
        try f.count(flops(outputs: y.count))
        return y
    }

    /// Kernel taps per output value (k², k³).
    public var taps: Int { dims == 2 ? kernel * kernel : kernel * kernel * kernel }

    /// Output extent along one axis of input extent `n`.
    public func output(_ n: Int) -> Int { (n + 2 * padding - kernel) / stride + 1 }

    /// FLOPs (2 × multiply-accumulates, bias not counted, as flops.py) for `outputs` output values.
    public func flops(outputs: Int) -> Double { FlopCount.multiplyAccumulate(reduction: cin * taps, outputs: outputs) }

    /// FLOPs for an output of `points` spatial positions (per sample).
    public func flops(points: Int) -> Double { flops(outputs: points * cout) }
}

/// `nn.Linear` (`Engine.linear`).
public struct Linear {
    /// Weight parameter name.
    public let weight: String
    /// Bias parameter name, if any.
    public let bias: String?
    /// Input and output features.
    public let inputs: Int, outputs: Int

    /// Declares `prefix.weight` `[outputs, inputs]` (and `prefix.bias`) in `c`.
    public init(_ c: ParameterCollector, _ prefix: String, _ inputs: Int, _ outputs: Int, bias: Bool,
                initializer: ParameterInit = .fanIn(gain: 3, scale: 1), biasInitializer: ParameterInit = .uniform(bound: 0.05)) {
        self.inputs = inputs; self.outputs = outputs
        weight = c.declare(prefix + ".weight", [outputs, inputs], initializer)
        self.bias = bias ? c.declare(prefix + ".bias", [outputs], biasInitializer) : nil
    }

    /// `x` `[N, inputs]` → `[N, outputs]`.
    public func callAsFunction(_ f: Forward, _ x: Tensor) throws -> Tensor {
        let y = try f.engine.linear(x, weight: f.parameter(weight), bias: bias.map { try f.parameter($0) })
        try f.count(flops * Double(x.shape[0]))
        return y
    }

    public var flops: Double { FlopCount.multiplyAccumulate(reduction: inputs, outputs: outputs) }
}

