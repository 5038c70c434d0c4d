/// The just-noticeable-difference model of Chou & Li ("A perceptually tuned subband image coder
/// based on the measure of just-noticeable-distortion profile", IEEE TCSVT 5(6), 1995): the
/// luminance change, in 8-bit levels, a viewer just notices at a pixel, from its background
/// luminance and the strongest luminance gradient around it. Used to shape the watermark's
/// luminance masking and, in the tests and benchmark, to measure how visible the mark is.
public enum ChouLi {
    /// The visibility threshold on a flat background of luminance `b` (levels): 20 on black,
    /// 3 at mid-grey (127), rising to 6 on white.
    public static func luminanceThreshold(_ b: Float) -> Float {
        b <= 127 ? 17 * (1 - (b / 127).squareRoot()) + 3 : 3 / 128 * (b - 127) + 3
    }

    /// The JND at every pixel of a luma plane (levels, row-major): the larger of the luminance
    /// threshold and the texture (edge) masking threshold `mg·α(bg) + β(bg)`, where `bg` is the
    /// weighted 5×5 background mean and `mg` the largest of four directional 5×5 gradients.
    /// Pixels within two of the border use replicated neighbours.
    public static func threshold(luma: [Float], width w: Int, height h: Int) -> [Float] {
        precondition(luma.count == w * h && w > 0 && h > 0, "luma plane must hold width × height values")
        let background: [Float] = [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 0, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1]
        let gradients: [[Float]] = [
            [0, 0, 0, 0, 0, 1, 3, 8, 3, 1, 0, 0, 0, 0, 0, -1, -3, -8, -3, -1, 0, 0, 0, 0, 0],
            [0, 0, 1, 0, 0, 0, 8, 3, 0, 0, 1, 3, 0, -3, -1, 0, 0, -3, -8, 0, 0, 0, -1, 0, 0],
            [0, 0, 1, 0, 0, 0, 0, 3, 8, 0, -1, -3, 0, 3, 1, 0, -8, -3, 0, 0, 0, 0, -1, 0, 0],
            [0, 1, 0, -1, 0, 0, 3, 0, -3, 0, 0, 8, 0, -8, 0, 0, 3, 0, -3, 0, 0, 1, 0, -1, 0],
        ]
        var out = [Float](repeating: 0, count: w * h)
        var window = [Float](repeating: 0, count: 25)
        for row in 0..<h {
            for x in 0..<w {
                for j in 0..<5 {
                    let yy = min(h - 1, max(0, row + j - 2)) * w
                    for i in 0..<5 { window[j * 5 + i] = luma[yy + min(w - 1, max(0, x + i - 2))] }
                }
                var bg: Float = 0
                for k in 0..<25 { bg += window[k] * background[k] }
                bg /= 32
                var mg: Float = 0
                for g in gradients {
                    var s: Float = 0
                    for k in 0..<25 { s += window[k] * g[k] }
                    mg = max(mg, abs(s) / 16)
                }
                let texture = mg * (0.0001 * bg + 0.115) + (0.5 - 0.01 * bg)
                out[row * w + x] = max(texture, luminanceThreshold(bg))
            }
        }
        return out
    }
}
