import Runtime

/// `depthwise_conv2d` (groups = C, one filter per channel). Inputs: input, weight, bias?.
struct DepthwiseConvolutionOp: EngineOp {
    let geometry: DepthwiseGeometry
    let bias: Bool

    /// The checked call.
    static func call(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: [Int], padding: [Int]) throws -> OpCall {
        let g = try DepthwiseGeometry(input: input.shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding)
        return OpCall(DepthwiseConvolutionOp(geometry: g, bias: bias != nil), [input, weight] + [bias].compactMap { $0 })
    }

    var name: String { "depthwise_conv2d" }
    var outputShape: [Int] { [geometry.batch, geometry.channels, geometry.outputHeight, geometry.outputWidth] }
    var cost: KernelCost { geometry.cost(bias: bias) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        Engine.depthwiseConv2dCPU(geometry, input: inputs[0], weight: inputs[1], bias: bias ? inputs[2] : nil)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let g = geometry
        let (input, weight, y) = (try l.input(0), try l.input(1), l.outputBuffer)
        let biasBuffer = bias ? try l.input(2) : weight
        // 3×3 p1 (YuNet) and 7×7 p3 (ConvNeXt), stride 1: 8 outputs of 4 rows per work-item
        // (the kernels' DEPTHWISE_ROWS).
        let same: String? = g.stride != [1, 1] ? nil : g.kernel == [3, 3] && g.padding == [1, 1] ? "depthwise_conv2d_3x3"
            : g.kernel == [7, 7] && g.padding == [3, 3] ? "depthwise_conv2d_7x7" : nil
        if let same {
            let columns = (g.width + 7) / 8
            let rowGroups = (g.height + 3) / 4
            try l.context.launch(same, global: [columns, rowGroups, g.batch * g.channels],
                                 local: Engine.poolLocal(columns, rowGroups),
                                 arguments: [.buffer(input), .buffer(weight), .buffer(biasBuffer), .buffer(y),
                                             .i(bias ? 1 : 0), .i(g.channels), .i(g.height), .i(g.width), .i(g.batch * g.channels)],
                                 cost: l.cost)
            return
        }
        try l.context.launch("depthwise_conv2d", global: [g.outputWidth, g.outputHeight, g.batch * g.channels],
                             local: Engine.poolLocal(g.outputWidth, g.outputHeight),
                             arguments: [.buffer(input), .buffer(weight), .buffer(biasBuffer), .buffer(y),
                                         .i(bias ? 1 : 0), .i(g.channels), .i(g.height), .i(g.width),
                                         .i(g.outputHeight), .i(g.outputWidth), .i(g.kernel[0]), .i(g.kernel[1]),
                                         .i(g.stride[0]), .i(g.stride[1]), .i(g.padding[0]), .i(g.padding[1]), .i(g.batch * g.channels)],
                             cost: l.cost)
    }
}
