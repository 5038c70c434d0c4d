import Runtime

/// Geometry shared with the normalisation kernels in Kernels.cl. Which kernels run is
/// `variants.normReduction` / `normApply` (`NormKernelShape`): lane-strided on GPUs, segments
/// on CPUs.
enum GroupNormTiling {
    /// Work-items per tile (the kernel's `GN_LANES`).
    static let lanes = 64
    /// Elements per tile (the kernel's `GN_TILE` = lanes × 64).
    static let tile = 64 * 64
    /// Elements per work-item in `group_norm_partial_segments` (`GN_SEGMENT`).
    static let segment = 1024
    /// Elements per work-item in `norm_apply_segments` (`NORM_SEGMENT`).
    static let applySegment = 2048
}

extension Engine {
    /// Work-group shape for `norm_apply` over `[spatial, rows]`: up to 256 along the contiguous
    /// dimension (multiples of 8, PoCL's preferred multiple).
    static func normApplyLocal(spatial: Int) -> [Int] {
        var x = 8
        while x < 256 && x < spatial { x *= 2 }
        return [x, 1]
    }

    /// Three launches: tile partials, exact combination into per-row params, affine pass.
    func groupNormOpenCL(_ cl: OpenCLContext, _ input: Tensor, _ shape: GroupNormShape, _ affine: NormAffine, eps: Float,
                         relu: Bool, output out: Tensor) throws {
        guard let params = try groupNormParams(cl, input, shape, affine, eps: eps) else { return }
        let n = Double(shape.count), rows = shape.batch * shape.channels
        try launchNormApply(cl, x: try buffer(input), y: out.deviceBuffer!, params: params, spatial: shape.spatial, rows: rows, paramRows: rows,
                            relu: relu, cost: KernelCost(flops: n * 2, bytes: n * 8))
    }

    /// The per-(n, c) rows `(mean, rstd·γ, β)` of a group norm (nil for an empty input): tile
    /// partials (`norm.reduce`), then their exact combination (`group_norm_finalize`).
    func groupNormParams(_ cl: OpenCLContext, _ input: Tensor, _ shape: GroupNormShape, _ affine: NormAffine, eps: Float) throws -> DeviceBuffer? {
        guard let partials = try groupNormPartials(cl, input, shape, op: "group_norm") else { return nil }
        let numGroups = shape.batch * shape.groups
        let rows = shape.batch * shape.channels
        let params = try cl.makeBuffer(byteCount: rows * 3 * 4)
        let gamma = try affine.gamma.map { try buffer($0) }, beta = try affine.beta.map { try buffer($0) }
        let flags = (gamma != nil ? 1 : 0) | (beta != nil ? 2 : 0) | (affine.perSample ? 4 : 0)
        let (partial, perGroup, total) = (partials.buffer, partials.perGroup, partials.total)
        try cl.launch("group_norm_finalize", global: [numGroups], local: [1],
                      arguments: [.buffer(partial), .buffer(gamma ?? partial), .buffer(beta ?? partial), .buffer(params),
                                  .i(numGroups), .i(shape.groups), .i(shape.channels), .i(perGroup), .i(total),
                                  .i(shape.groupLength), .i(flags), .float(eps)],
                      cost: KernelCost(flops: Double(total * 6), bytes: Double(total * 12 + rows * 12)))
        return params
    }

