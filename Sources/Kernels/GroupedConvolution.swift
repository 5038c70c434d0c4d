import Runtime

/// The geometry of a grouped 2-D convolution, `torch.nn.functional.conv2d(input, weight, bias,
/// stride, padding, groups = g)`: input `[N, Cin, H, W]`, weight `[Cout, Cin/g, kh, kw]`,
/// optional bias `[Cout]`, per-axis stride and zero padding (height, width). Output channel `o`
/// belongs to group `o / (Cout/g)` and sees only that group's `Cin/g` input channels.
///
/// It is `groups` independent convolutions of `Cin/g` to `Cout/g` channels; `perGroup` is the
/// (groups = 1) `ConvolutionGeometry` of one of them, which the CPU body runs per group.
struct GroupedConvolutionGeometry: Equatable {
    /// The number of groups g.
    let groups: Int
    /// One group's convolution: `Cin/g` → `Cout/g` channels, the same kernel, stride and padding.
    let perGroup: ConvolutionGeometry

    var batch: Int { perGroup.batch }
    var inputChannels: Int { perGroup.inputChannels * groups }
    var outputChannels: Int { perGroup.outputChannels * groups }
    var height: Int { perGroup.input[1] }
    var width: Int { perGroup.input[2] }
    /// (kh, kw), (sh, sw), (ph, pw).
    var kernel: [Int] { Array(perGroup.kernel.suffix(2)) }
    var stride: [Int] { Array(perGroup.stride.suffix(2)) }
    var padding: [Int] { Array(perGroup.padding.suffix(2)) }
    var outputHeight: Int { perGroup.output[1] }
    var outputWidth: Int { perGroup.output[2] }
    var outputCount: Int { batch * outputChannels * outputHeight * outputWidth }

    /// Checks the shapes with PyTorch's rules for `conv2d(..., groups)`; every error says what
    /// was expected.
    init(input: [Int], weight: [Int], bias: [Int]?, groups: Int, stride: [Int], padding: [Int]) throws {
        let op = "grouped_conv2d"
        guard input.count == 4 else { throw RuntimeError.shapeMismatch("\(op): input must be [N, Cin, H, W], got \(input)") }
        guard weight.count == 4 else { throw RuntimeError.shapeMismatch("\(op): weight must be [Cout, Cin/groups, kh, kw], got \(weight)") }
        guard groups >= 1 else { throw RuntimeError.shapeMismatch("\(op): groups must be ≥ 1, got \(groups)") }
        let (cin, cout) = (input[1], weight[0])
        guard cin % groups == 0 else {
            throw RuntimeError.shapeMismatch("\(op): groups \(groups) must divide the input channels, but input \(input) has \(cin)")
        }
        guard cout % groups == 0 else {
            throw RuntimeError.shapeMismatch("\(op): groups \(groups) must divide the output channels, but weight \(weight) has \(cout)")
        }
        guard weight[1] == cin / groups else {
            throw RuntimeError.shapeMismatch("\(op): weight must be [Cout, Cin/groups = \(cin / groups), kh, kw] for input \(input) "
                                             + "and groups \(groups), got \(weight)")
        }
        if let bias, bias != [cout] { throw RuntimeError.shapeMismatch("\(op): bias must be [\(cout)] for weight \(weight), got \(bias)") }
        // The rest (stride, padding, empty or too-small shapes) is the plain convolution's check of one group.
        perGroup = try ConvolutionGeometry(op: op, input: [input[0], cin / groups, input[2], input[3]],
                                           weight: [cout / groups] + weight.dropFirst(), bias: bias.map { _ in [cout / groups] },
                                           stride: stride, padding: padding, rank: 2)
        self.groups = groups
    }

    /// `groups` times one group's cost: 2·(Cin/g)·kh·kw FLOPs per output (+1 for the bias);
    /// bytes: input + weight + output (+ bias), each once.
    func cost(bias: Bool) -> KernelCost {
        let one = perGroup.cost(bias: bias), g = Double(groups)
        return KernelCost(flops: g * one.flops, bytes: g * one.bytes)
    }
}

extension Engine {
    /// `torch.nn.functional.conv2d(input, weight, bias, stride, padding, groups = groups)`: the
    /// input's `Cin` channels and the `Cout` filters are split into `groups` equal groups, and
    /// group `i`'s filters see only group `i`'s channels (ResNeXt-style grouped convolution).
    /// Input `[N, Cin, H, W]`, weight `[Cout, Cin/groups, kh, kw]`, optional bias `[Cout]`;
    /// `groups` must divide both `Cin` and `Cout`; zero padding; `stride` and `padding` are
    /// `(height, width)`; dilation 1. Returns `[N, Cout, Ho, Wo]`.
    ///
    /// `groups = 1` is `conv2d` (on the CPU bit for bit: it is the same code), and `groups = Cin =
    /// Cout` is `depthwiseConv2d`. The CPU runs the `conv2d` path on each group's channel slice;
    /// OpenCL runs one direct kernel, `grouped_conv2d`, one work-item per output. Sums of
    /// `Cin/groups·kh·kw` terms in a different order on each backend: they agree to float32
    /// rounding (the convolutions' tolerance), not bit for bit.
    public func groupedConv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, groups: Int, stride: [Int] = [1, 1],
                              padding: [Int] = [0, 0]) throws -> Tensor {
        try run(GroupedConvolutionOp.call(input, weight: weight, bias: bias, groups: groups, stride: stride, padding: padding))
    }

    /// The CPU reference: for each group, the group's input channels of every batch element are
    /// copied into a `[N, Cin/g, H, W]` slice, convolved by `convolutionCPU` (im2col + GEMM) with
    /// the group's filters `weight[i·Cout/g ..< (i+1)·Cout/g]` and bias, and the result copied
    /// into the group's output channels. With one group there is nothing to slice.
    static func groupedConvolutionCPU(_ g: GroupedConvolutionGeometry, input x: [Float], weight w: [Float], bias b: [Float]?) -> [Float] {
        let one = g.perGroup
        guard g.groups > 1 else { return convolutionCPU(one, input: x, weight: w, bias: b) }
        let inPlane = one.inputVoxels, outPlane = one.outputVoxels
        let (cinG, coutG) = (one.inputChannels, one.outputChannels)
        let filterFloats = coutG * one.reduction
        var y = [Float](repeating: 0, count: g.outputCount)
        for group in 0..<g.groups {
            var slice = [Float]()
            slice.reserveCapacity(g.batch * cinG * inPlane)
            for n in 0..<g.batch {
                let start = (n * g.inputChannels + group * cinG) * inPlane
                slice += x[start..<(start + cinG * inPlane)]
            }
            let filters = Array(w[(group * filterFloats)..<((group + 1) * filterFloats)])
            let groupBias = b.map { Array($0[(group * coutG)..<((group + 1) * coutG)]) }
            let part = convolutionCPU(one, input: slice, weight: filters, bias: groupBias)
            for n in 0..<g.batch {
                let start = (n * g.outputChannels + group * coutG) * outPlane, count = coutG * outPlane
                y.replaceSubrange(start..<(start + count), with: part[(n * count)..<((n + 1) * count)])
            }
        }
        return y
    }
}
