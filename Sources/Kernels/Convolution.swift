import Runtime

/// The geometry of one convolution call, checked against PyTorch's rules: input
/// `[N, Cin, D, H, W]`, weight `[Cout, Cin, kd, kh, kw]`, per-axis stride and zero padding
/// (depth, height, width); conv2d is the case D = kd = 1 with no depth padding. groups = 1,
/// dilation = 1.
public struct ConvolutionGeometry: Sendable, Equatable {
    /// Batch size.
    public var batch: Int
    /// Input channels.
    public var inputChannels: Int
    /// Output channels.
    public var outputChannels: Int
    /// Input extent (depth, height, width).
    public var input: [Int]
    /// Kernel extent (depth, height, width).
    public var kernel: [Int]
    /// Stride per axis (depth, height, width).
    public var stride: [Int]
    /// Zero padding per axis, added on both sides (depth, height, width).
    public var padding: [Int]

    /// Output extent per axis: ⌊(in + 2·pad − k) / stride⌋ + 1.
    public var output: [Int] { (0..<3).map { (input[$0] + 2 * padding[$0] - kernel[$0]) / stride[$0] + 1 } }
    /// Input, kernel or output voxels per channel.
    var inputVoxels: Int { input.reduce(1, *) }
    var kernelVoxels: Int { kernel.reduce(1, *) }
    var outputVoxels: Int { output.reduce(1, *) }
    /// The reduction length of the implicit GEMM: Cin·kd·kh·kw.
    var reduction: Int { inputChannels * kernelVoxels }

    /// Validates shapes and parameters for a `rank`-D convolution (2 or 3) of `input` by `weight`,
    /// with stride/padding given per spatial axis (`rank` values each).
    init(op: String, input: [Int], weight: [Int], bias: [Int]?, stride: [Int], padding: [Int], rank: Int) throws {
        guard input.count == rank + 2 else {
            throw RuntimeError.shapeMismatch("\(op): input must be [N, Cin\(rank == 3 ? ", D" : ""), H, W] (rank \(rank + 2)), got \(input)")
        }
        guard weight.count == rank + 2 else {
            throw RuntimeError.shapeMismatch("\(op): weight must be [Cout, Cin\(rank == 3 ? ", kd" : ""), kh, kw] (rank \(rank + 2)), got \(weight)")
        }
        guard weight[1] == input[1] else {
            throw RuntimeError.shapeMismatch("\(op): weight \(weight) expects \(weight[1]) input channels but input \(input) has \(input[1]) (groups = 1 only)")
        }
        guard stride.count == rank, padding.count == rank else {
            throw RuntimeError.shapeMismatch("\(op): stride \(stride) and padding \(padding) must have \(rank) values each")
        }
        guard stride.allSatisfy({ $0 >= 1 }), padding.allSatisfy({ $0 >= 0 }) else {
            throw RuntimeError.shapeMismatch("\(op): stride must be ≥ 1 and padding ≥ 0, got stride \(stride), padding \(padding)")
        }
        guard input.allSatisfy({ $0 >= 1 }), weight.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): empty input \(input) or weight \(weight)")
        }
        if let bias, bias != [weight[0]] {
            throw RuntimeError.shapeMismatch("\(op): bias must be [\(weight[0])] for weight \(weight), got \(bias)")
        }
        let lead = 3 - rank
        batch = input[0]
        inputChannels = input[1]
        outputChannels = weight[0]
        self.input = Array(repeating: 1, count: lead) + Array(input[2...])
        kernel = Array(repeating: 1, count: lead) + Array(weight[2...])
        self.stride = Array(repeating: 1, count: lead) + stride
        self.padding = Array(repeating: 0, count: lead) + padding
        for axis in 0..<3 where self.input[axis] + 2 * self.padding[axis] < kernel[axis] {
            throw RuntimeError.shapeMismatch("\(op): kernel \(weight) is larger than the padded input \(input) (padding \(padding))")
        }
    }

    /// FLOPs (2·Cin·Cout·k·outputs, + outputs for the bias) and bytes (input + weight + output).
    func cost(bias: Bool) -> KernelCost {
        let outputs = Double(batch * outputChannels * outputVoxels)
        let flops = FlopCount.multiplyAccumulate(reduction: reduction, outputs: batch * outputChannels * outputVoxels) + (bias ? outputs : 0)
        let bytes = 4 * (Double(batch * inputChannels * inputVoxels) + Double(outputChannels * reduction)
            + outputs + (bias ? Double(outputChannels) : 0))
        return KernelCost(flops: flops, bytes: bytes)
    }
}

