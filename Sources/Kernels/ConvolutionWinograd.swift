import Runtime

/// How convolutions are computed on OpenCL (`conv.algorithm`).
public enum ConvolutionAlgorithm: String, CaseIterable, Sendable {
    /// The register-tiled direct convolution (`ConvolutionTile`): no local memory (CPUs).
    case direct
    /// The local-memory tiled implicit GEMM (`conv_igemm`, tile `conv.igemm`), every convolution:
    /// the GPU-class kernel.
    case implicitGemm = "igemm"
    /// Winograd F(2×2, 3×3): input and weight transforms, 16 batched GEMMs, output transform;
    /// 2.25× fewer multiplies; stride-1 3×3 2-D convolutions only, the rest direct. Agrees with the direct convolution within the conv tolerance
    /// (`Tolerance.reduction`): the transforms add a few roundings per output, no cancellation.
    case winograd
    /// Winograd F(4×4, 3×3) (`ConvolutionWinograd4.swift`): stride-1 convolutions with a 3×3
    /// spatial kernel, 2-D and 3-D (the depth taps join the reduction); 4× fewer multiplies, the
    /// GEMM run by the direct tile kernels; the rest direct. Errors ≈ 10× the direct sum's,
    /// inside `Tolerance.reduction`. Stride-1 3×3×3 convolutions may take Winograd F(2×2×2,
    /// 3×3×3) instead (`conv.winograd3d`, `ConvolutionWinograd3D.swift`; OpenCL only), 2-D ones
    /// Winograd F(6×6, 3×3) (`conv.winograd`, `ConvolutionWinograd6.swift`; OpenCL only).
    case winograd4
}

extension Engine {
    /// Whether the Winograd path applies: a 2-D convolution (depth 1, no depth padding) with a
    /// 3×3 kernel and stride 1.
    static func winogradApplies(_ g: ConvolutionGeometry) -> Bool {
        g.kernel == [1, 3, 3] && g.stride == [1, 1, 1] && g.input[0] == 1 && g.padding[0] == 0
    }

    /// Winograd F(2×2, 3×3) on OpenCL: `winograd_weights_2x2` (U, 16 × Cout × Cin),
    /// `winograd_input_2x2` (V, 16 × Cin × P tiles), `gemm_nn_tile` over the 16 positions
    /// (M = U·V), `winograd_output_2x2` (Y = AᵀMA + bias, then `activation` when given). The GEMM
    /// is charged the direct convolution's `cost`, so GFLOP/s figures stay comparable between the
    /// algorithms.
    func convolutionWinograd(_ cl: OpenCLContext, _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?,
                             activation: FusedActivation? = nil, cost: KernelCost, output result: Tensor) throws {
        let (cin, cout) = (g.inputChannels, g.outputChannels)
        let (h, w) = (g.input[1], g.input[2])
        let (ho, wo) = (g.output[1], g.output[2])
        let (th, tw) = ((ho + 1) / 2, (wo + 1) / 2)
        let tiles = g.batch * th * tw
        guard tiles > 0, cout > 0 else { return }
        guard [cout * cin, cin * tiles, cout * tiles].allSatisfy({ 16 * $0 < Int(Int32.max) }) else {
            throw RuntimeError.shapeMismatch("conv2d (Winograd): transformed tensors exceed 2^31 elements; split the batch or use conv.algorithm=direct")
        }
        let u = try cl.makeBuffer(byteCount: 16 * cout * cin * 4)
        let v = try cl.makeBuffer(byteCount: 16 * cin * tiles * 4)
        let m = try cl.makeBuffer(byteCount: 16 * cout * tiles * 4)
        let weightBuffer = try buffer(weight)
        try cl.launch("winograd_weights_2x2", global: [cin, cout], local: [8, 8],
                      arguments: [.buffer(weightBuffer), .buffer(u), .i(cin), .i(cout)],
                      cost: KernelCost(flops: Double(cin * cout * 40), bytes: Double(cin * cout * 25 * 4)))
        try cl.launch("winograd_input_2x2", global: [tiles, cin], local: [16, 4],
                      arguments: [.buffer(try buffer(input)), .buffer(v), .i(cin), .i(h), .i(w), .i(g.padding[1]), .i(g.padding[2]),
                                  .i(th), .i(tw), .i(tiles)],
                      cost: KernelCost(flops: Double(cin * tiles * 32), bytes: Double(cin * tiles * 32 * 4)))
        let gemm = MatmulGeometry(batch: 16, m: cout, n: tiles, k: cin, strideA: cout * cin, strideB: cin * tiles)
        try self.gemm(cl, a: u, b: v, bias: nil, c: m, gemm, cost: cost)
        let biasBuffer = try bias.map { try buffer($0) }
        try cl.launch("winograd_output_2x2", variant: activation?.buildOptions ?? "", global: [tiles, cout], local: [16, 4],
                      arguments: [.buffer(m), .buffer(biasBuffer ?? m), .buffer(result.deviceBuffer!), .i(cout), .i(ho), .i(wo),
                                  .i(th), .i(tw), .i(tiles), .i(biasBuffer == nil ? 0 : 1)],
                      cost: KernelCost(flops: Double(cout * tiles * 24), bytes: Double(cout * tiles * 20 * 4)))
    }
}
