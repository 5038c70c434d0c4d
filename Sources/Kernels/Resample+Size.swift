import Foundation
import Runtime

extension ResampleAxis {
    /// The align_corners=True scale along an axis: (in − 1)/(out − 1) in float, 0 for a
    /// one-pixel output (PyTorch's `area_pixel_compute_scale`).
    static func alignedScale(input: Int, output: Int) -> Float {
        output > 1 ? Float(input - 1) / Float(output - 1) : 0
    }

    /// `compute_source_index_and_lambda` with align_corners=True: source = scale·o.
    @inline(__always)
    static func linearAligned(_ o: Int, input: Int, output: Int, scale: Float) -> (Int, Int, Float, Float) {
        if input == output { return (o, o, 1, 0) }
        let src = scale * Float(o)
        let i = min(Int(src.rounded(.down)), input - 1)
        let lambda = min(max(src - Float(i), 0), 1)
        return (i, i + (i < input - 1 ? 1 : 0), 1 - lambda, lambda)
    }
}

extension Engine {
    /// `F.interpolate(mode="nearest")` 2-D to an output size `[Ho, Wo]` (up or down, any ratio):
    /// output (y, x) copies input (min(⌊y·H/Ho⌋, H−1), min(⌊x·W/Wo⌋, W−1)) with PyTorch's float
    /// scale in/out. A `[N, C, 1, 1]` input is broadcast over the whole output.
    public func resizeNearest2d(_ input: Tensor, size: [Int]) throws -> Tensor {
        try Self.checkResize(input, size: size, op: "resize nearest 2-D")
        let (h, w) = (input.shape[2], input.shape[3])
        return try nearestResample(input, size: size, scales: [ResampleAxis.scale(input: h, output: size[0], factor: nil),
                                                               ResampleAxis.scale(input: w, output: size[1], factor: nil)])
    }

    /// Nearest resampling of a checked `[N, C, H, W]` input to `size` with PyTorch's per-axis
    /// scales (1/factor for a scale factor, in/out for a size).
    func nearestResample(_ input: Tensor, size: [Int], scales: [Float]) throws -> Tensor {
        let (planes, h, w) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let (ho, wo, sh, sw) = (size[0], size[1], scales[0], scales[1])
        let outputShape = [input.shape[0], input.shape[1], ho, wo]
        let cost = KernelCost(flops: 0, bytes: 4 * Double(input.count + planes * ho * wo))
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            return timedCPU("interpolate_nearest", cost: cost) {
                Tensor(shape: outputShape, values: ResampleCPU.nearest2d(x, planes: planes, h: h, w: w, ho: ho, wo: wo, sh: sh, sw: sw))
            }
        case .opencl(let cl):
            let out = try deviceOutput(cl, outputShape)
            try cl.launch("upsample_nearest2d", global: [(wo + 3) / 4, planes * ho], local: [16, 4],
                          arguments: [.buffer(buffer(input)), .buffer(out.deviceBuffer!), .i(h), .i(w), .i(ho), .i(wo),
                                      .float(sh), .float(sw), .i(planes * ho)],
                          cost: cost)
            return out
        }
    }

    /// `F.interpolate(mode="bilinear", align_corners=alignCorners, antialias=False)` to an output
    /// size `[Ho, Wo]`. With `alignCorners` the corner pixels of input and output coincide
    /// (source = o·(in−1)/(out−1)), as BiSeNet upsamples its logits; without it source =
    /// (o + ½)·in/out − ½ clamped at 0 (`resizeBilinear2d(_:size:)`).
    public func resizeBilinear2d(_ input: Tensor, size: [Int], alignCorners: Bool) throws -> Tensor {
        try Self.checkResize(input, size: size, op: "resize bilinear 2-D")
        let (planes, h, w) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let (ho, wo) = (size[0], size[1])
        let (sh, sw) = alignCorners
            ? (ResampleAxis.alignedScale(input: h, output: ho), ResampleAxis.alignedScale(input: w, output: wo))
            : (ResampleAxis.scale(input: h, output: ho, factor: nil), ResampleAxis.scale(input: w, output: wo, factor: nil))
        let outputShape = [input.shape[0], input.shape[1], ho, wo]
        let outputs = Double(planes * ho * wo)
        let cost = KernelCost(flops: outputs * 6, bytes: 4 * (Double(input.count) + outputs))
        switch backend {
        case .cpu:
            let x = try cpuValues(input)
            return timedCPU("interpolate_bilinear", cost: cost) {
                let table = alignCorners ? ResampleAxis.linearAligned : ResampleAxis.linear
                let rows = (0..<ho).map { table($0, h, ho, sh) }
                let columns = (0..<wo).map { table($0, w, wo, sw) }
                return Tensor(shape: outputShape, values: ResampleCPU.bilinear2d(x, planes: planes, input: [h, w], output: [ho, wo],
                                                                                 rows: rows, columns: columns))
            }
        case .opencl(let cl):
            let out = try deviceOutput(cl, outputShape)
            try cl.launch("resize_bilinear2d", global: [wo, ho], local: [16, 4],
                          arguments: [.buffer(buffer(input)), .buffer(out.deviceBuffer!), .i(h), .i(w), .i(ho), .i(wo),
                                      .float(sh), .float(sw), .i(planes), .i(alignCorners ? 1 : 0)],
                          cost: cost)
            return out
        }
    }

    /// Shape checks shared by the resize-to-size ops.
    static func checkResize(_ input: Tensor, size: [Int], op: String) throws {
        guard input.rank == 4, input.shape.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): input must be [N, C, H, W], got \(input.shapeDescription)")
        }
        guard size.count == 2, size.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("\(op): size must be [Ho, Wo] with positive values, got \(size)")
        }
    }
}
