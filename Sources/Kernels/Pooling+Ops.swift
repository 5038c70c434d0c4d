import Runtime

/// `max_pool2d` with per-axis kernel, stride and padding (padding acts as −∞).
struct MaxPool2dOp: EngineOp {
    let shape: PoolShape
    let kernel: [Int], stride: [Int], padding: [Int]

    /// The checked call for `input`.
    static func call(_ input: Tensor, kernel: [Int], stride: [Int], padding: [Int]) throws -> OpCall {
        guard kernel.count == 2, stride.count == 2, padding.count == 2, kernel.allSatisfy({ $0 > 0 }), stride.allSatisfy({ $0 > 0 }),
              padding.allSatisfy({ $0 >= 0 }) else {
            throw RuntimeError.shapeMismatch("max_pool2d: kernel \(kernel) and stride \(stride) must be positive and padding \(padding) non-negative")
        }
        guard padding[0] * 2 <= kernel[0], padding[1] * 2 <= kernel[1] else {
            throw RuntimeError.shapeMismatch("max_pool2d: padding \(padding) must be at most half the kernel \(kernel)")
        }
        let (_, extent) = try PoolShape.split(input, dims: 2, op: "max_pool2d")
        let outH: Int = (extent[1] + 2 * padding[0] - kernel[0]) / stride[0] + 1
        let outW: Int = (extent[2] + 2 * padding[1] - kernel[1]) / stride[1] + 1
        let shape = try PoolShape(input, dims: 2, output: [1, outH, outW], op: "max_pool2d")
        return OpCall(MaxPool2dOp(shape: shape, kernel: kernel, stride: stride, padding: padding), [input])
    }

    var name: String { "max_pool2d" }
    var outputShape: [Int] { shape.outputShape }
    var cost: KernelCost { KernelCost(flops: Double(shape.outputCount * kernel[0] * kernel[1]), bytes: Double(shape.inputCount + shape.outputCount) * 4) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        PoolingCPU.maxPool2d(inputs[0], shape, kernel: kernel, stride: stride, padding: padding)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (H, W, Ho, Wo) = (shape.input[1], shape.input[2], shape.output[1], shape.output[2])
        try l.context.launch("max_pool2d", global: [Wo, Ho, shape.planes], local: Engine.poolLocal(Wo, Ho),
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(H), .i(W), .i(Ho), .i(Wo),
                                         .i(kernel[0]), .i(kernel[1]), .i(stride[0]), .i(stride[1]), .i(padding[0]), .i(padding[1]), .i(shape.planes)],
                             cost: l.cost)
    }
}

/// `adaptive_avg_pool2d` to `[Ho, Wo]` (windows from ⌊i·H/Ho⌋ to ⌈(i+1)·H/Ho⌉).
struct AdaptiveAvgPool2dOp: EngineOp {
    let shape: PoolShape

    /// The checked call for `input` (`outputSize` `[s]` or `[Ho, Wo]`).
    static func call(_ input: Tensor, outputSize: [Int]) throws -> OpCall {
        guard outputSize.count == 1 || outputSize.count == 2, outputSize.allSatisfy({ $0 > 0 }) else {
            throw RuntimeError.shapeMismatch("adaptive_avg_pool2d: output size must be [s] or [Ho, Wo] with positive sizes, got \(outputSize)")
        }
        let size = outputSize.count == 1 ? [outputSize[0], outputSize[0]] : outputSize
        return OpCall(AdaptiveAvgPool2dOp(shape: try PoolShape(input, dims: 2, output: [1] + size, op: "adaptive_avg_pool2d")), [input])
    }

    var name: String { "adaptive_avg_pool2d" }
    var outputShape: [Int] { shape.outputShape }
    var cost: KernelCost { KernelCost(flops: Double(shape.inputCount), bytes: Double(shape.inputCount + shape.outputCount) * 4) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] { PoolingCPU.adaptiveAvgPool2d(inputs[0], shape) }

    func openCL(_ l: OpenCLLaunch) throws {
        let (H, W, Ho, Wo) = (shape.input[1], shape.input[2], shape.output[1], shape.output[2])
        try l.context.launch("adaptive_avg_pool2d", global: [Wo, Ho, shape.planes], local: Engine.poolLocal(Wo, Ho),
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(H), .i(W), .i(Ho), .i(Wo), .i(shape.planes)],
                             cost: l.cost)
    }
}

/// `avg_pool2d` / `avg_pool3d` with stride == kernel over `[kd, kh, kw]` (kd = 1 for 2-D).
struct AvgPoolStridedOp: EngineOp {
    let shape: PoolShape
    let kernel: [Int]
    let name: String

    /// `avg_pool2d` of `input` with `kernel` `[k]` or `[kh, kw]`.
    static func avgPool2d(_ input: Tensor, kernel: [Int]) throws -> OpCall {
        try call(input, dims: 2, kernel: [1] + Engine.poolKernel(kernel, dims: 2, op: "avg_pool2d"), op: "avg_pool2d")
    }

    /// `avg_pool3d` of `input` with `kernel` `[k]` or `[kd, kh, kw]`.
    static func avgPool3d(_ input: Tensor, kernel: [Int]) throws -> OpCall {
        try call(input, dims: 3, kernel: Engine.poolKernel(kernel, dims: 3, op: "avg_pool3d"), op: "avg_pool3d")
    }

    /// The checked call for `input` pooled over its last `dims` axes by the 3-axis `kernel`.
    static func call(_ input: Tensor, dims: Int, kernel: [Int], op: String) throws -> OpCall {
        let (_, extent) = try PoolShape.split(input, dims: dims, op: op)
        let shape = try PoolShape(input, dims: dims, output: (0..<3).map { extent[$0] / kernel[$0] }, op: op)
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        return OpCall(AvgPoolStridedOp(shape: shape, kernel: kernel, name: op), [input])
    }

    var outputShape: [Int] { shape.outputShape }
    var cost: KernelCost { KernelCost(flops: Double(shape.outputCount * kernel.reduce(1, *)), bytes: Double(shape.inputCount + shape.outputCount) * 4) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] { PoolingCPU.avgPoolStrided(inputs[0], shape, kernel: kernel) }

    func openCL(_ l: OpenCLLaunch) throws {
        let (D, H, W) = (shape.input[0], shape.input[1], shape.input[2])
        let (Do, Ho, Wo) = (shape.output[0], shape.output[1], shape.output[2])
        let arguments: [KernelArgument] = [.buffer(try l.input(0)), .buffer(l.outputBuffer), .i(D), .i(H), .i(W), .i(Do), .i(Ho), .i(Wo),
                                           .i(kernel[0]), .i(kernel[1]), .i(kernel[2]), .i(shape.planes * Do)]
        if l.variants.averagePooling == .runsOf8 && kernel[2] <= 2 {
            // PoCL: explicit float8 runs of outputs per work-item (it does not vectorise across work-items here).
            try l.context.launch("avg_pool_strided_x8", global: [(Wo + 7) / 8, Ho, shape.planes * Do], local: [1, Ho >= 8 ? 8 : 1, 1],
                                 arguments: arguments, cost: l.cost)
        } else {
            try l.context.launch("avg_pool_strided", global: [Wo, Ho, shape.planes * Do], local: Engine.poolLocal(Wo, Ho),
                                 arguments: arguments, cost: l.cost)
        }
    }
}
