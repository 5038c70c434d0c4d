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
        guard input.rank == 4, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("upsample nearest 2-D: input must be [N, C, H, W], got \(input.shapeDescription)")
        }
        guard scale >= 1 else { throw RuntimeError.shapeMismatch("upsample nearest 2-D: scale factor must be ≥ 1, got \(scale)") }
        let (h, w) = (input.shape[2], input.shape[3])
        let s = ResampleAxis.scale(input: h, output: h * scale, factor: scale)
        return try nearestResample(input, size: [h * scale, w * scale], scales: [s, s])
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
        guard input.rank == 5, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("upsample trilinear 3-D: input must be [N, C, D, H, W], got \(input.shapeDescription)")
        }
        guard scale.count == 3, scale.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("upsample trilinear 3-D: scale must be 3 factors ≥ 1 [sd, sh, sw], got \(scale)")
        }
        let planes = input.shape[0] * input.shape[1]
        let inExtent = Array(input.shape[2...])
        let outExtent = (0..<3).map { inExtent[$0] * scale[$0] }
        let scales = (0..<3).map { ResampleAxis.scale(input: inExtent[$0], output: outExtent[$0], factor: scale[$0]) }
        let outputShape = [input.shape[0], input.shape[1]] + outExtent
        let outputs = Double(planes * outExtent.reduce(1, *))
        let cost = KernelCost(flops: outputs * 14, bytes: 4 * (Double(input.count) + outputs))
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            return timedCPU("interpolate_trilinear", cost: cost) {
                Tensor(shape: outputShape, values: ResampleCPU.trilinear3d(x, planes: planes, input: inExtent, output: outExtent, scales: scales))
            }
        case .opencl(let cl):
            let out = try deviceOutput(cl, outputShape)
            try cl.launch("upsample_trilinear3d", global: [(outExtent[2] + 7) / 8, outExtent[1], planes * outExtent[0]], local: [8, 4, 1],
                          arguments: [.buffer(buffer(input)), .buffer(out.deviceBuffer!),
                                      .i(inExtent[0]), .i(inExtent[1]), .i(inExtent[2]),
                                      .i(outExtent[0]), .i(outExtent[1]), .i(outExtent[2]),
                                      .float(scales[0]), .float(scales[1]), .float(scales[2]), .i(planes)],
                          cost: cost)
            return out
        }
    }
}