extension Engine {
    /// `torch.nn.functional.conv2d`: input `[N, Cin, H, W]` (or unbatched `[Cin, H, W]`), weight
    /// `[Cout, Cin, kh, kw]`, optional bias `[Cout]`; the same stride and zero padding on both axes;
    /// groups = 1, dilation = 1. Returns `[N, Cout, Ho, Wo]`. Sums run over Cin·kh·kw terms in
    /// a different order on each backend, so results agree to float32 rounding, not bit for bit.
    /// `activation` (with leaky_relu's `negativeSlope`) is applied to the output in the same pass
    /// on OpenCL: `activation(conv2d(x))` without the extra read and write.
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
                       activation: Activation? = nil, negativeSlope: Float = 0.01) throws -> Tensor {
        try conv2d(input, weight: weight, bias: bias, strides: [stride, stride], paddings: [padding, padding],
                   activation: activation, negativeSlope: negativeSlope)
    }

    /// `conv2d` with per-axis stride and padding, `(height, width)`.
    public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, strides: [Int], paddings: [Int],
                       activation: Activation? = nil, negativeSlope: Float = 0.01) throws -> Tensor {
        try convolution("conv2d", input, weight: weight, bias: bias, strides: strides, paddings: paddings, rank: 2,
                        activation: FusedActivation(activation, negativeSlope: negativeSlope))
    }

    /// `torch.nn.functional.conv3d`: input `[N, Cin, D, H, W]` (or unbatched `[Cin, D, H, W]`),
    /// weight `[Cout, Cin, kd, kh, kw]`, optional bias `[Cout]`; the same stride and zero padding
    /// on all axes; groups = 1, dilation = 1. Returns `[N, Cout, Do, Ho, Wo]`. `activation` as in `conv2d`.
    public func conv3d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
                       activation: Activation? = nil, negativeSlope: Float = 0.01) throws -> Tensor {
        try conv3d(input, weight: weight, bias: bias, strides: [stride, stride, stride], paddings: [padding, padding, padding],
                   activation: activation, negativeSlope: negativeSlope)
    }

    /// `conv3d` with per-axis stride and padding, `(depth, height, width)`.
    public func conv3d(_ input: Tensor, weight: Tensor, bias: Tensor?, strides: [Int], paddings: [Int],
                       activation: Activation? = nil, negativeSlope: Float = 0.01) throws -> Tensor {
        try convolution("conv3d", input, weight: weight, bias: bias, strides: strides, paddings: paddings, rank: 3,
                        activation: FusedActivation(activation, negativeSlope: negativeSlope))
    }

    private func convolution(_ op: String, _ input: Tensor, weight: Tensor, bias: Tensor?, strides: [Int], paddings: [Int], rank: Int,
                             activation: FusedActivation?) throws -> Tensor {
        // PyTorch accepts an unbatched input (one rank lower) and returns an unbatched result.
        let unbatched = input.rank == rank + 1
        let batched = unbatched ? try input.reshaped([1] + input.shape) : input
        let result = try run(ConvolutionOp.call(op, batched, weight: weight, bias: bias, strides: strides, paddings: paddings, rank: rank,
                                                winogradCPU: variants.convolutionAlgorithm == .winograd4, activation: activation))
        return unbatched ? try result.reshaped(Array(result.shape.dropFirst())) : result
    }
}

/// Catalog entries for the Convolution family: `conv2d` and `conv3d`.
enum ConvolutionOps {
    /// A weight tensor spec scaled like PyTorch's default init (±1/√fan_in) so outputs stay O(1).
    static func weight(_ shape: [Int]) -> (name: String, shape: [Int], range: ClosedRange<Float>) {
        let bound = 1 / Float(shape.dropFirst().reduce(1, *)).squareRoot()
        return ("weight", shape, -bound...bound)
    }

