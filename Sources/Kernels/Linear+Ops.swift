import CBLAS
import Runtime

/// `linear`: `input [..., in]` · `weight [out, in]`ᵀ (+ `bias [out]`). Inputs: input, weight, bias?.
struct LinearOp: EngineOp {
    let geometry: MatmulGeometry
    let outputShape: [Int]
    let bias: Bool
    let inputCount: Int, weightCount: Int

    /// The checked call.
    static func call(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> OpCall {
        guard weight.rank == 2 else { throw RuntimeError.shapeMismatch("linear: weight must be [out, in], got \(weight.shapeDescription)") }
        let (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
        guard input.rank >= 1, input.shape.last == inFeatures else {
            throw RuntimeError.shapeMismatch("linear: input \(input.shapeDescription) must end in \(inFeatures) features to match weight \(weight.shapeDescription)")
        }
        if let bias, bias.shape != [outFeatures] {
            throw RuntimeError.shapeMismatch("linear: bias must be [\(outFeatures)] for weight \(weight.shapeDescription), got \(bias.shapeDescription)")
        }
        let rows = input.count / max(inFeatures, 1)
        let op = LinearOp(geometry: MatmulGeometry(batch: 1, m: rows, n: outFeatures, k: inFeatures, strideA: 0, strideB: 0),
                          outputShape: Array(input.shape.dropLast()) + [outFeatures], bias: bias != nil,
                          inputCount: input.count, weightCount: weight.count)
        return OpCall(op, [input, weight] + [bias].compactMap { $0 })
    }

    var name: String { "linear" }
    var cost: KernelCost { geometry.cost(bias: bias, aCount: inputCount, bCount: weightCount) }
    var tolerance: Tolerance { .reduction }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, w, b) = (inputs[0], inputs[1], bias ? inputs[2] : nil)
        let (rows, outFeatures, inFeatures) = (geometry.m, geometry.n, geometry.k)
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
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.engine.linearOpenCL(l.context, geometry, input: l.inputs[0], weight: l.inputs[1], bias: bias ? l.inputs[2] : nil,
                                  cost: l.cost, output: l.output)
    }
}

/// `matmul` of 2-D and 3-D operands, broadcasting a batch of 1 (one `gemm_nn_tile` launch).
struct MatmulOp: EngineOp {
    let geometry: MatmulGeometry
    let outputShape: [Int]
    let aCount: Int, bCount: Int

    /// The checked call.
    static func call(_ a: Tensor, _ b: Tensor) throws -> OpCall {
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
        let g = MatmulGeometry(batch: batch, m: m, n: n, k: k, strideA: batchA == 1 ? 0 : m * k, strideB: batchB == 1 ? 0 : k * n)
        let op = MatmulOp(geometry: g, outputShape: (a.rank == 3 || b.rank == 3) ? [batch, m, n] : [m, n], aCount: a.count, bCount: b.count)
        return OpCall(op, [a, b])
    }

    var name: String { "matmul" }
    var cost: KernelCost { geometry.cost(bias: false, aCount: aCount, bCount: bCount) }
    var tolerance: Tolerance { .reduction }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (x, y, g) = (inputs[0], inputs[1], geometry)
        var c = [Float](repeating: 0, count: g.batch * g.m * g.n)
        guard g.m > 0, g.n > 0, g.k > 0 else { return c }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                c.withUnsafeMutableBufferPointer { cp in
                    for i in 0..<g.batch {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(g.m), Int32(g.n), Int32(g.k),
                                    1, xp.baseAddress! + i * g.strideA, Int32(g.k), yp.baseAddress! + i * g.strideB, Int32(g.n),
                                    0, cp.baseAddress! + i * g.m * g.n, Int32(g.n))
                    }
                }
            }
        }
        return c
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.engine.matmulOpenCL(l.context, geometry, a: l.inputs[0], b: l.inputs[1], cost: l.cost, output: l.output)
    }
}
