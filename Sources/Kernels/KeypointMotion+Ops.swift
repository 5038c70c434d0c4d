import Foundation
import Runtime

/// The shapes of LivePortrait's keypoint-driven motion ops: keypoints `[N, K, 3]` (x, y, z) of
/// the source and the driver over a `[D, H, W]` volume whose identity grid is
/// `G[d, h, w] = (x_w, y_h, z_d)`, each axis `2·(i/(n − 1)) − 1` (`make_coordinate_grid`).
struct KeypointVolume: Equatable {
    let batch: Int, keypoints: Int
    /// (D, H, W), each ≥ 2.
    let size: [Int]
    var voxels: Int { size.reduce(1, *) }

    init(source: [Int], driver: [Int], size: [Int], op: String) throws {
        guard source.count == 3, source[2] == 3, source.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): sourceKeypoints must be [N, K, 3] (x, y, z per keypoint), got \(source)")
        }
        guard driver == source else {
            throw RuntimeError.shapeMismatch("\(op): driverKeypoints must have the source's shape \(source), got \(driver)")
        }
        guard size.count == 3, size.allSatisfy({ $0 >= 2 }) else {
            throw RuntimeError.shapeMismatch("\(op): size must be [D, H, W] with every axis ≥ 2 (the grid divides by n − 1), got \(size)")
        }
        batch = source[0]; keypoints = source[1]; self.size = size
        guard batch * (keypoints + 1) * voxels * 3 < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): [\(batch), \(keypoints + 1)] + \(size) + [3] has more than 2^31 elements; split the batch")
        }
    }

    /// The identity grid's coordinate at `index` along an axis of `steps` points, in float32 as
    /// PyTorch forms it: `2 · (i / (n − 1)) − 1`.
    @inline(__always)
    static func coordinate(_ index: Int, steps: Int) -> Float { 2 * (Float(index) / Float(steps - 1)) - 1 }

    /// Calls `body(v, (x, y, z))` for every voxel v of the volume in (d, h, w) order.
    func forEachVoxel(_ body: (Int, SIMD3<Float>) -> Void) {
        let (d, h, w) = (size[0], size[1], size[2])
        var v = 0
        for z in 0..<d {
            for y in 0..<h {
                for x in 0..<w {
                    body(v, SIMD3(Self.coordinate(x, steps: w), Self.coordinate(y, steps: h), Self.coordinate(z, steps: d)))
                    v += 1
                }
            }
        }
    }

    /// Keypoint `k` (0-based) of sample `n` in a `[N, K, 3]` keypoint array.
    func keypoint(_ values: [Float], sample n: Int, _ k: Int) -> SIMD3<Float> {
        let i = 3 * (n * keypoints + k)
        return SIMD3(values[i], values[i + 1], values[i + 2])
    }

    /// The launch shape of `sparse_motion`: one work-item per voxel (x, then z·H + y) and
    /// (n, k ∈ 0...K), so that no work-item divides by the extents per voxel.
    var global: [Int] { [size[2], size[0] * size[1], batch * (keypoints + 1)] }

    /// The work-group of `sparse_motion`: a row of x (at most 64), one of everything else.
    var local: [Int] { [min(64, Engine.normApplyLocal(spatial: size[2])[0]), 1, 1] }
}

/// LivePortrait's `create_sparse_motions`: `[N, K + 1, D, H, W, 3]`, k = 0 the identity grid G,
/// k ≥ 1 `G − driver[k − 1] + source[k − 1]` (kernel `sparse_motion`). Inputs: source, driver.
struct SparseMotionOp: EngineOp {
    let volume: KeypointVolume
    var outputShape: [Int] { [volume.batch, volume.keypoints + 1] + volume.size + [3] }
    var count: Int { outputShape.reduce(1, *) }

