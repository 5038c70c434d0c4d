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
    /// This image resampled to `width × height` with `filter` (`.areaBilinear`: see the
    /// type-level notes; `.bicubic`: PyTorch's bicubic, see `ResizeFilter`).
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResizeFilter = .areaBilinear) throws(MediaError) -> RGBImage {
        guard newWidth > 0, newHeight > 0 else {
            throw .invalidArgument("resize target \(newWidth)x\(newHeight) is empty; both sides must be at least 1")
        }
        if newWidth == width && newHeight == height { return self }
        switch filter {
        case .areaBilinear:
            return resampled(columns: Resampler.taps(from: width, to: newWidth), rows: Resampler.taps(from: height, to: newHeight))
        case .bicubic:
            var out = resampled(columns: Resampler.bicubicTaps(from: width, to: newWidth),
                                rows: Resampler.bicubicTaps(from: height, to: newHeight))
            for i in out.pixels.indices { out.pixels[i] = min(max(out.pixels[i], 0), 1) }
            return out
        case .opencv:
            return try resizedLikeOpenCV(width: newWidth, height: newHeight, interpolation: .linear)
        }
    }

    /// The separable two-pass resampling with per-axis taps (`columns`: one tap list per output x).
    private func resampled(columns: [[Resampler.Tap]], rows: [[Resampler.Tap]]) -> RGBImage {
        let newWidth = columns.count, newHeight = rows.count
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

/// How `RGBImage.resized` resamples.
public enum ResizeFilter: String, Sendable, CaseIterable {
    /// Area averaging when shrinking (anti-aliased), bilinear with half-pixel centres when enlarging.
    case areaBilinear = "area"
    /// PyTorch `F.interpolate(mode="bicubic", align_corners=False)` (Keys cubic, A = −0.75; source
    /// coordinate `(o + 0.5)·in/out − 0.5`, neighbours clamped to the edge; no anti-aliasing), then
    /// clipped to [0, 1] — the official EMOPortraits preprocessing of its face crops.
    case bicubic
    /// OpenCV on 8-bit values, as LivePortrait's official code prepares its inputs: `INTER_LINEAR`
    /// for a plain resize (`OpenCVResize`); as a framing, the cropper's warp + `INTER_AREA`
    /// (`RGBImage.framedLikeOpenCV`).
    case opencv
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

    /// PyTorch's bicubic taps (`upsample_bicubic2d`, align_corners=False): for each output sample,
    /// four source samples `floor(x)−1 … floor(x)+2` (clamped to the edge) with the Keys cubic
    /// weights (A = −0.75) of `t = x − floor(x)`, `x = (o + 0.5)·inputs/outputs − 0.5` (not clamped).
    static func bicubicTaps(from inputs: Int, to outputs: Int) -> [[Tap]] {
        let a = -0.75
        func near(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }        // |x| ≤ 1
        func far(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }   // 1 < |x| < 2
        let scale = Double(inputs) / Double(outputs)
        return (0..<outputs).map { o in
            let real = (Double(o) + 0.5) * scale - 0.5
            let base = Int(real.rounded(.down))
            let t = real - Double(base)
            let weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
            return (0..<4).map { k in Tap(index: min(max(base - 1 + k, 0), inputs - 1), weight: Float(weights[k])) }
        }
    }
}
