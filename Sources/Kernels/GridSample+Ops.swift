import Runtime

/// `grid_sample`, 2-D and 3-D (inputs: `input`, `grid`).
struct GridSampleOp: EngineOp {
    let geometry: GridSampleGeometry
    let mode: GridSampleMode, padding: GridPadding, alignCorners: Bool

    var name: String { "grid_sample" }
    var outputShape: [Int] { geometry.outputShape }
    var cost: KernelCost { geometry.cost(mode: mode) }
    var tolerance: Tolerance { GridSampleOps.samplingTolerance }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        GridSampleCPU.sample(inputs[0], grid: inputs[1], geometry: geometry, mode: mode, padding: padding, alignCorners: alignCorners)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.engine.gridSampleOpenCL(l.context, l.inputs[0], grid: l.inputs[1], geometry: geometry, mode: mode,
                                      padding: padding, alignCorners: alignCorners, cost: l.cost, output: l.output)
    }
}

/// `affine_grid`: theta `[N, 2, 3]` / `[N, 3, 4]` over `size` to `[N, H, W, 2]` / `[N, D, H, W, 3]`.
struct AffineGridOp: EngineOp {
    let batch: Int
    /// (D, H, W), D = 1 for 2-D.
    let spatial: [Int]
    let volumetric: Bool, alignCorners: Bool
    let thetaCount: Int

    init(theta: [Int], size: [Int], alignCorners: Bool) throws {
        switch (theta.count == 3 ? Array(theta[1...]) : [], size.count) {
        case ([2, 3], 4): spatial = [1, size[2], size[3]]
        case ([3, 4], 5): spatial = Array(size[2...])
        default:
            throw RuntimeError.shapeMismatch("affine_grid: theta must be [N, 2, 3] with size [N, C, H, W], or [N, 3, 4] with size [N, C, D, H, W]; got theta \(theta), size \(size)")
        }
        guard theta[0] == size[0] else {
            throw RuntimeError.shapeMismatch("affine_grid: theta batch \(theta[0]) differs from size \(size)")
        }
        guard size.allSatisfy({ $0 >= 1 }) else { throw RuntimeError.shapeMismatch("affine_grid: size \(size) has an empty axis") }
        batch = size[0]; volumetric = size.count == 5; self.alignCorners = alignCorners
        thetaCount = theta.reduce(1, *)
    }

    var name: String { "affine_grid" }
    var outputShape: [Int] { volumetric ? [batch] + spatial + [3] : [batch, spatial[1], spatial[2], 2] }
    /// Per output coordinate one row of theta times (x, y[, z], 1): 3 (2-D: 2) multiplies and as
    /// many adds; bytes: the output and theta once.
    var cost: KernelCost {
        let values = Double(outputShape.reduce(1, *))
        return KernelCost(flops: values * (volumetric ? 6 : 4), bytes: 4 * (values + Double(thetaCount)))
    }
    var tolerance: Tolerance { Self.precision }
    /// The agreement required of `affine_grid` (a handful of multiply-adds per value).
    static let precision = Tolerance(absolute: 1e-6, relative: 1e-5)

    func cpu(_ inputs: [[Float]]) -> [Float] {
        GridSampleCPU.affineGrid(inputs[0], batch: batch, spatial: spatial, volumetric: volumetric, alignCorners: alignCorners)
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("affine_grid", global: [spatial.reduce(1, *), batch], local: [64, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(spatial[0]), .i(spatial[1]),
                                         .i(spatial[2]), .i(volumetric ? 3 : 2), .i(alignCorners ? 1 : 0)],
                             cost: l.cost)
    }
}

/// The MegaPortraits deformation grid: offsets `[N, 3, D, H, W]` → identity + offsets `[N, D, H, W, 3]`.
struct DeformationGridOp: EngineOp {
    let n: Int, d: Int, h: Int, w: Int

    init(offsets: [Int]) throws {
        guard offsets.count == 5, offsets[1] == 3, offsets.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("deformation_grid: offsets must be [N, 3, D, H, W], got \(offsets)")
        }
        (n, d, h, w) = (offsets[0], offsets[2], offsets[3], offsets[4])
    }

    var name: String { "deformation_grid" }
    var outputShape: [Int] { [n, d, h, w, 3] }
    var cost: KernelCost {
        let count = Double(n * 3 * d * h * w)
        return KernelCost(flops: count, bytes: 8 * count)
    }
    var tolerance: Tolerance { Self.precision }
    /// The agreement required of `deformation_grid` (one add per value).
    static let precision = Tolerance(absolute: 1e-6, relative: 1e-6)

    func cpu(_ inputs: [[Float]]) -> [Float] { GridSampleCPU.deformationGrid(inputs[0], batch: n, depth: d, height: h, width: w) }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("deformation_grid", global: [d * h * w, n], local: [64, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(d), .i(h), .i(w)],
                             cost: l.cost)
    }
}
