import Runtime

/// `pad` with zeros over the last three dimensions of an `[N, C, H, W]` tensor (or `[C, H, W]`):
/// `torch.nn.functional.pad(x, (left, right, top, bottom, front, back))`, non-negative amounts.
/// TFLite networks need it for SAME padding with a stride (the extra row and column go after,
/// which a symmetric convolution padding cannot express) and for the zero channels of their
/// residual shortcuts.
struct ConstantPadOp: EngineOp {
    /// `[front, back, top, bottom, left, right]`: channels, rows, columns.
    let pads: [Int]
    let input: [Int]
    let outputShape: [Int]
    var count: Int { outputShape.reduce(1, *) }

    /// The checked call. `pad` is torch's order, last dimension first: `[left, right]`,
    /// `[left, right, top, bottom]` or `[left, right, top, bottom, front, back]`.
    static func call(_ x: Tensor, pad: [Int]) throws -> OpCall {
        guard [2, 4, 6].contains(pad.count), pad.allSatisfy({ $0 >= 0 }) else {
            throw RuntimeError.shapeMismatch("pad: expected 2, 4 or 6 non-negative amounts (left, right, top, bottom, front, back), got \(pad)")
        }
        guard x.rank == 3 || x.rank == 4 else {
            throw RuntimeError.shapeMismatch("pad: the input must be [C, H, W] or [N, C, H, W], got \(x.shapeDescription)")
        }
        let full = pad + [Int](repeating: 0, count: 6 - pad.count)
        let pads = [full[4], full[5], full[2], full[3], full[0], full[1]]
        let shape4 = x.rank == 4 ? x.shape : [1] + x.shape
        let out4 = [shape4[0], shape4[1] + pads[0] + pads[1], shape4[2] + pads[2] + pads[3], shape4[3] + pads[4] + pads[5]]
        let outputShape = x.rank == 4 ? out4 : Array(out4.dropFirst())
        guard out4.reduce(1, *) < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("pad: the result \(outputShape) has more than 2^31 elements")
        }
        return OpCall(ConstantPadOp(pads: pads, input: shape4, outputShape: outputShape), [x])
    }

    var name: String { "pad" }
    var cost: KernelCost { KernelCost(flops: 0, bytes: Double(input.reduce(1, *) * 4 + count * 4)) }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let x = inputs[0]
        let (n, c, h, w) = (input[0], input[1], input[2], input[3])
        let (co, ho, wo) = (c + pads[0] + pads[1], h + pads[2] + pads[3], w + pads[4] + pads[5])
        var out = [Float](repeating: 0, count: n * co * ho * wo)
        for b in 0..<n {
            for ch in 0..<c {
                for y in 0..<h {
                    let src = ((b * c + ch) * h + y) * w
                    let dst = ((b * co + ch + pads[0]) * ho + y + pads[2]) * wo + pads[4]
                    out.replaceSubrange(dst..<(dst + w), with: x[src..<(src + w)])
                }
            }
        }
        return out
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (c, h, w) = (input[1], input[2], input[3])
        let (co, ho, wo) = (c + pads[0] + pads[1], h + pads[2] + pads[3], w + pads[4] + pads[5])
        try l.context.launch("constant_pad", global: [wo, ho, input[0] * co], local: Engine.poolLocal(wo, ho),
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(c), .i(h), .i(w), .i(co), .i(ho), .i(wo),
                                         .i(pads[0]), .i(pads[2]), .i(pads[4]), .i(input[0] * co)],
                             cost: l.cost)
    }
}

extension Engine {
    /// Zero padding of `[N, C, H, W]` / `[C, H, W]`, `pad` in torch's order (last dimension
    /// first): `[left, right, top, bottom, front, back]` (2 or 4 amounts pad only the last axes).
    public func pad(_ x: Tensor, _ pad: [Int]) throws -> Tensor { try run(try ConstantPadOp.call(x, pad: pad)) }
}

/// Catalog entry for `pad` (constant zero).
enum ConstantPadOps {
    static var definitions: [OpDefinition] {
        [OpDefinition(
            name: "pad", inputs: ["input"], parameters: ["pad"], tolerance: .tight,
            cases: [OpCase("odd 2x3x7x13 (0,1,0,1)", tensors: [("input", [2, 3, 7, 13], -2...2)], parameters: ["pad": "0,1,0,1"]),
                    OpCase("odd 3x5x7 (1,2,1,2,0,3)", tensors: [("input", [3, 5, 7], -2...2)], parameters: ["pad": "1,2,1,2,0,3"]),
                    OpCase("blazeface 1x24x64x64 channels +4", tensors: [("input", [1, 24, 64, 64], -2...2)], parameters: ["pad": "0,0,0,0,0,4"])],
            profileCases: [OpCase("facemesh 1x16x96x96 (0,1,0,1)", tensors: [("input", [1, 16, 96, 96], -2...2)], parameters: ["pad": "0,1,0,1"])],
            declare: { a in
                let x = try a.tensor("input", op: "pad")
                guard let text = a.parameters["pad"] else { throw OpError.badParameter(op: "pad", name: "pad", value: "(missing)", expected: "2, 4 or 6 amounts") }
                let amounts = text.trimming(" ()[]").split(separator: ",").map { Int(String($0).trimming(" ")) }
                guard !amounts.isEmpty, amounts.allSatisfy({ $0 != nil }) else {
                    throw OpError.badParameter(op: "pad", name: "pad", value: text, expected: "comma-separated integers (left,right,top,bottom,front,back)")
                }
                return try ConstantPadOp.call(x, pad: amounts.compactMap { $0 })
            })]
    }
}
