import Runtime

/// Nearest resampling of `[N, C, H, W]` to `[Ho, Wo]` with PyTorch's per-axis scales (kernel
/// `upsample_nearest2d`); reached by `upsampleNearest2d` and `resizeNearest2d`.
struct NearestResampleOp: EngineOp {
    let input: [Int]
    let size: [Int], scales: [Float]
    var planes: Int { input[0] * input[1] }

    /// `F.interpolate(mode="nearest", scale_factor=scale)` of `input` (checked).
    static func upsample(_ input: Tensor, scale: Int) throws -> OpCall {
        guard input.rank == 4, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("upsample nearest 2-D: input must be [N, C, H, W], got \(input.shapeDescription)")
        }
        guard scale >= 1 else { throw RuntimeError.shapeMismatch("upsample nearest 2-D: scale factor must be ≥ 1, got \(scale)") }
        let (h, w) = (input.shape[2], input.shape[3])
        let s = ResampleAxis.scale(input: h, output: h * scale, factor: scale)
        return OpCall(NearestResampleOp(input: input.shape, size: [h * scale, w * scale], scales: [s, s]), [input])
    }

    /// `F.interpolate(mode="nearest", size=size)` of `input` (checked).
    static func resize(_ input: Tensor, size: [Int]) throws -> OpCall {
        try Engine.checkResize(input, size: size, op: "resize nearest 2-D")
        let (h, w) = (input.shape[2], input.shape[3])
        return OpCall(NearestResampleOp(input: input.shape, size: size, scales: [ResampleAxis.scale(input: h, output: size[0], factor: nil),
                                                                                ResampleAxis.scale(input: w, output: size[1], factor: nil)]), [input])
    }

    var name: String { "interpolate_nearest" }
    var outputShape: [Int] { [input[0], input[1], size[0], size[1]] }
    var cost: KernelCost { KernelCost(flops: 0, bytes: 4 * Double(input.reduce(1, *) + planes * size[0] * size[1])) }
    var tolerance: Tolerance { ResampleOps.tolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        ResampleCPU.nearest2d(inputs[0], planes: planes, h: input[2], w: input[3], ho: size[0], wo: size[1], sh: scales[0], sw: scales[1])
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (h, w, ho, wo) = (input[2], input[3], size[0], size[1])
        if let factor = [2, 4].first(where: { ho == $0 * h && wo == $0 * w }) {
            // Exactly ×2 or ×4 (U-Nets' and decoders' upsampling, SPADE's label maps): each input
            // row copied `factor` times, widened.
            try l.context.launch("upsample_nearest2d_pow2", global: [(w + 7) / 8, planes * h], local: [8, 4],
                                 arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(w), .i(planes * h), .i(factor)], cost: l.cost)
            return
        }
        try l.context.launch("upsample_nearest2d", global: [(wo + 3) / 4, planes * ho], local: [16, 4],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(h), .i(w), .i(ho), .i(wo),
                                         .float(scales[0]), .float(scales[1]), .i(planes * ho)],
                             cost: l.cost)
    }
}

/// Bilinear resize of `[N, C, H, W]` to `[Ho, Wo]`, either align_corners (kernel `resize_bilinear2d`).
struct BilinearResizeOp: EngineOp {
    let input: [Int]
    let size: [Int], scales: [Float]
    let alignCorners: Bool
    var planes: Int { input[0] * input[1] }

    /// `F.interpolate(mode="bilinear", size=size, align_corners=alignCorners)` of `input` (checked).
    static func call(_ input: Tensor, size: [Int], alignCorners: Bool) throws -> OpCall {
        try Engine.checkResize(input, size: size, op: "resize bilinear 2-D")
        let (h, w, ho, wo) = (input.shape[2], input.shape[3], size[0], size[1])
        let scales = alignCorners
            ? [ResampleAxis.alignedScale(input: h, output: ho), ResampleAxis.alignedScale(input: w, output: wo)]
            : [ResampleAxis.scale(input: h, output: ho, factor: nil), ResampleAxis.scale(input: w, output: wo, factor: nil)]
        return OpCall(BilinearResizeOp(input: input.shape, size: size, scales: scales, alignCorners: alignCorners), [input])
    }

