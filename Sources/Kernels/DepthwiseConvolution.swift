import Dispatch
import Runtime

/// The geometry of a depthwise 2-D convolution, `torch.nn.functional.conv2d(input, weight, bias,
/// stride, padding, groups = C)` with one filter per channel: input `[N, C, H, W]`, weight
/// `[C, 1, kh, kw]`, optional bias `[C]`, per-axis stride and zero padding (height, width).
struct DepthwiseGeometry: Equatable {
    let batch: Int, channels: Int
    let height: Int, width: Int
    let kernel: [Int], stride: [Int], padding: [Int]
    var outputHeight: Int { (height + 2 * padding[0] - kernel[0]) / stride[0] + 1 }
    var outputWidth: Int { (width + 2 * padding[1] - kernel[1]) / stride[1] + 1 }
    var outputCount: Int { batch * channels * outputHeight * outputWidth }

    init(input: [Int], weight: [Int], bias: [Int]?, stride: [Int], padding: [Int]) throws {
        let op = "depthwise_conv2d"
        guard input.count == 4 else { throw RuntimeError.shapeMismatch("\(op): input must be [N, C, H, W], got \(input)") }
        guard weight.count == 4, weight[0] == input[1], weight[1] == 1 else {
            throw RuntimeError.shapeMismatch("\(op): weight must be [C, 1, kh, kw] with C = \(input[1]) (one filter per input channel), got \(weight)")
        }
        if let bias, bias != [input[1]] { throw RuntimeError.shapeMismatch("\(op): bias must be [\(input[1])], got \(bias)") }
        guard stride.count == 2, padding.count == 2, stride.allSatisfy({ $0 >= 1 }), padding.allSatisfy({ $0 >= 0 }) else {
            throw RuntimeError.shapeMismatch("\(op): stride \(stride) must be two values ≥ 1 and padding \(padding) two values ≥ 0")
        }
        guard input.allSatisfy({ $0 >= 1 }), weight.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): empty input \(input) or weight \(weight)")
        }
        guard input[2] + 2 * padding[0] >= weight[2], input[3] + 2 * padding[1] >= weight[3] else {
            throw RuntimeError.shapeMismatch("\(op): kernel \(weight) is larger than the padded input \(input) (padding \(padding))")
        }
        batch = input[0]; channels = input[1]; height = input[2]; width = input[3]
        kernel = [weight[2], weight[3]]; self.stride = stride; self.padding = padding
    }

    /// 2·kh·kw FLOPs per output (+1 for the bias); bytes: input + weight + output.
    func cost(bias: Bool) -> KernelCost {
        let outputs = Double(outputCount), taps = Double(kernel[0] * kernel[1])
        return KernelCost(flops: outputs * (2 * taps + (bias ? 1 : 0)),
                          bytes: 4 * (Double(batch * channels * height * width) + Double(channels) * taps + outputs))
    }
}

