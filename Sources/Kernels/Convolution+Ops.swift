import Runtime

/// `conv2d` / `conv3d` of a batched input (groups 1, dilation 1). Inputs: input, weight, bias?.
struct ConvolutionOp: EngineOp {
    let geometry: ConvolutionGeometry
    let name: String
    let rank: Int
    let bias: Bool
    /// Whether the CPU body takes Winograd F(4×4, 3×3) where it applies (the calling engine's
    /// `conv.algorithm` is `winograd4`), else im2col + GEMM.
    var winogradCPU = false
    /// The activation applied to the output (in the OpenCL kernels' epilogue), or nil.
    var activation: FusedActivation? = nil

    /// The checked call for a batched `input` (`[N, Cin, (D,) H, W]`).
    static func call(_ op: String, _ input: Tensor, weight: Tensor, bias: Tensor?, strides: [Int], paddings: [Int], rank: Int,
                     winogradCPU: Bool = false, activation: FusedActivation? = nil) throws -> OpCall {
        let g = try ConvolutionGeometry(op: op, input: input.shape, weight: weight.shape, bias: bias?.shape,
                                        stride: strides, padding: paddings, rank: rank)
        return OpCall(ConvolutionOp(geometry: g, name: op, rank: rank, bias: bias != nil, winogradCPU: winogradCPU, activation: activation),
                      [input, weight] + [bias].compactMap { $0 })
    }

    var outputShape: [Int] { [geometry.batch, geometry.outputChannels] + Array(geometry.output.suffix(rank)) }
    var cost: KernelCost {
        let c = geometry.cost(bias: bias)
        guard let activation else { return c }
        return KernelCost(flops: c.flops + activation.flopsPerElement * Double(geometry.batch * geometry.outputChannels * geometry.outputVoxels),
                          bytes: c.bytes)
    }
    var tolerance: Tolerance { .reduction }

    /// The convolution (Winograd or im2col + GEMM), then the activation over its output.
    func cpu(_ inputs: [[Float]]) -> [Float] {
        let sums = winogradCPU && Engine.winograd4Applies(geometry)
            ? Engine.convolutionWinograd4CPU(geometry, input: inputs[0], weight: inputs[1], bias: bias ? inputs[2] : nil)
            : Engine.convolutionCPU(geometry, input: inputs[0], weight: inputs[1], bias: bias ? inputs[2] : nil)
        return activation?.apply(sums) ?? sums
    }

    /// The direct convolution (im2col + GEMM) and the activation, whatever `winogradCPU` says:
    /// the OpenCL Winograd kernels are checked against arithmetic of another kind.
    func reference(_ inputs: [[Float]]) -> [Float] {
        let sums = Engine.convolutionCPU(geometry, input: inputs[0], weight: inputs[1], bias: bias ? inputs[2] : nil)
        return activation?.apply(sums) ?? sums
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.engine.convolutionOpenCL(l.context, geometry, input: l.inputs[0], weight: l.inputs[1], bias: bias ? l.inputs[2] : nil,
                                       activation: activation, cost: l.cost, output: l.output)
    }
}