    var name: String { "interpolate_bilinear" }
    var outputShape: [Int] { [input[0], input[1], size[0], size[1]] }
    var cost: KernelCost {
        let outputs = Double(planes * size[0] * size[1])
        return KernelCost(flops: outputs * 6, bytes: 4 * (Double(input.reduce(1, *)) + outputs))
    }
    var tolerance: Tolerance { ResampleOps.tolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (h, w, ho, wo) = (input[2], input[3], size[0], size[1])
        let table = alignCorners ? ResampleAxis.linearAligned : ResampleAxis.linear
        let rows = (0..<ho).map { table($0, h, ho, scales[0]) }
        let columns = (0..<wo).map { table($0, w, wo, scales[1]) }
        return ResampleCPU.bilinear2d(inputs[0], planes: planes, input: [h, w], output: [ho, wo], rows: rows, columns: columns)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (h, w, ho, wo) = (input[2], input[3], size[0], size[1])
        try l.context.launch("resize_bilinear2d", global: [(wo + 7) / 8, ho, planes], local: [8, 4, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(h), .i(w), .i(ho), .i(wo),
                                         .float(scales[0]), .float(scales[1]), .i(planes), .i(alignCorners ? 1 : 0)],
                             cost: l.cost)
    }
}

/// Trilinear upsampling of `[N, C, D, H, W]` by integer factors (kernel `upsample_trilinear3d`).
struct TrilinearUpsampleOp: EngineOp {
    let batch: Int, channels: Int
    let inExtent: [Int], outExtent: [Int], scales: [Float]
    var planes: Int { batch * channels }

    /// `F.interpolate(mode="trilinear", scale_factor=scale)` of `input` (checked).
    static func call(_ input: Tensor, scale: [Int]) throws -> OpCall {
        guard input.rank == 5, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("upsample trilinear 3-D: input must be [N, C, D, H, W], got \(input.shapeDescription)")
        }
        guard scale.count == 3, scale.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("upsample trilinear 3-D: scale must be 3 factors ≥ 1 [sd, sh, sw], got \(scale)")
        }
        let inExtent = Array(input.shape[2...])
        let outExtent = (0..<3).map { inExtent[$0] * scale[$0] }
        let scales = (0..<3).map { ResampleAxis.scale(input: inExtent[$0], output: outExtent[$0], factor: scale[$0]) }
        return OpCall(TrilinearUpsampleOp(batch: input.shape[0], channels: input.shape[1], inExtent: inExtent, outExtent: outExtent,
                                          scales: scales), [input])
    }

    var name: String { "interpolate_trilinear" }
    var outputShape: [Int] { [batch, channels] + outExtent }
    var cost: KernelCost {
        let outputs = Double(planes * outExtent.reduce(1, *))
        return KernelCost(flops: outputs * 14, bytes: 4 * (Double(planes * inExtent.reduce(1, *)) + outputs))
    }
    var tolerance: Tolerance { ResampleOps.tolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        ResampleCPU.trilinear3d(inputs[0], planes: planes, input: inExtent, output: outExtent, scales: scales)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("upsample_trilinear3d", global: [(outExtent[2] + 7) / 8, outExtent[1], planes * outExtent[0]], local: [8, 4, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer),
                                         .i(inExtent[0]), .i(inExtent[1]), .i(inExtent[2]),
                                         .i(outExtent[0]), .i(outExtent[1]), .i(outExtent[2]),
                                         .float(scales[0]), .float(scales[1]), .float(scales[2]), .i(planes)],
                             cost: l.cost)
    }
}