    static func convCase(_ label: String, input: [Int], weight w: [Int], bias: Bool, stride: String = "1", padding: String = "0") -> OpCase {
        var tensors: [(name: String, shape: [Int], range: ClosedRange<Float>)] = [("input", input, -1...1), weight(w)]
        if bias { tensors.append(("bias", [w[0]], -0.5...0.5)) }
        return OpCase(label, tensors: tensors, parameters: ["stride": stride, "padding": padding])
    }

    /// The declaration of a batched call (the run goes through `conv2d`/`conv3d`, which also
    /// take an unbatched input).
    static func declare(_ name: String, rank: Int, _ a: OpArguments) throws -> OpCall {
        let stride = try a.ints("stride", count: rank, default: Array(repeating: 1, count: rank), op: name)
        let padding = try a.ints("padding", count: rank, default: Array(repeating: 0, count: rank), op: name)
        return try ConvolutionOp.call(name, try a.tensor("input", op: name), weight: try a.tensor("weight", op: name), bias: a.tensors["bias"],
                                      strides: stride, paddings: padding, rank: rank)
    }

    static func definition(_ name: String, rank: Int, cases: [OpCase], profileCases: [OpCase]) -> OpDefinition {
        OpDefinition(
            name: name, inputs: ["input", "weight"], optionalInputs: ["bias"], parameters: ["stride", "padding"],
            tolerance: .reduction, cases: cases, profileCases: profileCases,
            cost: { a in (try? declare(name, rank: rank, a))?.op.cost ?? .zero },
            run: { engine, a in
                let stride = try a.ints("stride", count: rank, default: Array(repeating: 1, count: rank), op: name)
                let padding = try a.ints("padding", count: rank, default: Array(repeating: 0, count: rank), op: name)
                let x = try a.tensor("input", op: name), w = try a.tensor("weight", op: name)
                return rank == 2
                    ? try engine.conv2d(x, weight: w, bias: a.tensors["bias"], strides: stride, paddings: padding)
                    : try engine.conv3d(x, weight: w, bias: a.tensors["bias"], strides: stride, paddings: padding)
            })
    }

