import Foundation
import Runtime

/// PyTorch's per-axis resampling arithmetic (`aten/src/ATen/native/UpSample.h`), shared by the
/// CPU path; the OpenCL kernels (`rs_nearest`, `rs_linear` in Kernels.cl) repeat it line by line.
enum ResampleAxis {
    /// The scale PyTorch uses along an axis: 1/factor for a given scale factor, else in/out
    /// (the same float for integer factors).
    static func scale(input: Int, output: Int, factor: Int?) -> Float {
        if let factor { return Float(1.0 / Double(factor)) }
        return Float(input) / Float(output)
    }

    /// `nearest_idx`: the source index of output `o`.
    @inline(__always)
    static func nearest(_ o: Int, input: Int, output: Int, scale: Float) -> Int {
        if output == input { return o }
        if output == 2 * input { return o >> 1 }
        return min(Int((Float(o) * scale).rounded(.down)), input - 1)
    }

    /// `compute_source_index_and_lambda` with align_corners=False: indices (i0, i1), weights (l0, l1).
    @inline(__always)
    static func linear(_ o: Int, input: Int, output: Int, scale: Float) -> (Int, Int, Float, Float) {
        if input == output { return (o, o, 1, 0) }
        var src = scale * (Float(o) + 0.5) - 0.5
        if src < 0 { src = 0 }
        let i = min(Int(src.rounded(.down)), input - 1)
        let lambda = min(max(src - Float(i), 0), 1)
        return (i, i + (i < input - 1 ? 1 : 0), 1 - lambda, lambda)
    }

    /// The linear tables of a whole axis.
    static func linearTable(input: Int, output: Int, scale: Float) -> [(Int, Int, Float, Float)] {
        (0..<output).map { linear($0, input: input, output: output, scale: scale) }
    }
}

extension Engine {
    /// `F.interpolate(mode="nearest")` 2-D by an integer scale factor: input `[N, C, H, W]` →
    /// `[N, C, H·s, W·s]`, output pixel (y, x) copies input (⌊y/s⌋, ⌊x/s⌋) (PyTorch's float
    /// index formula, which equals this for the factors used here).
    public func upsampleNearest2d(_ input: Tensor, scale: Int) throws -> Tensor {
        try run(NearestResampleOp.upsample(input, scale: scale))
    }

    /// `F.interpolate(mode="bilinear", align_corners=False, antialias=False)` to an output size
    /// `[Ho, Wo]`: input `[N, C, H, W]` → `[N, C, Ho, Wo]`. Downscaling reads only the 2×2 nearest
    /// pixels (no antialiasing), as PyTorch does.
    public func resizeBilinear2d(_ input: Tensor, size: [Int]) throws -> Tensor {
        try resizeBilinear2d(input, size: size, alignCorners: false)
    }

    /// `F.interpolate(mode="trilinear", align_corners=False)` by integer scale factors
    /// `[sd, sh, sw]` (e.g. `[2, 2, 2]`, `[1, 2, 2]`): input `[N, C, D, H, W]` →
    /// `[N, C, D·sd, H·sh, W·sw]`.
    public func upsampleTrilinear3d(_ input: Tensor, scale: [Int]) throws -> Tensor {
        try run(TrilinearUpsampleOp.call(input, scale: scale))
    }
}
