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
        try run(NearestResampleOp.resize(input, size: size))
    }

    /// `F.interpolate(mode="bilinear", align_corners=alignCorners, antialias=False)` to an output
    /// size `[Ho, Wo]`. With `alignCorners` the corner pixels of input and output coincide
    /// (source = o·(in−1)/(out−1)), as BiSeNet upsamples its logits; without it source =
    /// (o + ½)·in/out − ½ clamped at 0 (`resizeBilinear2d(_:size:)`).
    public func resizeBilinear2d(_ input: Tensor, size: [Int], alignCorners: Bool) throws -> Tensor {
        try run(BilinearResizeOp.call(input, size: size, alignCorners: alignCorners))
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
