/// OpenCV's `cv2.warpAffine(src, M, (toWidth, toHeight), flags=INTER_LINEAR)` on 8-bit
/// interleaved pictures with a zero constant border, reproduced bit for bit (OpenCV 4.x; checked
/// against `cv2.warpAffine` in `OpenCVSamplingTests`). LivePortrait's cropper samples its face crop
/// this way before shrinking it with `INTER_AREA`.
///
/// OpenCV's arithmetic: `M` (source → destination) is inverted in double; each destination
/// pixel's source position is computed in fixed point with 10 fractional bits (`cvRound` of the
/// matrix terms, plus a rounding half-step), cut to 5 fractional bits (a 32 × 32 sub-pixel
/// table), and the four neighbours are blended with 15-bit integer weights (`(sum + 2^14) >> 15`).
/// Neighbours outside the picture read as 0.
public enum OpenCVWarp {
    /// Warps `pixels` (`width × height × channels` bytes) by the 2 × 3 row-major forward matrix
    /// `matrix` (source pixel → destination pixel, as passed to `cv2.warpAffine`).
    public static func affine(_ pixels: [UInt8], width: Int, height: Int, channels: Int,
                              matrix: [Double], toWidth: Int, toHeight: Int) throws(MediaError) -> [UInt8] {
        try affine(pixels, width: width, height: height, channels: channels, matrix: matrix,
                   window: PixelWindow(x: 0, y: 0, width: toWidth, height: toHeight))
    }

    /// A rectangle of destination pixels.
    public struct PixelWindow: Equatable, Sendable {
        /// Left column and top row in the destination.
        public var x: Int, y: Int
        /// Size in pixels.
        public var width: Int, height: Int

        /// A window of `width × height` pixels from (`x`, `y`).
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// Only the destination pixels in `window` of the same warp (`window.width × window.height ×
    /// channels` bytes), each exactly as the whole warp computes it: OpenCV's fixed-point positions
    /// depend on absolute destination coordinates, so a window is not a shifted matrix.
    public static func affine(_ pixels: [UInt8], width: Int, height: Int, channels: Int,
                              matrix: [Double], window: PixelWindow) throws(MediaError) -> [UInt8] {
        guard width > 0, height > 0, channels > 0, window.width > 0, window.height > 0 else {
            throw .invalidArgument("OpenCV warp from \(width)×\(height) to a \(window.width)×\(window.height) window with \(channels) channels: every size must be at least 1")
        }
        guard pixels.count == width * height * channels, matrix.count == 6, matrix.allSatisfy(\.isFinite) else {
            throw .invalidArgument("OpenCV warp: needs \(width * height * channels) bytes and 6 finite matrix terms, got \(pixels.count) bytes and \(matrix)")
        }
        let inverse = invert(matrix)
        let weights = subpixelWeights
        let scale = 1024.0  // AB_SCALE: 10 fractional bits
        let columns = window.x..<(window.x + window.width)
        let columnX = columns.map { Int((inverse[0] * Double($0) * scale).rounded(.toNearestOrEven)) }
        let columnY = columns.map { Int((inverse[3] * Double($0) * scale).rounded(.toNearestOrEven)) }
        var out = [UInt8](repeating: 0, count: window.width * window.height * channels)
        for row in 0..<window.height {
            let y = Double(window.y + row)
            let rowX = Int(((inverse[1] * y + inverse[2]) * scale).rounded(.toNearestOrEven)) + 16
            let rowY = Int(((inverse[4] * y + inverse[5]) * scale).rounded(.toNearestOrEven)) + 16
            for column in 0..<window.width {
                let fixedX = (rowX + columnX[column]) >> 5, fixedY = (rowY + columnY[column]) >> 5
                let sx = fixedX >> 5, sy = fixedY >> 5
                let w = weights[(fixedY & 31) * 32 + (fixedX & 31)]
                let outIndex = (row * window.width + column) * channels
                for c in 0..<channels {
                    func sample(_ px: Int, _ py: Int) -> Int {
                        px >= 0 && px < width && py >= 0 && py < height ? Int(pixels[(py * width + px) * channels + c]) : 0
                    }
                    let sum = sample(sx, sy) * w.0 + sample(sx + 1, sy) * w.1 + sample(sx, sy + 1) * w.2 + sample(sx + 1, sy + 1) * w.3
                    out[outIndex + c] = UInt8(clamping: (sum + (1 << 14)) >> 15)
                }
            }
        }
        return out
    }

    /// The inverse of a 2 × 3 affine map, computed as OpenCV computes it (a zero determinant gives zeros).
    static func invert(_ m: [Double]) -> [Double] {
        var determinant = m[0] * m[4] - m[1] * m[3]
        determinant = determinant != 0 ? 1 / determinant : 0
        let a = m[4] * determinant, b = -m[1] * determinant, d = -m[3] * determinant, e = m[0] * determinant
        return [a, b, -a * m[2] - b * m[5], d, e, -d * m[2] - e * m[5]]
    }

    /// The 32 × 32 table of bilinear weights (top-left, top-right, bottom-left, bottom-right) in
    /// 15-bit fixed point. With sub-pixel steps of 1/32 every product is exact in float, so each
    /// quadruple sums to exactly 2^15 and OpenCV's rounding fix-up never applies.
    static let subpixelWeights: [(Int, Int, Int, Int)] = (0..<32).flatMap { i in
        (0..<32).map { j -> (Int, Int, Int, Int) in
            let step = Float(1) / 32
            let vy: [Float] = [1 - Float(i) * step, Float(i) * step], vx: [Float] = [1 - Float(j) * step, Float(j) * step]
            let w = [0, 1].flatMap { a in [0, 1].map { b in Int((vy[a] * vx[b] * 32768).rounded(.toNearestOrEven)) } }
            return (w[0], w[1], w[2], w[3])
        }
    }
}

extension RGBImage {
    /// This picture as 8-bit bytes, warped exactly as `cv2.warpAffine(..., flags=INTER_LINEAR)`
    /// warps a uint8 picture with a black border (see `OpenCVWarp`), and read back (`v / 255`).
    public func warpedLikeOpenCV(matrix: [Double], width newWidth: Int, height newHeight: Int) throws(MediaError) -> RGBImage {
        let bytes = pixels.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) }
        let warped = try OpenCVWarp.affine(bytes, width: width, height: height, channels: 3, matrix: matrix, toWidth: newWidth, toHeight: newHeight)
        return try RGBImage(width: newWidth, height: newHeight, rgbBytes: warped)
    }
}
