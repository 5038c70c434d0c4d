import Runtime

/// A validated pooling problem over the last two or three dims of the input: `planes`
/// independent `[D, H, W]` volumes (D = 1 for 2-D pooling) pooled to `[Do, Ho, Wo]`.
struct PoolShape {
    /// Batch × channels (every leading dim).
    let planes: Int
    /// Input extent `[D, H, W]`.
    let input: [Int]
    /// Output extent `[Do, Ho, Wo]`.
    let output: [Int]
    /// The output tensor shape (leading dims of the input + pooled dims).
    let outputShape: [Int]

    var inputCount: Int { planes * input.reduce(1, *) }
    var outputCount: Int { planes * output.reduce(1, *) }

    /// Splits `tensor` into leading planes and `dims` pooled dims (rank `dims + 1` or `dims + 2`).
    static func split(_ tensor: Tensor, dims: Int, op: String) throws -> (planes: Int, extent: [Int]) {
        guard tensor.rank == dims + 1 || tensor.rank == dims + 2 else {
            let layout = dims == 2 ? "[N, C, H, W] or [C, H, W]" : "[N, C, D, H, W] or [C, D, H, W]"
            throw RuntimeError.shapeMismatch("\(op): input must be \(layout), got \(tensor.shapeDescription)")
        }
        let extent = Array(tensor.shape.suffix(dims))
        return (tensor.shape.dropLast(dims).reduce(1, *), dims == 2 ? [1] + extent : extent)
    }

    init(_ tensor: Tensor, dims: Int, output: [Int], op: String) throws {
        let (planes, extent) = try Self.split(tensor, dims: dims, op: op)
        guard output.allSatisfy({ $0 > 0 }) else {
            throw RuntimeError.shapeMismatch("\(op): input \(tensor.shapeDescription) gives an empty output \(output.suffix(dims)); the input is smaller than the kernel")
        }
        self.planes = planes
        self.input = extent
        self.output = output
        outputShape = Array(tensor.shape.dropLast(dims)) + output.suffix(dims)
    }
}

extension Engine {
    /// `torch.nn.functional.avg_pool2d(input, kernel, stride=kernel)`: non-overlapping windows,
    /// no padding, trailing rows/columns that do not fill a window dropped (floor mode).
    /// `kernel` is `[k]` or `[kh, kw]`; input `[N, C, H, W]` or `[C, H, W]`.
    public func avgPool2d(_ input: Tensor, kernel: [Int]) throws -> Tensor {
        let k = try Self.poolKernel(kernel, dims: 2, op: "avg_pool2d")
        return try avgPoolStrided(input, dims: 2, kernel: [1] + k, op: "avg_pool2d")
    }

    /// `torch.nn.functional.avg_pool3d(input, kernel, stride=kernel)`: non-overlapping windows
    /// such as (2,1,1), (1,2,2), (2,2,2), no padding, floor mode. `kernel` is `[k]` or
    /// `[kd, kh, kw]`; input `[N, C, D, H, W]` or `[C, D, H, W]`.
    public func avgPool3d(_ input: Tensor, kernel: [Int]) throws -> Tensor {
        let k = try Self.poolKernel(kernel, dims: 3, op: "avg_pool3d")
        return try avgPoolStrided(input, dims: 3, kernel: k, op: "avg_pool3d")
    }

    /// `torch.nn.functional.max_pool2d(input, kernel, stride, padding)` (dilation 1, floor mode),
    /// e.g. the ResNet stem's 3×3 / 2 with padding 1. Padding acts as −∞; NaN propagates.
    public func maxPool2d(_ input: Tensor, kernel: Int, stride: Int, padding: Int) throws -> Tensor {
        try maxPool2d(input, kernel: [kernel, kernel], stride: [stride, stride], padding: [padding, padding])
    }

