import Runtime

/// `grouped_conv2d` (`conv2d` with `groups` dividing both channel counts). Inputs: input, weight, bias?.
struct GroupedConvolutionOp: EngineOp {
    let geometry: GroupedConvolutionGeometry
    let bias: Bool

    /// The checked call.
    static func call(_ input: Tensor, weight: Tensor, bias: Tensor?, groups: Int, stride: [Int], padding: [Int]) throws -> OpCall {
        let g = try GroupedConvolutionGeometry(input: input.shape, weight: weight.shape, bias: bias?.shape, groups: groups,
                                               stride: stride, padding: padding)
        return OpCall(GroupedConvolutionOp(geometry: g, bias: bias != nil), [input, weight] + [bias].compactMap { $0 })
    }

    var name: String { "grouped_conv2d" }
    var outputShape: [Int] { [geometry.batch, geometry.outputChannels, geometry.outputHeight, geometry.outputWidth] }
    var cost: KernelCost { geometry.cost(bias: bias) }
    var tolerance: Tolerance { .reduction }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        Engine.groupedConvolutionCPU(geometry, input: inputs[0], weight: inputs[1], bias: bias ? inputs[2] : nil)
    }

    /// One direct kernel: a work-item per output (x, y, n·Cout + o), global [Wo, Ho, N·Cout].
    func openCL(_ l: OpenCLLaunch) throws {
        let g = geometry
        let (input, weight, y) = (try l.input(0), try l.input(1), l.outputBuffer)
        let biasBuffer = bias ? try l.input(2) : weight
        let planes = g.batch * g.outputChannels
        try l.context.launch("grouped_conv2d", global: [g.outputWidth, g.outputHeight, planes],
                             local: Engine.poolLocal(g.outputWidth, g.outputHeight),
                             arguments: [.buffer(input), .buffer(weight), .buffer(biasBuffer), .buffer(y),
                                         .i(bias ? 1 : 0), .i(g.inputChannels), .i(g.outputChannels), .i(g.groups),
                                         .i(g.height), .i(g.width), .i(g.outputHeight), .i(g.outputWidth),
                                         .i(g.kernel[0]), .i(g.kernel[1]), .i(g.stride[0]), .i(g.stride[1]),
                                         .i(g.padding[0]), .i(g.padding[1]), .i(planes)],
                             cost: l.cost)
    }
}
