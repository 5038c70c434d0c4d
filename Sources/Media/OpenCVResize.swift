/// OpenCV's `cv2.resize` on 8-bit interleaved pictures, reproduced bit for bit (OpenCV 4.x as
/// LivePortrait pins it, `opencv-python` 4.10; checked against `cv2.resize` on odd sizes and scale
/// factors in `OpenCVSamplingTests`).
///
/// Networks whose official code prepares pictures with OpenCV (LivePortrait) must see the same
/// bytes, so this follows OpenCV's arithmetic, not a textbook filter:
/// - **linear** (`INTER_LINEAR`): half-pixel centres; 11-bit fixed-point weights rounded half to
///   even from float; the horizontal pass sums in integers, the vertical pass in OpenCV's
///   vectorised form (each product shifted right by 4 and 16, then `(sum + 2) >> 2`), which is
///   what x86 builds run. Horizontal weights are clamped at the picture's edges, vertical ones are
///   not (their rows are). An exact 2× shrink on both axes is done as `INTER_AREA`, as OpenCV does.
/// - **area** (`INTER_AREA`): integer factors average their blocks (2×2: `(sum + 2) >> 2`, others
///   `sum × (1/area)` rounded half to even); other shrinks weight each source pixel by its
///   coverage in float, in OpenCV's order; enlarging on either axis falls back to linear with
///   OpenCV's area-mode weights.
public enum OpenCVResize {
    /// The interpolation flag of `cv2.resize`.
    public enum Interpolation: String, Sendable, CaseIterable {
        /// `cv2.INTER_LINEAR` (OpenCV's default).
        case linear
        /// `cv2.INTER_AREA`.
        case area
    }

    /// `cv2.resize(src, (toWidth, toHeight), interpolation:)` for an interleaved 8-bit picture
    /// with `channels` channels per pixel; `pixels.count` must be `width * height * channels`.
    public static func resize(_ pixels: [UInt8], width: Int, height: Int, channels: Int,
                              toWidth: Int, toHeight: Int, interpolation: Interpolation) throws(MediaError) -> [UInt8] {
        guard width > 0, height > 0, channels > 0, toWidth > 0, toHeight > 0 else {
            throw .invalidArgument("OpenCV resize from \(width)×\(height) to \(toWidth)×\(toHeight) with \(channels) channels: every size must be at least 1")
        }
        guard pixels.count == width * height * channels else {
            throw .invalidArgument("OpenCV resize: a \(width)×\(height) picture with \(channels) channels needs \(width * height * channels) bytes, got \(pixels.count)")
        }
        let picture = Picture(bytes: pixels, width: width, height: height, channels: channels)
        if width == toWidth && height == toHeight { return pixels }
        let scaleX = Axis(source: width, destination: toWidth), scaleY = Axis(source: height, destination: toHeight)
        let integerFactors = scaleX.integerFactor.flatMap { fx in scaleY.integerFactor.map { (fx, $0) } }
        switch interpolation {
        case .linear:
            if let (fx, fy) = integerFactors, fx == 2, fy == 2 { return picture.areaBlocks(factorX: 2, factorY: 2) }
            return picture.linear(columns: scaleX.linearWeights(clamped: true, areaMode: false),
                                  rows: scaleY.linearWeights(clamped: false, areaMode: false), toWidth: toWidth, toHeight: toHeight)
        case .area:
            if scaleX.scale >= 1 && scaleY.scale >= 1 {
                if let (fx, fy) = integerFactors { return picture.areaBlocks(factorX: fx, factorY: fy) }
                return picture.areaCoverage(columns: scaleX.coverageTable(), rows: scaleY.coverageTable(), toWidth: toWidth, toHeight: toHeight)
            }
            return picture.linear(columns: scaleX.linearWeights(clamped: true, areaMode: true),
                                  rows: scaleY.linearWeights(clamped: false, areaMode: true), toWidth: toWidth, toHeight: toHeight)
        }
    }
}