    static var definitions: [OpDefinition] {
        let conv2d = definition("conv2d", rank: 2, cases: [
            convCase("odd 3->5 k3 p1 7x13", input: [2, 3, 7, 13], weight: [5, 3, 3, 3], bias: true, padding: "1"),
            convCase("odd 5->9 k3 p0 11x8 odd output (Winograd tail tiles)", input: [2, 5, 11, 8], weight: [9, 5, 3, 3], bias: true),
            convCase("odd 9->17 k3 p2 no bias 6x7", input: [1, 9, 6, 7], weight: [17, 9, 3, 3], bias: false, padding: "2"),
            convCase("odd 3->11 k7 s2 p3 19x23", input: [1, 3, 19, 23], weight: [11, 3, 7, 7], bias: true, stride: "2", padding: "3"),
            convCase("odd 6->9 k1 no bias 5x17", input: [1, 6, 5, 17], weight: [9, 6, 1, 1], bias: false),
            convCase("odd 4->8 k1 s2 9x11", input: [1, 4, 9, 11], weight: [8, 4, 1, 1], bias: true, stride: "2"),
            convCase("odd 5->7 k3 s2 p1 10x9", input: [1, 5, 10, 9], weight: [7, 5, 3, 3], bias: false, stride: "2", padding: "1"),
            convCase("odd 2->3 k(3,5) s(1,3) p(0,2) 1-row edge", input: [1, 2, 3, 11], weight: [3, 2, 3, 5], bias: true, stride: "(1, 3)", padding: "(0, 2)"),
            convCase("odd 3->4 k7 p3 s1 9x10", input: [1, 3, 9, 10], weight: [4, 3, 7, 7], bias: true, padding: "3"),
            convCase("odd 5->11 k7 p3 s1 9x10 (two channel blocks: the wide k7 tiles)", input: [1, 5, 9, 10], weight: [11, 5, 7, 7], bias: true, padding: "3"),
            convCase("odd 3->7 k4 s4 13x9 (ConvNeXt stem)", input: [2, 3, 13, 9], weight: [7, 3, 4, 4], bias: true, stride: "4"),
            convCase("odd 6->9 k2 s2 9x11 (ConvNeXt downsample)", input: [1, 6, 9, 11], weight: [9, 6, 2, 2], bias: true, stride: "2"),
            convCase("odd 4->6 k3 p1 9x70 (Winograd 4x4 vector and edge blocks)", input: [1, 4, 9, 70], weight: [6, 4, 3, 3], bias: true, padding: "1"),
            convCase("odd 2->10 k3 p1 batch 2 14x57 (Winograd 6x6 chunks across tile rows, edge tiles)", input: [2, 2, 14, 57], weight: [10, 2, 3, 3], bias: true, padding: "1"),
            // Two channel blocks at a size make gpu-lint's simulator sweeps (inputs ≤ 1024 values): the 16x6 k3 tile.
            convCase("odd 2->12 k3 p1 5x7 (two channel blocks, small)", input: [1, 2, 5, 7], weight: [12, 2, 3, 3], bias: true, padding: "1"),
            // k7 stride 1 with two and three channel blocks, small enough (≤ 1024 values) for the
            // Oclgrind sweep: the 16x16 tile's pair kernel and its 24-channel kernel.
            convCase("odd 1->9 k7 p3 2x5 (two channel blocks, small)", input: [1, 1, 2, 5], weight: [9, 1, 7, 7], bias: true, padding: "3"),
            convCase("odd 1->17 k7 p3 2x5 (three channel blocks, small)", input: [1, 1, 2, 5], weight: [17, 1, 7, 7], bias: true, padding: "3"),
            // k9 stride 1 (the few-shot generator's first block) on the wide tiles, small enough for Oclgrind.
            convCase("odd 1->9 k9 p4 2x5 (two channel blocks, small: the wide k9 tiles)", input: [1, 1, 2, 5], weight: [9, 1, 9, 9], bias: true, padding: "4"),
            convCase("mp/8 G2D 64->64 k3 p1 16x16", input: [1, 64, 16, 16], weight: [64, 64, 3, 3], bias: true, padding: "1"),
            convCase("mp/8 stem 3->64 k7 s2 p3 32x32", input: [1, 3, 32, 32], weight: [64, 3, 7, 7], bias: false, stride: "2", padding: "3"),
            convCase("mp/8 P 192->64 k1 16x16", input: [1, 192, 16, 16], weight: [64, 192, 1, 1], bias: false),
        ], profileCases: [
            convCase("mp G2D 512->512 k3 p1 64x64", input: [1, 512, 64, 64], weight: [512, 512, 3, 3], bias: true, padding: "1"),
            convCase("mp G2D 128->64 k3 p1 256x256", input: [1, 128, 256, 256], weight: [64, 128, 3, 3], bias: true, padding: "1"),
            convCase("mp stem 3->64 k7 s2 p3 128x128", input: [1, 3, 128, 128], weight: [64, 3, 7, 7], bias: false, stride: "2", padding: "3"),
            convCase("mp P 1536->512 k1 64x64", input: [1, 1536, 64, 64], weight: [512, 1536, 1, 1], bias: false),
        ])
        let conv3d = definition("conv3d", rank: 3, cases: [
            convCase("odd 3->5 k3 p1 7x13x5", input: [1, 3, 7, 13, 5], weight: [5, 3, 3, 3, 3], bias: true, padding: "1"),
            convCase("odd 4->10 k3 s2 p1 5x9x11", input: [2, 4, 5, 9, 11], weight: [10, 4, 3, 3, 3], bias: false, stride: "2", padding: "1"),
            convCase("odd 5->3 k1 1-voxel edges 1x1x9", input: [1, 5, 1, 1, 9], weight: [3, 5, 1, 1, 1], bias: true),
            convCase("odd 2->6 k(1,3,3) p(0,1,1) 3x6x7", input: [1, 2, 3, 6, 7], weight: [6, 2, 1, 3, 3], bias: true, padding: "(0, 1, 1)"),
            convCase("odd 3->4 k3 p1 1x1x1", input: [1, 3, 1, 1, 1], weight: [4, 3, 3, 3, 3], bias: true, padding: "1"),
            convCase("odd 5->3 k7 p3 3x6x5 (LivePortrait mask)", input: [1, 5, 3, 6, 5], weight: [3, 5, 7, 7, 7], bias: true, padding: "3"),
            convCase("odd 3->22 k7 p3 3x5x19 (three channel blocks: the 24x16 tile)", input: [1, 3, 3, 5, 19], weight: [22, 3, 7, 7, 7], bias: true, padding: "3"),
            convCase("odd 3->17 k3 p1 batch 2 3x5x66 (Winograd 4x4 vector blocks)", input: [2, 3, 3, 5, 66], weight: [17, 3, 3, 3, 3], bias: false, padding: "1"),
            // Winograd F(2x2x2, 3x3x3) (conv.winograd3d=cube; auto takes it at output width <= 16):
            // odd tails on every axis, padding 0/1/2, batch 2, Cout not a multiple of 8; width 16
            // exactly (8 tiles fill a row's float8 lanes: the lane layout), every other width the
            // dense layout (tiles packed across rows and slices; width 17: 9 tiles a row).
            convCase("odd 3->5 k3 p0 5x7x9 (Winograd 2x2x2 odd tails)", input: [1, 3, 5, 7, 9], weight: [5, 3, 3, 3, 3], bias: true),
            convCase("odd 4->11 k3 p1 batch 2 5x7x9 (Winograd 2x2x2, two channel blocks)", input: [2, 4, 5, 7, 9], weight: [11, 4, 3, 3, 3], bias: false, padding: "1"),
            convCase("odd 6->13 k3 p1 6x9x16 (Winograd 2x2x2 width 16)", input: [1, 6, 6, 9, 16], weight: [13, 6, 3, 3, 3], bias: true, padding: "1"),
            convCase("odd 5->9 k3 p1 batch 2 1x4x17 (Winograd 2x2x2 1-voxel depth, width 17)", input: [2, 5, 1, 4, 17], weight: [9, 5, 3, 3, 3], bias: true, padding: "1"),
            convCase("odd 3->8 k3 p2 3x3x3 (Winograd 2x2x2 padding 2)", input: [1, 3, 3, 3, 3], weight: [8, 3, 3, 3, 3], bias: true, padding: "2"),
            // Small enough for the Oclgrind sweep (≤ 1024 values), so the lane layout's kernels run under it too.
            convCase("odd 1->9 k3 p1 2x3x16 (Winograd 2x2x2 lane layout, small)", input: [1, 1, 2, 3, 16], weight: [9, 1, 3, 3, 3], bias: true, padding: "1"),
            convCase("mp/16 W 16->8 k3 p1 8x16x16", input: [1, 16, 8, 16, 16], weight: [8, 16, 3, 3, 3], bias: true, padding: "1"),
            convCase("mp/16 E_app 24->24 k3 p1 4x16x16", input: [1, 24, 4, 16, 16], weight: [24, 24, 3, 3, 3], bias: false, padding: "1"),
        ], profileCases: [
            convCase("mp W 64->32 k3 p1 32x64x64", input: [1, 64, 32, 64, 64], weight: [32, 64, 3, 3, 3], bias: true, padding: "1"),
            convCase("mp E_app 96->96 k3 p1 16x64x64", input: [1, 96, 16, 64, 64], weight: [96, 96, 3, 3, 3], bias: true, padding: "1"),
            convCase("mp G3D 384->384 k3 p1 16x16x16", input: [1, 384, 16, 16, 16], weight: [384, 384, 3, 3, 3], bias: false, padding: "1"),
            convCase("mp G3D 512->512 k3 p1 16x16x16", input: [1, 512, 16, 16, 16], weight: [512, 512, 3, 3, 3], bias: false, padding: "1"),
            convCase("width 32 96->96 k3 p1 32x32x32 (conv.winograd3d crossover)", input: [1, 96, 32, 32, 32], weight: [96, 96, 3, 3, 3], bias: true, padding: "1"),
            convCase("mp G3D skip 96->96 k1 16x64x64", input: [1, 96, 16, 64, 64], weight: [96, 96, 1, 1, 1], bias: false),
            convCase("lp mask 142->22 k7 p3 16x64x64", input: [1, 142, 16, 64, 64], weight: [22, 142, 7, 7, 7], bias: true, padding: "3"),
        ])
        return [conv2d, conv3d]
    }
}
