/// Resampling of `RGBImage`s.
///
/// Each axis is resampled on its own (separable filter):
/// - shrinking uses **area** averaging: every output pixel is the exact mean of the source
///   area it covers, fractional edge pixels weighted by their coverage (anti-aliased; equal
///   to PyTorch `interpolate(mode="area")` when the factor is an integer);
/// - enlarging uses **bilinear** interpolation with half-pixel centres (PyTorch
///   `interpolate(mode="bilinear", align_corners=False)`), edges clamped.
/// Same-size axes are copied unchanged.
extension RGBImage {
    /// This image resampled to `width × height` (see the type-level notes for the filter).
    public func resized(width newWidth: Int, height newHeight: Int) throws(MediaError) -> RGBImage {
        guard newWidth > 0, newHeight > 0 else {
            throw .invalidArgument("resize target \(newWidth)x\(newHeight) is empty; both sides must be at least 1")
        }
        if newWidth == width && newHeight == height { return self }
        let columns = Resampler.taps(from: width, to: newWidth)
        let rows = Resampler.taps(from: height, to: newHeight)
        // Horizontal pass: height × newWidth.
        var horizontal = [Float](repeating: 0, count: height * newWidth * 3)
        pixels.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let inRow = y * width * 3, outRow = y * newWidth * 3
                    for (x, taps) in columns.enumerated() {
                        var r: Float = 0, g: Float = 0, b: Float = 0
                        for tap in taps {
                            let i = inRow + tap.index * 3
                            r += src[i] * tap.weight
                            g += src[i + 1] * tap.weight
                            b += src[i + 2] * tap.weight
                        }
                        dst[outRow + x * 3] = r
                        dst[outRow + x * 3 + 1] = g
                        dst[outRow + x * 3 + 2] = b
                    }
                }
            }
        }
        // Vertical pass: newHeight × newWidth.
        var out = [Float](repeating: 0, count: newHeight * newWidth * 3)
        let rowLength = newWidth * 3
        horizontal.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (y, taps) in rows.enumerated() {
                    let outRow = y * rowLength
                    for tap in taps {
                        let inRow = tap.index * rowLength
                        for i in 0..<rowLength { dst[outRow + i] += src[inRow + i] * tap.weight }
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: newWidth, height: newHeight, pixels: out)
    }
}

/// Filter taps for one axis.
enum Resampler {
    /// One source sample and its weight in an output sample.
    struct Tap {
        let index: Int
        let weight: Float
    }

    /// For each of `outputs` samples, the source samples (of `inputs`) and weights summing to 1.
    static func taps(from inputs: Int, to outputs: Int) -> [[Tap]] {
        if inputs == outputs { return (0..<outputs).map { [Tap(index: $0, weight: 1)] } }
        let scale = Double(inputs) / Double(outputs)
        if scale > 1 {
            // Area: output o covers source [o·scale, (o+1)·scale).
            return (0..<outputs).map { o in
                let start = Double(o) * scale, end = Double(o + 1) * scale
                var taps: [Tap] = []
                var i = Int(start)
                while Double(i) < end && i < inputs {
                    let overlap = min(end, Double(i + 1)) - max(start, Double(i))
                    if overlap > 1e-12 { taps.append(Tap(index: i, weight: Float(overlap / scale))) }
                    i += 1
                }
                return taps
            }
        }
        // Bilinear, half-pixel centres: source coordinate (o + 0.5)·scale − 0.5, clamped at 0.
        return (0..<outputs).map { o in
            let position = max(0, (Double(o) + 0.5) * scale - 0.5)
            let left = min(Int(position), inputs - 1)
            let right = min(left + 1, inputs - 1)
            let fraction = Float(position - Double(left))
            if right == left || fraction == 0 { return [Tap(index: left, weight: 1)] }
            return [Tap(index: left, weight: 1 - fraction), Tap(index: right, weight: fraction)]
        }
    }
}