extension RGBImage {
    /// This picture as 8-bit bytes (each channel clamped and rounded), resized exactly as
    /// `cv2.resize` resizes a uint8 picture, and read back (`v / 255`). See `OpenCVResize`.
    public func resizedLikeOpenCV(width newWidth: Int, height newHeight: Int,
                                  interpolation: OpenCVResize.Interpolation) throws(MediaError) -> RGBImage {
        let bytes = pixels.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) }
        let resized = try OpenCVResize.resize(bytes, width: width, height: height, channels: 3,
                                              toWidth: newWidth, toHeight: newHeight, interpolation: interpolation)
        return try RGBImage(width: newWidth, height: newHeight, rgbBytes: resized)
    }
}

/// One axis of a resize: OpenCV's scale factors and the per-output-pixel taps it derives from them.
private struct Axis {
    let source: Int
    let destination: Int
    /// OpenCV's `inv_scale` (destination / source) and `scale` (its reciprocal), as doubles.
    let inverseScale: Double
    let scale: Double

    init(source: Int, destination: Int) {
        self.source = source
        self.destination = destination
        inverseScale = Double(destination) / Double(source)
        scale = 1 / inverseScale
    }

    /// The factor when `scale` is an integer (to within `DBL_EPSILON`, OpenCV's test), else nil.
    var integerFactor: Int? {
        let rounded = scale.rounded(.toNearestOrEven)
        return abs(scale - rounded) < Double.ulpOfOne ? Int(rounded) : nil
    }

    /// Two-tap fixed-point weights (11 fractional bits) per output pixel: the first source index
    /// and the weights of it and the next. `clamped` pulls taps left of the first pixel or right of
    /// the last onto that pixel with weights (2048, 0), as OpenCV does horizontally.
    func linearWeights(clamped: Bool, areaMode: Bool) -> [(index: Int, w0: Int32, w1: Int32)] {
        (0..<destination).map { d in
            var index: Int
            var fraction: Float
            if areaMode {
                index = Int((Double(d) * scale).rounded(.down))
                fraction = Float(Double(d + 1) - Double(index + 1) * inverseScale)
                fraction = fraction <= 0 ? 0 : fraction - fraction.rounded(.down)
            } else {
                let position = Float((Double(d) + 0.5) * scale - 0.5)
                let floor = position.rounded(.down)
                index = Int(floor)
                fraction = position - floor
            }
            if clamped {
                if index < 0 { index = 0; fraction = 0 }
                if index >= source - 1 { index = source - 1; fraction = 0 }
            }
            let w0 = Int32(((1 - fraction) * 2048).rounded(.toNearestOrEven))
            let w1 = Int32((fraction * 2048).rounded(.toNearestOrEven))
            return (index, w0, w1)
        }
    }

    /// OpenCV's area table: (output index, source index, weight) in its order, each weight the
    /// share of the output cell that the source pixel covers.
    func coverageTable() -> [(output: Int, input: Int, weight: Float)] {
        var table: [(output: Int, input: Int, weight: Float)] = []
        for d in 0..<destination {
            let start = Double(d) * scale, end = start + scale
            let cellWidth = min(scale, Double(source) - start)
            var first = Int(start.rounded(.up))
            let last = min(Int(end.rounded(.down)), source - 1)
            first = min(first, last)
            if Double(first) - start > 1e-3 { table.append((d, first - 1, Float((Double(first) - start) / cellWidth))) }
            for s in stride(from: first, to: last, by: 1) { table.append((d, s, Float(1 / cellWidth))) }
            if end - Double(last) > 1e-3 { table.append((d, last, Float(min(min(end - Double(last), 1), cellWidth) / cellWidth))) }
        }
        return table
    }
}

/// An interleaved 8-bit picture and OpenCV's three resampling kernels over it.
private struct Picture {
    let bytes: [UInt8]
    let width: Int
    let height: Int
    let channels: Int