    var name: String { "sparse_motion" }
    /// 2 FLOPs per value of the K keypoint grids; bytes: the output once.
    var cost: KernelCost {
        KernelCost(flops: Double(volume.batch * volume.keypoints * volume.voxels * 3 * 2), bytes: Double(count) * 4)
    }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (source, driver) = (inputs[0], inputs[1])
        let (k1, voxels) = (volume.keypoints + 1, volume.voxels)
        var y = [Float](repeating: 0, count: count)
        volume.forEachVoxel { v, g in
            for n in 0..<volume.batch {
                for k in 0..<k1 {
                    let p = k == 0 ? g : (g - volume.keypoint(driver, sample: n, k - 1)) + volume.keypoint(source, sample: n, k - 1)
                    let o = ((n * k1 + k) * voxels + v) * 3
                    y[o] = p.x; y[o + 1] = p.y; y[o + 2] = p.z
                }
            }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let s = volume.size
        try l.context.launch("sparse_motion", global: volume.global, local: volume.local,
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.outputBuffer),
                                         .i(volume.keypoints), .i(s[0]), .i(s[1]), .i(s[2])],
                             cost: l.cost)
    }
}

/// LivePortrait's `create_heatmap_representations`: `[N, K + 1, 1, D, H, W]`, k = 0 zeros, k ≥ 1
/// `exp(−0.5·‖G − driver‖²/variance) − exp(−0.5·‖G − source‖²/variance)` (kernel
/// `keypoint_heatmaps`). Inputs: source, driver.
struct KeypointHeatmapOp: EngineOp {
    let volume: KeypointVolume
    let variance: Float
    var outputShape: [Int] { [volume.batch, volume.keypoints + 1, 1] + volume.size }
    var count: Int { outputShape.reduce(1, *) }

    var name: String { "keypoint_heatmaps" }
    /// Per voxel and keypoint two Gaussians of 11 FLOPs (3 differences, 3 squares, 2 adds, the
    /// scale, the division, exp) and their difference; bytes: the output once.
    var cost: KernelCost { KernelCost(flops: Double(volume.batch * volume.keypoints * volume.voxels * 23), bytes: Double(count) * 4) }
    var tolerance: Tolerance { Self.precision }
    /// The agreement required of `keypoint_heatmaps` (exp of a distance; values in [−1, 1]).
    static let precision = Tolerance(absolute: 2e-6, relative: 1e-5)

    /// `exp(−0.5·‖g − kp‖²/variance)` in PyTorch's order (squares summed x, y, z; scaled, divided).
    @inline(__always)
    func gaussian(_ g: SIMD3<Float>, _ kp: SIMD3<Float>) -> Float {
        let d = g - kp
        let squares = d.x * d.x + d.y * d.y + d.z * d.z
        return Foundation.exp(-0.5 * squares / variance)
    }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (source, driver) = (inputs[0], inputs[1])
        let (k1, voxels) = (volume.keypoints + 1, volume.voxels)
        var y = [Float](repeating: 0, count: count)
        volume.forEachVoxel { v, g in
            for n in 0..<volume.batch {
                for k in 1..<k1 {
                    y[(n * k1 + k) * voxels + v] = gaussian(g, volume.keypoint(driver, sample: n, k - 1))
                        - gaussian(g, volume.keypoint(source, sample: n, k - 1))
                }
            }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let s = volume.size
        // 8 voxels of a row per work-item (the kernel's vector exp).
        let global = [(s[2] + 7) / 8, s[0] * s[1], volume.batch * (volume.keypoints + 1)]
        try l.context.launch("keypoint_heatmaps", global: global, local: [min(8, global[0]), 1, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.outputBuffer),
                                         .i(volume.keypoints), .i(s[0]), .i(s[1]), .i(s[2]), .float(variance)],
                             cost: l.cost)
    }
}

/// LivePortrait's deformation `Σ_k mask[n, k] · motion[n, k]`: mask `[N, K, D, H, W]`, motion
/// `[N, K, D, H, W, 3]` → `[N, D, H, W, 3]` (kernel `weighted_motion_sum`, one work-item per voxel).
/// Inputs: mask, motion.
struct WeightedMotionSumOp: EngineOp {
    let batch: Int, terms: Int, voxels: Int
    let outputShape: [Int]

