import Runtime

extension Engine {
    /// Below this many rows `linear` reads the weight directly (`linear_rows`, bandwidth-bound
    /// anyway); from it on, the weight is transposed once per call and the register-tiled GEMM
    /// runs (the transpose is one pass over the weight, small next to ≥ 16 passes of GEMM).
    static let linearTiledRowThreshold = 16

    /// OpenCL linear (an empty reduction, in = 0, gives the bias or zeros: the k loops run zero times).
    func linearOpenCL(_ cl: OpenCLContext, _ g: MatmulGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                      cost: KernelCost, output result: Tensor) throws {
        guard g.m > 0, g.n > 0 else { return }
        let x = try buffer(input), w = try buffer(weight)
        let b = try bias.map { try buffer($0) }
        if g.m < Self.linearTiledRowThreshold {
            let global = [(g.n + 7) / 8, g.m]
            try cl.launch("linear_rows", global: global, local: try laneGroup(cl, kernel: "linear_rows", narrow: [8, 1], global: global),
                          arguments: [.buffer(x), .buffer(w), .buffer(b ?? w), .buffer(result.deviceBuffer!),
                                      .i(g.m), .i(g.n), .i(g.k), .i(b == nil ? 0 : 1)],
                          cost: cost)
            return
        }
        let transposed = try cl.makeBuffer(byteCount: g.n * g.k * 4)
        try cl.launch("linear_transpose", global: [g.n, g.k], local: [8, 8],
                      arguments: [.buffer(w), .buffer(transposed), .i(g.n), .i(g.k)],
                      cost: KernelCost(flops: 0, bytes: Double(g.n * g.k * 8)))
        try gemm(cl, a: x, b: transposed, bias: b, c: result.deviceBuffer!, g, cost: cost)
    }

    /// OpenCL matmul: one `gemm_nn_tile` launch over the whole batch.
    func matmulOpenCL(_ cl: OpenCLContext, _ g: MatmulGeometry, a: Tensor, b: Tensor, cost: KernelCost, output result: Tensor) throws {
        guard g.batch > 0, g.m > 0, g.n > 0 else { return }
        try gemm(cl, a: try buffer(a), b: try buffer(b), bias: nil, c: result.deviceBuffer!, g, cost: cost)
    }

    /// Enqueues `gemm_nn_tile` for C = A·B (+ bias) over the batch (C's batch stride is M·N).
    func gemm(_ cl: OpenCLContext, a: DeviceBuffer, b: DeviceBuffer, bias: DeviceBuffer?, c: DeviceBuffer,
                      _ g: MatmulGeometry, cost: KernelCost) throws {
        let tilesN = (g.n + 7) / 8
        let global = [tilesN, (g.m + 7) / 8, g.batch]
        try cl.launch("gemm_nn_tile", global: global, local: try laneGroup(cl, kernel: "gemm_nn_tile", narrow: [min(8, tilesN), 1, 1], global: global),
                      arguments: [.buffer(a), .buffer(b), .buffer(bias ?? a), .buffer(c), .i(g.m), .i(g.n), .i(g.k),
                                  .i(g.strideA), .i(g.strideB), .i(g.m * g.n), .i(bias == nil ? 0 : 1)],
                      cost: cost)
    }
}