    /// Separable two-tap fixed-point interpolation (OpenCV's `HResizeLinear` + the vectorised
    /// `VResizeLinear` for 8-bit): rows outside the picture are clamped to its edge rows.
    func linear(columns: [(index: Int, w0: Int32, w1: Int32)], rows: [(index: Int, w0: Int32, w1: Int32)],
                toWidth: Int, toHeight: Int) -> [UInt8] {
        let rowLength = toWidth * channels
        var horizontal = [Int32](repeating: 0, count: height * rowLength)
        for y in 0..<height {
            let inRow = y * width * channels, outRow = y * rowLength
            for (x, tap) in columns.enumerated() {
                let next = min(tap.index + 1, width - 1)
                for c in 0..<channels {
                    let a = Int32(bytes[inRow + tap.index * channels + c]), b = Int32(bytes[inRow + next * channels + c])
                    horizontal[outRow + x * channels + c] = a &* tap.w0 &+ b &* tap.w1
                }
            }
        }
        var out = [UInt8](repeating: 0, count: toHeight * rowLength)
        for (y, tap) in rows.enumerated() {
            let row0 = min(max(tap.index, 0), height - 1) * rowLength, row1 = min(max(tap.index + 1, 0), height - 1) * rowLength
            let outRow = y * rowLength
            for i in 0..<rowLength {
                let s0 = (horizontal[row0 + i] >> 4) &* tap.w0, s1 = (horizontal[row1 + i] >> 4) &* tap.w1
                let value = ((s0 >> 16) &+ (s1 >> 16) &+ 2) >> 2
                out[outRow + i] = UInt8(clamping: value)
            }
        }
        return out
    }

    /// Integer-factor area averaging (OpenCV's `resizeAreaFast`): 2×2 blocks round half up with
    /// `(sum + 2) >> 2`, other factors multiply by the float `1 / area` and round half to even.
    func areaBlocks(factorX: Int, factorY: Int) -> [UInt8] {
        let toWidth = width / factorX, toHeight = height / factorY
        let area = factorX * factorY
        let reciprocal = 1 / Float(area)
        var out = [UInt8](repeating: 0, count: toWidth * toHeight * channels)
        for y in 0..<toHeight {
            for x in 0..<toWidth {
                for c in 0..<channels {
                    var sum = 0
                    for dy in 0..<factorY {
                        let row = (y * factorY + dy) * width
                        for dx in 0..<factorX { sum += Int(bytes[(row + x * factorX + dx) * channels + c]) }
                    }
                    let value = factorX == 2 && factorY == 2 ? (sum + 2) >> 2 : Int((Float(sum) * reciprocal).rounded(.toNearestOrEven))
                    out[(y * toWidth + x) * channels + c] = UInt8(clamping: value)
                }
            }
        }
        return out
    }

    /// General area averaging (OpenCV's `ResizeArea_Invoker`): each source row is weighted
    /// horizontally into a float buffer, buffers are weighted into the output row, in table order,
    /// and the float sums rounded half to even.
    func areaCoverage(columns: [(output: Int, input: Int, weight: Float)], rows: [(output: Int, input: Int, weight: Float)],
                      toWidth: Int, toHeight: Int) -> [UInt8] {
        let rowLength = toWidth * channels
        var out = [UInt8](repeating: 0, count: toHeight * rowLength)
        var sum = [Float](repeating: 0, count: rowLength)
        var buffer = [Float](repeating: 0, count: rowLength)
        func flush(_ row: Int) {
            for i in 0..<rowLength { out[row * rowLength + i] = UInt8(clamping: Int(sum[i].rounded(.toNearestOrEven))) }
        }
        guard var current = rows.first?.output else { return out }
        for entry in rows {
            for i in 0..<rowLength { buffer[i] = 0 }
            let inRow = entry.input * width * channels
            for column in columns {
                for c in 0..<channels {
                    let product = Float(bytes[inRow + column.input * channels + c]) * column.weight
                    buffer[column.output * channels + c] = buffer[column.output * channels + c] + product
                }
            }
            if entry.output != current {
                flush(current)
                for i in 0..<rowLength { sum[i] = entry.weight * buffer[i] }
                current = entry.output
            } else {
                for i in 0..<rowLength { sum[i] = sum[i] + entry.weight * buffer[i] }
            }
        }
        flush(current)
        return out
    }
}
