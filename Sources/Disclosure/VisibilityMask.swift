import Foundation

/// How far the watermark may move each pixel's luma without being seen: a per-pixel peak amplitude
/// in 8-bit levels, from the picture's local texture (contrast masking) and background luminance
/// (luminance masking), as perceptual watermarks and image codecs shape their noise.
///
/// - **Flat regions** (a wall, sky, smooth skin, a linear gradient) get `flatAmplitude`, two
///   levels: below the luminance-adapted visibility threshold of Chou & Li (≥ 3 levels at any
///   background luminance) and half the former uniform peak. One level would be safer still, but
///   the mark then no longer survives H.264 CRF 23 with margin (docs/disclosure.md, robustness).
/// - **Texture** raises it as Watson's contrast masking does (DCT quantisation, SID 1993): the
///   threshold grows as the masker's contrast to the power 0.7. The masker's contrast here is the
///   local *activity*: the mean absolute second difference (horizontal + vertical, / 4) over a 5×5
///   window, which is zero on a linear gradient and about the standard deviation on fine noise.
///   The activity is the least of the four 5×5 windows that have the pixel as a corner, so a flat
///   pixel beside a strong edge stays flat (no halo along contours).
/// - **Luminance**: the texture term is scaled by Chou & Li's luminance adaptation relative to
///   mid-grey (higher thresholds in dark and bright surroundings), at most ×2.
///
/// Written from the published models (Chou & Li, IEEE TCSVT 1995; Watson, SID Digest 1993); no
/// code copied.
public enum VisibilityMask {
    /// Peak change, in levels, on flat regions: two code values, below Chou & Li's smallest
    /// visibility threshold (3 levels, at mid-grey) and half the former uniform peak.
    public static let flatAmplitude: Float = 2
    /// Peak change, in levels, in the busiest texture: the former uniform peak, so no region is
    /// marked more strongly than before shaping.
    public static let maximumAmplitude: Float = 4
    /// Peak change per unit of masking (activity^0.7 × luminance factor).
    static let textureGain: Float = 2
    /// Watson's contrast-masking exponent.
    static let maskingExponent: Float = 0.7
    /// Activity at or below which even the largest luminance factor (2) keeps `flatAmplitude`.
    static let flatBelow = pow(flatAmplitude / (2 * textureGain), 1 / maskingExponent)
    /// Activity at or above which even the smallest luminance factor (1) reaches `maximumAmplitude`.
    static let fullAbove = pow(maximumAmplitude / textureGain, 1 / maskingExponent)
    /// Side of the windows activity and background luminance are measured over.
    static let window = 5

    /// The allowed peak change (levels) at each pixel of a `width`×`height` luma plane in 8-bit
    /// levels (0…255; values outside are clamped), row-major.
    public static func amplitude(luma: [Float], width w: Int, height h: Int) -> [Float] {
        precondition(luma.count == w * h && w > 0 && h > 0, "luma plane must hold width × height values")
        let y = luma.map { min(max($0, 0), 255) }
        let windowMean = DetectorSignal.boxMean(secondDifferences(y, width: w, height: h), width: w, height: h, box: window)
        let background = DetectorSignal.boxMean(y, width: w, height: h, box: window)
        let r = window / 2
        var out = [Float](repeating: flatAmplitude, count: w * h)
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let shared = SharedFloats(pointer: base)
            ParallelRows.forEach(h) { rows in
                for row in rows {
                    let up = max(0, row - r) * w, down = min(h - 1, row + r) * w
                    for x in 0..<w {
                        let left = max(0, x - r), right = min(w - 1, x + r)
                        let activity = min(min(windowMean[up + left], windowMean[up + right]),
                                           min(windowMean[down + left], windowMean[down + right]))
                        // Outside (flatBelow, fullAbove) the clamps decide; skip the power there.
                        guard activity > flatBelow else { continue }
                        guard activity < fullAbove else { shared.pointer[row * w + x] = maximumAmplitude; continue }
                        let masked = textureGain * luminanceFactor(background[row * w + x]) * pow(activity, maskingExponent)
                        shared.pointer[row * w + x] = min(maximumAmplitude, max(flatAmplitude, masked))
                    }
                }
            }
        }
        return out
    }

    /// (|∂²/∂x²| + |∂²/∂y²|) / 4 at each pixel, borders replicated: zero on any linear gradient,
    /// about the standard deviation of fine (pixel-scale) noise.
    static func secondDifferences(_ y: [Float], width w: Int, height h: Int) -> [Float] {
        var out = [Float](repeating: 0, count: w * h)
        for row in 0..<h {
            let up = max(0, row - 1) * w, here = row * w, down = min(h - 1, row + 1) * w
            for x in 0..<w {
                let c = y[here + x]
                let horizontal = y[here + max(0, x - 1)] - 2 * c + y[here + min(w - 1, x + 1)]
                let vertical = y[up + x] - 2 * c + y[down + x]
                out[here + x] = (abs(horizontal) + abs(vertical)) / 4
            }
        }
        return out
    }

    /// Chou & Li's luminance-adaptation threshold at background luminance `b` (levels) relative to
    /// its value at mid-grey (3 levels), clamped to 1…2: 1 at mid-grey, 2 in dark and bright surroundings.
    static func luminanceFactor(_ b: Float) -> Float {
        min(2, max(1, ChouLi.luminanceThreshold(b) / 3))
    }
}