    /// `max_pool2d` with per-axis `[kh, kw]`, `[sh, sw]`, `[ph, pw]`.
    func maxPool2d(_ input: Tensor, kernel: [Int], stride: [Int], padding: [Int]) throws -> Tensor {
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
        let cost = KernelCost(flops: Double(shape.outputCount * kernel[0] * kernel[1]), bytes: Double(shape.inputCount + shape.outputCount) * 4)
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            return timedCPU("max_pool2d", cost: cost) {
                Tensor(shape: shape.outputShape, values: PoolingCPU.maxPool2d(x, shape, kernel: kernel, stride: stride, padding: padding))
            }
        case .opencl(let cl):
            let y = try deviceOutput(cl, shape.outputShape)
            let (H, W, Ho, Wo) = (shape.input[1], shape.input[2], shape.output[1], shape.output[2])
            try cl.launch("max_pool2d", global: [Wo, Ho, shape.planes], local: Self.poolLocal(Wo, Ho),
                          arguments: [.buffer(buffer(input)), .buffer(y.deviceBuffer!), .i(H), .i(W), .i(Ho), .i(Wo),
                                      .i(kernel[0]), .i(kernel[1]), .i(stride[0]), .i(stride[1]), .i(padding[0]), .i(padding[1]), .i(shape.planes)],
                          cost: cost)
            return y
        }
    }

    /// `torch.nn.functional.adaptive_avg_pool2d(input, outputSize)`: output cell i averages
    /// input rows `floor(i·H/Ho) ..< ceil((i+1)·H/Ho)` (and likewise columns), so windows may
    /// overlap or differ in size when H is not a multiple of Ho. `[1, 1]` is global pooling.
    /// `outputSize` is `[s]` or `[Ho, Wo]`.
    public func adaptiveAvgPool2d(_ input: Tensor, outputSize: [Int]) throws -> Tensor {
        guard outputSize.count == 1 || outputSize.count == 2, outputSize.allSatisfy({ $0 > 0 }) else {
            throw RuntimeError.shapeMismatch("adaptive_avg_pool2d: output size must be [s] or [Ho, Wo] with positive sizes, got \(outputSize)")
        }
        let size = outputSize.count == 1 ? [outputSize[0], outputSize[0]] : outputSize
        let shape = try PoolShape(input, dims: 2, output: [1] + size, op: "adaptive_avg_pool2d")
        let cost = KernelCost(flops: Double(shape.inputCount), bytes: Double(shape.inputCount + shape.outputCount) * 4)
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            return timedCPU("adaptive_avg_pool2d", cost: cost) {
                Tensor(shape: shape.outputShape, values: PoolingCPU.adaptiveAvgPool2d(x, shape))
            }
        case .opencl(let cl):
            let y = try deviceOutput(cl, shape.outputShape)
            let (H, W, Ho, Wo) = (shape.input[1], shape.input[2], shape.output[1], shape.output[2])
            try cl.launch("adaptive_avg_pool2d", global: [Wo, Ho, shape.planes], local: Self.poolLocal(Wo, Ho),
                          arguments: [.buffer(buffer(input)), .buffer(y.deviceBuffer!), .i(H), .i(W), .i(Ho), .i(Wo), .i(shape.planes)],
                          cost: cost)
            return y
        }
    }

    // MARK: - Shared

    /// A pooling kernel given as `[k]` (every axis) or one size per axis, all positive.
    static func poolKernel(_ kernel: [Int], dims: Int, op: String) throws -> [Int] {
        let k = kernel.count == 1 ? Array(repeating: kernel[0], count: dims) : kernel
        guard k.count == dims, k.allSatisfy({ $0 > 0 }) else {
            throw RuntimeError.shapeMismatch("\(op): kernel must be one size or \(dims) positive sizes, got \(kernel)")
        }
        return k
    }

    /// Work-group shape over `[Wo, Ho, planes]`: up to 64 along x (multiple of 8), the rest
    /// along y, about 256 work-items in all, so PoCL's per-group overhead stays small.
    static func poolLocal(_ wo: Int, _ ho: Int) -> [Int] {
        var x = 8
        while x < 64 && x < wo { x *= 2 }
        var y = 1
        while x * y < 256 && y < ho { y *= 2 }
        return [x, y, 1]
    }

    /// Average pooling with stride == kernel over `[kd, kh, kw]` (kd = 1 for 2-D).
    func avgPoolStrided(_ input: Tensor, dims: Int, kernel: [Int], op: String) throws -> Tensor {
        let (_, extent) = try PoolShape.split(input, dims: dims, op: op)
        let shape = try PoolShape(input, dims: dims, output: (0..<3).map { extent[$0] / kernel[$0] }, op: op)
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let cost = KernelCost(flops: Double(shape.outputCount * kernel.reduce(1, *)), bytes: Double(shape.inputCount + shape.outputCount) * 4)
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            return timedCPU(op, cost: cost) {
                Tensor(shape: shape.outputShape, values: PoolingCPU.avgPoolStrided(x, shape, kernel: kernel))
            }
        case .opencl(let cl):
            let y = try deviceOutput(cl, shape.outputShape)
            let (D, H, W) = (shape.input[0], shape.input[1], shape.input[2])
            let (Do, Ho, Wo) = (shape.output[0], shape.output[1], shape.output[2])
            let arguments: [KernelArgument] = [.buffer(try buffer(input)), .buffer(y.deviceBuffer!), .i(D), .i(H), .i(W), .i(Do), .i(Ho), .i(Wo),
                                               .i(kernel[0]), .i(kernel[1]), .i(kernel[2]), .i(shape.planes * Do)]
            if variants.averagePooling == .runsOf8 && kernel[2] <= 2 {
                // PoCL: explicit float8 runs of outputs per work-item (it does not vectorise across work-items here).
                try cl.launch("avg_pool_strided_x8", global: [(Wo + 7) / 8, Ho, shape.planes * Do], local: [1, Ho >= 8 ? 8 : 1, 1],
                              arguments: arguments, cost: cost)
            } else {
                try cl.launch("avg_pool_strided", global: [Wo, Ho, shape.planes * Do], local: Self.poolLocal(Wo, Ho),
                              arguments: arguments, cost: cost)
            }
            return y
        }
    }
}