    /// The checked call.
    static func call(mask: Tensor, motion: Tensor) throws -> OpCall {
        let op = "weighted_motion_sum"
        guard mask.rank == 5, mask.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): mask must be [N, K, D, H, W] with no empty dim, got \(mask.shapeDescription)")
        }
        guard motion.shape == mask.shape + [3] else {
            throw RuntimeError.shapeMismatch("\(op): motion must be \(mask.shape + [3]) (the mask's shape plus (x, y, z)), got \(motion.shapeDescription)")
        }
        guard motion.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(motion.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let s = mask.shape
        return OpCall(WeightedMotionSumOp(batch: s[0], terms: s[1], voxels: s[2] * s[3] * s[4], outputShape: [s[0]] + Array(s[2...]) + [3]),
                      [mask, motion])
    }

    var name: String { "weighted_motion_sum" }
    /// A multiply-add per motion value; bytes: mask, motion and output once.
    var cost: KernelCost {
        let values = Double(batch * terms * voxels)
        return KernelCost(flops: values * 3 * 2, bytes: 4 * (values * 4 + Double(batch * voxels * 3)))
    }
    var tolerance: Tolerance { .tight }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        let (mask, motion) = (inputs[0], inputs[1])
        var y = [Float](repeating: 0, count: batch * voxels * 3)
        for n in 0..<batch {
            for v in 0..<voxels {
                var acc = SIMD3<Float>(repeating: 0)
                for k in 0..<terms {
                    let m = (n * terms + k) * voxels + v
                    acc += mask[m] * SIMD3(motion[3 * m], motion[3 * m + 1], motion[3 * m + 2])
                }
                let o = 3 * (n * voxels + v)
                y[o] = acc.x; y[o + 1] = acc.y; y[o + 2] = acc.z
            }
        }
        return y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        try l.context.launch("weighted_motion_sum", global: [voxels, batch], local: [64, 1],
                             arguments: [.buffer(l.input(0)), .buffer(l.input(1)), .buffer(l.outputBuffer), .i(terms), .i(voxels)],
                             cost: l.cost)
    }
}

extension Engine {
    /// LivePortrait's sparse motions (`create_sparse_motions`): keypoints `[N, K, 3]` (x, y, z)
    /// over a volume of `size` `[D, H, W]` (each ≥ 2) → `[N, K + 1, D, H, W, 3]`. k = 0 is the
    /// identity grid `G[d, h, w] = (x_w, y_h, z_d)`, each axis `2·i/(n − 1) − 1` (corner-aligned,
    /// although the warp samples with align_corners=False: reproduced, not corrected); k ≥ 1 is
    /// `G − driver[k − 1] + source[k − 1]`, in that order.
    public func sparseMotion(sourceKeypoints: Tensor, driverKeypoints: Tensor, size: [Int]) throws -> Tensor {
        let volume = try KeypointVolume(source: sourceKeypoints.shape, driver: driverKeypoints.shape, size: size, op: "sparse_motion")
        return try run(SparseMotionOp(volume: volume), [sourceKeypoints, driverKeypoints])
    }

    /// LivePortrait's keypoint heatmaps (`create_heatmap_representations`): `[N, K + 1, 1, D, H, W]`,
    /// k = 0 zeros, k ≥ 1 `exp(−0.5·‖G − driver[k − 1]‖²/variance) − exp(−0.5·‖G − source[k − 1]‖²/variance)`
    /// with the identity grid G of `sparseMotion`. Keypoints `[N, K, 3]`, `size` `[D, H, W]` (each ≥ 2).
    public func keypointHeatmaps(sourceKeypoints: Tensor, driverKeypoints: Tensor, size: [Int], variance: Float = 0.01) throws -> Tensor {
        let volume = try KeypointVolume(source: sourceKeypoints.shape, driver: driverKeypoints.shape, size: size, op: "keypoint_heatmaps")
        return try run(KeypointHeatmapOp(volume: volume, variance: variance), [sourceKeypoints, driverKeypoints])
    }

    /// LivePortrait's deformation from the softmax mask: `Σ_k mask[:, k] · motion[:, k]` with mask
    /// `[N, K, D, H, W]` and motion `[N, K, D, H, W, 3]` (e.g. `sparseMotion`'s output) →
    /// `[N, D, H, W, 3]`, a grid for `gridSample`. Terms are added in k order.
    public func weightedMotionSum(mask: Tensor, motion: Tensor) throws -> Tensor {
        try run(WeightedMotionSumOp.call(mask: mask, motion: motion))
    }
}
