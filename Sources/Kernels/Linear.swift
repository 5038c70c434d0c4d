import CBLAS
import Runtime

/// The shape of one (batched) matrix product C[b] = A[b]·B[b] (+ bias), with batch strides in
/// elements; a stride of 0 broadcasts that operand across the batch.
struct MatmulGeometry: Sendable, Equatable {
    var batch: Int, m: Int, n: Int, k: Int
    var strideA: Int, strideB: Int

    /// FLOPs (2·M·N·K per batch, + M·N for a bias) and bytes (A + B + C, each counted once).
    func cost(bias: Bool, aCount: Int, bCount: Int) -> KernelCost {
        let outputs = Double(batch * m * n)
        return KernelCost(flops: 2 * Double(k) * outputs + (bias ? outputs : 0),
                          bytes: 4 * (Double(aCount + bCount) + outputs + (bias ? Double(n) : 0)))
    }
}

extension Engine {
    /// `torch.nn.functional.linear`: `input [..., in]` times `weight [out, in]`ᵀ plus optional
    /// `bias [out]`, giving `[..., out]` (a 1-D input gives `[out]`).
    public func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2 else { throw RuntimeError.shapeMismatch("linear: weight must be [out, in], got \(weight.shapeDescription)") }
        let (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
        guard input.rank >= 1, input.shape.last == inFeatures else {
            throw RuntimeError.shapeMismatch("linear: input \(input.shapeDescription) must end in \(inFeatures) features to match weight \(weight.shapeDescription)")
        }
        if let bias, bias.shape != [outFeatures] {
            throw RuntimeError.shapeMismatch("linear: bias must be [\(outFeatures)] for weight \(weight.shapeDescription), got \(bias.shapeDescription)")
        }
        let rows = input.count / max(inFeatures, 1)
        let outShape = Array(input.shape.dropLast()) + [outFeatures]
        let g = MatmulGeometry(batch: 1, m: rows, n: outFeatures, k: inFeatures, strideA: 0, strideB: 0)
        let cost = g.cost(bias: bias != nil, aCount: input.count, bCount: weight.count)
        switch backend {
        case .cpu:
            let x = try cpuValues(input), w = try cpuValues(weight), b = try bias.map { try cpuValues($0) }
            return timedCPU("linear", cost: cost) {
                var y = [Float](repeating: 0, count: rows * outFeatures)
                if let b { for r in 0..<rows { for o in 0..<outFeatures { y[r * outFeatures + o] = b[o] } } }
                if rows == 1 && outFeatures > 0 && inFeatures > 0 {
                    // One row: a matrix-vector product (OpenBLAS's sgemm is slow at M = 1).
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outFeatures), Int32(inFeatures),
                                1, w, Int32(inFeatures), x, 1, b == nil ? 0 : 1, &y, 1)
                } else if rows > 0 && outFeatures > 0 && inFeatures > 0 {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures),
                                1, x, Int32(inFeatures), w, Int32(inFeatures), b == nil ? 0 : 1, &y, Int32(outFeatures))
                }
                return Tensor(shape: outShape, values: y)
            }
        case .opencl(let cl):
            return try linearOpenCL(cl, g, input: input, weight: weight, bias: bias, outShape: outShape, cost: cost)
        }
    }

    /// `torch.matmul` for matrices and batches of them: `[M, K]·[K, N] → [M, N]`,
    /// `[B, M, K]·[B, K, N] → [B, M, N]`, and the broadcasting forms `[B, M, K]·[K, N]`,
    /// `[M, K]·[B, K, N]` and batch 1 against batch B.
    public func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard (2...3).contains(a.rank), (2...3).contains(b.rank) else {
            throw RuntimeError.shapeMismatch("matmul: supports 2-D and 3-D operands, got \(a.shapeDescription) and \(b.shapeDescription)")
        }
        let (m, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, n) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        guard k == k2 else {
            throw RuntimeError.shapeMismatch("matmul: inner dimensions differ: \(a.shapeDescription) · \(b.shapeDescription) (\(k) vs \(k2))")
        }
        let batchA = a.rank == 3 ? a.shape[0] : 1, batchB = b.rank == 3 ? b.shape[0] : 1
        guard batchA == batchB || batchA == 1 || batchB == 1 else {
            throw RuntimeError.shapeMismatch("matmul: batch sizes \(batchA) and \(batchB) do not broadcast (\(a.shapeDescription) · \(b.shapeDescription))")
        }
        let batch = max(batchA, batchB)
        let outShape = (a.rank == 3 || b.rank == 3) ? [batch, m, n] : [m, n]
        let g = MatmulGeometry(batch: batch, m: m, n: n, k: k,
                               strideA: batchA == 1 ? 0 : m * k, strideB: batchB == 1 ? 0 : k * n)
        let cost = g.cost(bias: false, aCount: a.count, bCount: b.count)
        switch backend {
        case .cpu:
            let x = try cpuValues(a), y = try cpuValues(b)
            return timedCPU("matmul", cost: cost) {
                var c = [Float](repeating: 0, count: batch * m * n)
                guard m > 0, n > 0, k > 0 else { return Tensor(shape: outShape, values: c) }
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeBufferPointer { yp in
                        c.withUnsafeMutableBufferPointer { cp in
                            for i in 0..<batch {
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                                            1, xp.baseAddress! + i * g.strideA, Int32(k), yp.baseAddress! + i * g.strideB, Int32(n),
                                            0, cp.baseAddress! + i * m * n, Int32(n))
                            }
                        }
                    }
                }
                return Tensor(shape: outShape, values: c)
            }
        case .opencl(let cl):
            return try matmulOpenCL(cl, g, a: a, b: b, outShape: outShape, cost: cost)
        }
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
            cost: { a in
                guard let x = a.tensors["input"], let w = a.tensors["weight"], w.rank == 2 else { return .zero }
                let rows = x.count / max(w.shape[1], 1)
                return MatmulGeometry(batch: 1, m: rows, n: w.shape[0], k: w.shape[1], strideA: 0, strideB: 0)
                    .cost(bias: a.tensors["bias"] != nil, aCount: x.count, bCount: w.count)
            },
            run: { engine, a in
                try engine.linear(try a.tensor("input", op: "linear"), weight: try a.tensor("weight", op: "linear"), bias: a.tensors["bias"])
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
            cost: { a in
                guard let x = a.tensors["input"], let y = a.tensors["other"], x.rank >= 2, y.rank >= 2 else { return .zero }
                let batch = max(x.rank == 3 ? x.shape[0] : 1, y.rank == 3 ? y.shape[0] : 1)
                return MatmulGeometry(batch: batch, m: x.shape[x.rank - 2], n: y.shape[y.rank - 1], k: x.shape[x.rank - 1], strideA: 0, strideB: 0)
                    .cost(bias: false, aCount: x.count, bCount: y.count)
            },
            run: { engine, a in
                try engine.matmul(try a.tensor("input", op: "matmul"), try a.tensor("other", op: "matmul"))
            })
        return [linear, matmul]
    }
}
