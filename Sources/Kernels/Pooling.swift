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
        try run(AvgPoolStridedOp.avgPool2d(input, kernel: kernel))
    }

    /// `torch.nn.functional.avg_pool3d(input, kernel, stride=kernel)`: non-overlapping windows
    /// such as (2,1,1), (1,2,2), (2,2,2), no padding, floor mode. `kernel` is `[k]` or
    /// `[kd, kh, kw]`; input `[N, C, D, H, W]` or `[C, D, H, W]`.
    public func avgPool3d(_ input: Tensor, kernel: [Int]) throws -> Tensor {
        try run(AvgPoolStridedOp.avgPool3d(input, kernel: kernel))
    }

    /// `torch.nn.functional.max_pool2d(input, kernel, stride, padding)` (dilation 1, floor mode),
    /// e.g. the ResNet stem's 3×3 / 2 with padding 1. Padding acts as −∞; NaN propagates.
    public func maxPool2d(_ input: Tensor, kernel: Int, stride: Int, padding: Int) throws -> Tensor {
        try maxPool2d(input, kernel: [kernel, kernel], stride: [stride, stride], padding: [padding, padding])
    }

    /// `max_pool2d` with per-axis `[kh, kw]`, `[sh, sw]`, `[ph, pw]`.
    func maxPool2d(_ input: Tensor, kernel: [Int], stride: [Int], padding: [Int]) throws -> Tensor {
        try run(MaxPool2dOp.call(input, kernel: kernel, stride: stride, padding: padding))
    }

    /// `torch.nn.functional.adaptive_avg_pool2d(input, outputSize)`: output cell i averages
    /// input rows `floor(i·H/Ho) ..< ceil((i+1)·H/Ho)` (and likewise columns), so windows may
    /// overlap or differ in size when H is not a multiple of Ho. `[1, 1]` is global pooling.
    /// `outputSize` is `[s]` or `[Ho, Wo]`.
    public func adaptiveAvgPool2d(_ input: Tensor, outputSize: [Int]) throws -> Tensor {
        try run(AdaptiveAvgPool2dOp.call(input, outputSize: outputSize))
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
}
