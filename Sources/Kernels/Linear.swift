import Runtime

/// The shape of one (batched) matrix product C[b] = A[b]·B[b] (+ bias), with batch strides in
/// elements; a stride of 0 broadcasts that operand across the batch.
struct MatmulGeometry: Sendable, Equatable {
    var batch: Int, m: Int, n: Int, k: Int
    var strideA: Int, strideB: Int

    /// FLOPs (2·M·N·K per batch, + M·N for a bias) and bytes (A + B + C, each counted once).
    func cost(bias: Bool, aCount: Int, bCount: Int) -> KernelCost {
        let outputs = Double(batch * m * n)
        return KernelCost(flops: FlopCount.multiplyAccumulate(reduction: k, outputs: batch * m * n) + (bias ? outputs : 0),
                          bytes: 4 * (Double(aCount + bCount) + outputs + (bias ? Double(n) : 0)))
    }
}

extension Engine {
    /// `torch.nn.functional.linear`: `input [..., in]` times `weight [out, in]`ᵀ plus optional
    /// `bias [out]`, giving `[..., out]` (a 1-D input gives `[out]`).
    public func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try run(LinearOp.call(input, weight: weight, bias: bias))
    }

    /// `torch.matmul` for matrices and batches of them: `[M, K]·[K, N] → [M, N]`,
    /// `[B, M, K]·[B, K, N] → [B, M, N]`, and the broadcasting forms `[B, M, K]·[K, N]`,
    /// `[M, K]·[B, K, N]` and batch 1 against batch B.
    public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try run(MatmulOp.call(a, b))
    }
}

/// Catalog entries for the Linear family: `linear` and `matmul`.
enum LinearOps {
    static func linearCase(_ label: String, input: [Int], out: Int, bias: Bool) -> OpCase {
        let bound = 1 / Float(input.last!).squareRoot()
        var tensors: [(name: String, shape: [Int], range: ClosedRange<Float>)] =
            [("input", input, -1...1), ("weight", [out, input.last!], -bound...bound)]
        if bias { tensors.append(("bias", [out], -0.5...0.5)) }
        return OpCase(label, tensors: tensors)
    }

    static func matmulCase(_ label: String, _ a: [Int], _ b: [Int]) -> OpCase {
        OpCase(label, tensors: [("input", a, -1...1), ("other", b, -1...1)])
    }

    static var definitions: [OpDefinition] {
        let linear = OpDefinition(
            name: "linear", inputs: ["input", "weight"], optionalInputs: ["bias"], tolerance: .reduction,
            cases: [
                linearCase("odd 3x5x13 -> 11", input: [3, 5, 13], out: 11, bias: true),
                linearCase("odd 7x20 -> 9 no bias", input: [7, 20], out: 9, bias: false),
                linearCase("odd 2x40x37 -> 19 (many rows)", input: [2, 40, 37], out: 19, bias: true),
                linearCase("odd 1-D 29 -> 6", input: [29], out: 6, bias: true),
                linearCase("mp/4 embedding 1x512 -> 2048", input: [1, 512], out: 2048, bias: true),
                linearCase("mp/4 expression 1x2048 -> 128", input: [1, 2048], out: 128, bias: true),
            ],
            profileCases: [
                linearCase("mp embedding 1x512 -> 8192", input: [1, 512], out: 8192, bias: true),
                linearCase("mp expression 1x8192 -> 512", input: [1, 8192], out: 512, bias: true),
                linearCase("1024 rows 512 -> 512", input: [1024, 512], out: 512, bias: true),
            ],
            declare: { a in
                try LinearOp.call(try a.tensor("input", op: "linear"), weight: try a.tensor("weight", op: "linear"), bias: a.tensors["bias"])
            })
        let matmul = OpDefinition(
            name: "matmul", inputs: ["input", "other"], tolerance: .reduction,
            cases: [
                matmulCase("odd 13x7 . 7x11", [13, 7], [7, 11]),
                matmulCase("odd 3x9x17 . 3x17x10", [3, 9, 17], [3, 17, 10]),
                matmulCase("odd 2x5x6 . 6x9 (broadcast)", [2, 5, 6], [6, 9]),
                matmulCase("odd 1x4x3 . 3x3x5 (batch 1)", [1, 4, 3], [3, 3, 5]),
                matmulCase("mp/4 AdaGN U.E 2x128x64 . 2x64x16", [2, 128, 64], [2, 64, 16]),
            ],
            profileCases: [
                matmulCase("512x512 . 512x512", [512, 512], [512, 512]),
                matmulCase("8x256x256 . 8x256x256", [8, 256, 256], [8, 256, 256]),
            ],
            declare: { a in
                try MatmulOp.call(try a.tensor("input", op: "matmul"), try a.tensor("other", op: "matmul"))
            })
        return [linear, matmul]
    }
}