extension Engine {
    /// `torch.nn.functional.conv2d(input, weight, bias, stride, padding, groups = C)` with one
    /// filter per channel (channel multiplier 1), as in MobileNet-style separable convolutions
    /// (YuNet). Input `[N, C, H, W]`, weight `[C, 1, kh, kw]`, optional bias `[C]`, zero padding;
    /// `stride` and `padding` are `(height, width)`. Sums of kh·kw products in the same order on
    /// both backends, so results agree to a few ulps (fma on OpenCL).
    public func depthwiseConv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: [Int] = [1, 1],
                                padding: [Int] = [0, 0]) throws -> Tensor {
        try run(DepthwiseConvolutionOp.call(input, weight: weight, bias: bias, stride: stride, padding: padding))
    }

    /// The CPU reference: per plane, per output, taps in row-major order (out-of-range taps
    /// skipped), then the bias; planes spread over the cores.
    static func depthwiseConv2dCPU(_ g: DepthwiseGeometry, input x: [Float], weight w: [Float], bias b: [Float]?) -> [Float] {
        let (H, W, Ho, Wo) = (g.height, g.width, g.outputHeight, g.outputWidth)
        let (kh, kw, sy, sx, py, px) = (g.kernel[0], g.kernel[1], g.stride[0], g.stride[1], g.padding[0], g.padding[1])
        let bias = b ?? [Float](repeating: 0, count: g.channels)
        var y = [Float](repeating: 0, count: g.outputCount)
        let planes = g.batch * g.channels, chunks = max(1, min(planes, 64))
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    let src = PoolingCPU.SharedPointer(pointer: UnsafeMutablePointer(mutating: xp.baseAddress!))
                    let filters = PoolingCPU.SharedPointer(pointer: UnsafeMutablePointer(mutating: wp.baseAddress!))
                    let dst = PoolingCPU.SharedPointer(pointer: yp.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        for p in stride(from: chunk, to: planes, by: chunks) {
                            let c = p % g.channels
                            let plane = src.pointer + p * H * W, out = dst.pointer + p * Ho * Wo
                            let f = filters.pointer + c * kh * kw
                            for oy in 0..<Ho {
                                let y0 = oy * sy - py
                                let kyStart = max(0, -y0), kyEnd = min(kh, H - y0)
                                for ox in 0..<Wo {
                                    let x0 = ox * sx - px
                                    let kxStart = max(0, -x0), kxEnd = min(kw, W - x0)
                                    var sum: Float = 0
                                    if kyStart < kyEnd && kxStart < kxEnd {
                                        for ky in kyStart..<kyEnd {
                                            let row = plane + (y0 + ky) * W + x0, taps = f + ky * kw
                                            for kx in kxStart..<kxEnd { sum += row[kx] * taps[kx] }
                                        }
                                    }
                                    out[oy * Wo + ox] = sum + bias[c]
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }
}

/// Catalog entry for the depthwise convolution family: `depthwise_conv2d`
/// (`torch.nn.functional.conv2d` with `groups` = input channels).
enum DepthwiseConvolutionOps {
    static func dwCase(_ label: String, input: [Int], kernel: [Int], bias: Bool, stride: String = "1", padding: String = "0") -> OpCase {
        let bound = 1 / Float(kernel[0] * kernel[1]).squareRoot()
        var tensors: [(name: String, shape: [Int], range: ClosedRange<Float>)] = [
            ("input", input, -1...1), ("weight", [input[1], 1] + kernel, -bound...bound)]
        if bias { tensors.append(("bias", [input[1]], -0.5...0.5)) }
        return OpCase(label, tensors: tensors, parameters: ["stride": stride, "padding": padding])
    }

    static var definitions: [OpDefinition] {
        let name = "depthwise_conv2d"
        return [OpDefinition(
            name: name, inputs: ["input", "weight"], optionalInputs: ["bias"], parameters: ["stride", "padding"],
            tolerance: .tight,
            cases: [
                dwCase("odd 2x5x7x13 k3 p1", input: [2, 5, 7, 13], kernel: [3, 3], bias: true, padding: "1"),
                dwCase("odd 1x3x9x11 k3 s2 p1 no bias", input: [1, 3, 9, 11], kernel: [3, 3], bias: false, stride: "2", padding: "1"),
                dwCase("odd 1x4x6x5 k(3,5) p(0,2)", input: [1, 4, 6, 5], kernel: [3, 5], bias: true, padding: "(0, 2)"),
                dwCase("odd 1x1x1x1 k3 p1 one pixel", input: [1, 1, 1, 1], kernel: [3, 3], bias: true, padding: "1"),
                dwCase("odd 2x3x5x21 k3 p1 no bias (8-wide runs + tail)", input: [2, 3, 5, 21], kernel: [3, 3], bias: false, padding: "1"),
                dwCase("odd 1x2x1x3 k3 p1 one row", input: [1, 2, 1, 3], kernel: [3, 3], bias: true, padding: "1"),
                dwCase("yunet 1x64x40x40 k3 p1", input: [1, 64, 40, 40], kernel: [3, 3], bias: true, padding: "1"),
                dwCase("odd 2x3x9x21 k7 p3 (8-wide runs + tail)", input: [2, 3, 9, 21], kernel: [7, 7], bias: true, padding: "3"),
                dwCase("odd 1x2x2x5 k7 p3 no bias (taps past every edge)", input: [1, 2, 2, 5], kernel: [7, 7], bias: false, padding: "3"),
                dwCase("lp/8 stage 3 1x6x8x8 k7 p3 (one 8-wide row, shuffled into place)", input: [1, 6, 8, 8], kernel: [7, 7], bias: true, padding: "3"),
                dwCase("odd 1x3x10x16 k7 p3 (16-wide ends shuffled, 4-row tail)", input: [1, 3, 10, 16], kernel: [7, 7], bias: true, padding: "3"),
                dwCase("odd 1x2x5x11 k7 p3 (8 to 15 wide)", input: [1, 2, 5, 11], kernel: [7, 7], bias: false, padding: "3"),
            ],
            profileCases: [
                dwCase("yunet 1x16x256x256 k3 p1", input: [1, 16, 256, 256], kernel: [3, 3], bias: true, padding: "1"),
                dwCase("yunet 1x64x64x64 k3 p1", input: [1, 64, 64, 64], kernel: [3, 3], bias: true, padding: "1"),
                dwCase("lp ConvNeXt stage 0 1x96x64x64 k7 p3", input: [1, 96, 64, 64], kernel: [7, 7], bias: true, padding: "3"),
            ],
            declare: { a in
                try DepthwiseConvolutionOp.call(try a.tensor("input", op: name), weight: try a.tensor("weight", op: name), bias: a.tensors["bias"],
                                                stride: try a.ints("stride", count: 2, default: [1, 1], op: name),
                                                padding: try a.ints("padding", count: 2, default: [0, 0], op: name))
            })]
    }
}