    /// The `(count, mean, M2)` partials of every group of `input` (struct of arrays, `perGroup`
    /// per group, `total` in all; nil for an empty input): cache-resident tiles on GPUs
    /// (`group_norm_partial`), contiguous segments on CPUs (`group_norm_partial_segments`).
    func groupNormPartials(_ cl: OpenCLContext, _ input: Tensor, _ shape: GroupNormShape, op: String)
        throws -> (buffer: DeviceBuffer, perGroup: Int, total: Int)? {
        let x = try buffer(input)
        let numGroups = shape.batch * shape.groups
        guard shape.count > 0 else { return nil }
        let lanes = variants.normReduction == .lanes
        let tiles = (shape.groupLength + GroupNormTiling.tile - 1) / GroupNormTiling.tile
        let segments = (shape.groupLength + GroupNormTiling.segment - 1) / GroupNormTiling.segment
        let partialsPerGroup = lanes ? tiles * GroupNormTiling.lanes : segments
        let totalPartials = numGroups * partialsPerGroup
        guard shape.count < Int(Int32.max), totalPartials * 3 < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let partial = try cl.makeBuffer(byteCount: totalPartials * 3 * 4)
        let n = Double(shape.count)
        let partialCost = KernelCost(flops: n * 4, bytes: n * 4 + Double(totalPartials * 12))
        if lanes {
            try cl.launch("group_norm_partial", global: [tiles * GroupNormTiling.lanes, numGroups], local: [GroupNormTiling.lanes, 1],
                          arguments: [.buffer(x), .buffer(partial), .i(shape.groupLength), .i(tiles), .i(totalPartials)], cost: partialCost)
        } else {
            try cl.launch("group_norm_partial_segments", global: [segments, numGroups], local: [segments >= 8 ? 8 : 1, 1],
                          arguments: [.buffer(x), .buffer(partial), .i(shape.groupLength), .i(segments), .i(totalPartials)], cost: partialCost)
        }
        return (partial, partialsPerGroup, totalPartials)
    }

    /// Per-channel params from the running statistics, then the affine pass (with relu when `relu`).
    func batchNormOpenCL(_ cl: OpenCLContext, _ input: Tensor, runningMean: Tensor, runningVar: Tensor, weight: Tensor?, bias: Tensor?,
                         spatial: Int, eps: Float, relu: Bool = false, cost: KernelCost, output out: Tensor) throws {
        guard input.count > 0 else { return }
        guard input.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("batch_norm: \(input.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let channels = input.shape[1]
        let rows = input.count / spatial
        let x = try buffer(input)
        let rm = try buffer(runningMean), rv = try buffer(runningVar)
        let w = try weight.map { try buffer($0) }, b = try bias.map { try buffer($0) }
        let params = try cl.makeBuffer(byteCount: channels * 3 * 4)
        let flags = (w != nil ? 1 : 0) | (b != nil ? 2 : 0)
        try cl.launch("batch_norm_params", global: [channels], local: [8],
                      arguments: [.buffer(rm), .buffer(rv), .buffer(w ?? rm), .buffer(b ?? rm), .buffer(params),
                                  .i(channels), .i(flags), .float(eps)],
                      cost: KernelCost(flops: Double(channels * 4), bytes: Double(channels * 28)))
        try launchNormApply(cl, x: x, y: out.deviceBuffer!, params: params, spatial: spatial, rows: rows, paramRows: channels,
                            relu: relu, cost: cost)
    }

    /// `y = (x − mean) · scale + shift` per row: one element per work-item (`norm.apply=lanes`,
    /// GPUs) or contiguous `float8` runs per work-item (`segments`, CPUs).
    func launchNormApply(_ cl: OpenCLContext, x: DeviceBuffer, y: DeviceBuffer, params: DeviceBuffer,
                         spatial: Int, rows: Int, paramRows: Int, relu: Bool = false, cost: KernelCost) throws {
        if variants.normApply == .lanes {
            try cl.launch("norm_apply", global: [spatial, rows], local: Self.normApplyLocal(spatial: spatial),
                          arguments: [.buffer(x), .buffer(y), .buffer(params), .i(spatial), .i(rows), .i(paramRows), .i(relu ? 1 : 0)], cost: cost)
        } else {
            let segments = (spatial + GroupNormTiling.applySegment - 1) / GroupNormTiling.applySegment
            try cl.launch("norm_apply_segments", global: [segments, rows], local: [1, 1],
                          arguments: [.buffer(x), .buffer(y), .buffer(params), .i(spatial), .i(rows), .i(paramRows), .i(segments), .i(relu ? 1 : 0)], cost: cost)
        }
    }
}
