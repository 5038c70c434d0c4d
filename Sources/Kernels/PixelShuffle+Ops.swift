import Runtime

/// `pixel_shuffle` (`nn.PixelShuffle(r)`): `[N, C·r², H, W] → [N, C, H·r, W·r]` with
/// `out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]` (kernel `pixel_shuffle`, one
/// work-item per output element). A pure permutation: results are bit-identical.
struct PixelShuffleOp: EngineOp {
    let batch: Int, channels: Int, height: Int, width: Int, factor: Int
    var outputShape: [Int] { [batch, channels, height * factor, width * factor] }
    var count: Int { batch * channels * height * width * factor * factor }

    /// The checked call.
    static func call(_ input: Tensor, factor: Int) throws -> OpCall {
        guard factor >= 1 else { throw RuntimeError.shapeMismatch("pixel_shuffle: upscale factor must be ≥ 1, got \(factor)") }
        let r2 = factor * factor
        guard input.rank == 4, input.shape.allSatisfy({ $0 >= 1 }), input.shape[1] % r2 == 0 else {
            throw RuntimeError.shapeMismatch("pixel_shuffle: input must be [N, C·\(r2), H, W] (channels a multiple of factor² = \(r2)), got \(input.shapeDescription)")
        }
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("pixel_shuffle: \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let s = input.shape
        return OpCall(PixelShuffleOp(batch: s[0], channels: s[1] / r2, height: s[2], width: s[3], factor: factor), [input])
    }

    var name: String { "pixel_shuffle" }
    var cost: KernelCost { KernelCost(flops: 0, bytes: Double(count) * 8) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let x = inputs[0]
        let (r, h, w) = (factor, height, width)
        var y = [Float](repeating: 0, count: count)
        var o = 0
        for plane in 0..<(batch * channels) {
            for oy in 0..<(h * r) {
                for ox in 0..<(w * r) {
                    let source = plane * r * r + (oy % r) * r + ox % r
                    y[o] = x[(source * h + oy / r) * w + ox / r]
                    o += 1
                }
            }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("pixel_shuffle", global: [count], local: [256],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(height), .i(width), .i(factor), .i(count)],
                             cost: l.cost)
    }
}

extension Engine {
    /// `torch.nn.functional.pixel_shuffle(x, factor)`: `[N, C·r², H, W] → [N, C, H·r, W·r]`,
    /// `out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]` (r = `factor`). LivePortrait's
    /// SPADE decoder ends with PixelShuffle(2) (12 → 3 channels, 256² → 512²).
    public func pixelShuffle(_ x: Tensor, factor: Int) throws -> Tensor {
        try run(PixelShuffleOp.call(x, factor: factor))
    }
}

/// Catalog entry for `pixel_shuffle` (parameter `upscale_factor`, as PyTorch names it).
enum PixelShuffleOps {
    static var definitions: [OpDefinition] {
        func c(_ label: String, _ shape: [Int], factor: Int) -> OpCase {
            OpCase(label, tensors: [("input", shape, -1...1)], parameters: ["upscale_factor": "\(factor)"])
        }
        return [OpDefinition(
            name: "pixel_shuffle", inputs: ["input"], parameters: ["upscale_factor"], tolerance: .tight,
            cases: [c("odd 2x12x5x7 r2", [2, 12, 5, 7], factor: 2), c("odd 1x18x3x4 r3", [1, 18, 3, 4], factor: 3),
                    c("lp/4 conv_img 1x12x64x64 r2", [1, 12, 64, 64], factor: 2)],
            profileCases: [c("lp conv_img 1x12x256x256 r2", [1, 12, 256, 256], factor: 2)],
            declare: { a in
                try PixelShuffleOp.call(try a.tensor("input", op: "pixel_shuffle"), factor: try a.int("upscale_factor", default: 2, op: "pixel_shuffle"))
            })]
    }
}
