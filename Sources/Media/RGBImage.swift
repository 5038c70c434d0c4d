/// An RGB image held in memory: `width × height` pixels, interleaved R, G, B per pixel,
/// row-major from the top-left corner, each channel a `Float` in [0, 1].
///
/// Float storage was chosen over bytes because every consumer (network tensors, resizing,
/// error maps) works in floats; 8-bit files convert exactly both ways (`v / 255` then
/// `round(v * 255)`). Values outside [0, 1] are allowed in memory and are clamped when the
/// image is converted to bytes for a file or an encoder.
public struct RGBImage: Equatable, Sendable {
    /// Width in pixels (≥ 1).
    public let width: Int
    /// Height in pixels (≥ 1).
    public let height: Int
    /// `width * height * 3` values: pixel (x, y) channel c lives at `(y * width + x) * 3 + c`.
    public var pixels: [Float]

    /// An image from interleaved RGB floats; `pixels.count` must be `width * height * 3`.
    public init(width: Int, height: Int, pixels: [Float]) throws(MediaError) {
        guard width > 0, height > 0 else {
            throw .invalidArgument("image size \(width)x\(height) is empty; width and height must be at least 1")
        }
        guard pixels.count == width * height * 3 else {
            throw .invalidArgument("image \(width)x\(height) needs \(width * height * 3) RGB values, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour (channels in [0, 1]).
    public init(width: Int, height: Int, fill: (red: Float, green: Float, blue: Float) = (0, 0, 0)) throws(MediaError) {
        guard width > 0, height > 0 else {
            throw .invalidArgument("image size \(width)x\(height) is empty; width and height must be at least 1")
        }
        var values = [Float](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            values[i * 3] = fill.red
            values[i * 3 + 1] = fill.green
            values[i * 3 + 2] = fill.blue
        }
        self.width = width
        self.height = height
        self.pixels = values
    }

    /// An image from 8-bit interleaved RGB bytes (`width * height * 3` of them), scaled by 1/255.
    public init(width: Int, height: Int, rgbBytes: [UInt8]) throws(MediaError) {
        guard rgbBytes.count == width * height * 3 else {
            throw .invalidArgument("image \(width)x\(height) needs \(width * height * 3) RGB bytes, got \(rgbBytes.count)")
        }
        try self.init(width: width, height: height, pixels: rgbBytes.map { Float($0) * (1 / 255) })
    }

    /// Internal initialiser for sizes already checked.
    init(uncheckedWidth width: Int, height: Int, pixels: [Float]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour of pixel (x, y) as (r, g, b). Traps if out of bounds, like an array index.
    public subscript(x: Int, y: Int) -> (red: Float, green: Float, blue: Float) {
        get {
            let i = (y * width + x) * 3
            return (pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.red
            pixels[i + 1] = newValue.green
            pixels[i + 2] = newValue.blue
        }
    }

    /// Interleaved 8-bit RGB bytes: each value clamped to [0, 1], times 255, rounded to nearest.
    public func rgbBytes() -> [UInt8] {
        pixels.map { RGBImage.byte($0) }
    }

    /// Float → byte with clamping and round-to-nearest (NaN maps to 0).
    @inline(__always)
    static func byte(_ v: Float) -> UInt8 {
        guard v > 0 else { return 0 }
        guard v < 1 else { return 255 }
        return UInt8(v * 255 + 0.5)
    }
}

/// The value range a planar tensor uses.
public enum PixelRange: Sendable {
    /// Channels in [0, 1], as stored in `RGBImage`.
    case unit
    /// Channels in [-1, 1] (`2v - 1`), the convention of many generators.
    case symmetric
}

extension RGBImage {
    /// The image as planar `[3, height, width]` floats (channel-major, the layout of one NCHW
    /// batch item), in the requested range.
    public func planarCHW(range: PixelRange = .unit) -> [Float] {
        let plane = width * height
        var out = [Float](repeating: 0, count: plane * 3)
        let (scale, offset): (Float, Float) = range == .unit ? (1, 0) : (2, -1)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<plane {
                    dst[i] = src[i * 3] * scale + offset
                    dst[plane + i] = src[i * 3 + 1] * scale + offset
                    dst[2 * plane + i] = src[i * 3 + 2] * scale + offset
                }
            }
        }
        return out
    }

    /// An image from planar `[3, height, width]` floats in the given range (the inverse of
    /// `planarCHW`). Values are not clamped here; they are when written to a file.
    public init(planarCHW values: [Float], width: Int, height: Int, range: PixelRange = .unit) throws(MediaError) {
        let plane = width * height
        guard width > 0, height > 0, values.count == plane * 3 else {
            throw .invalidArgument("planar [3, \(height), \(width)] tensor needs \(max(0, plane * 3)) values, got \(values.count)")
        }
        let (scale, offset): (Float, Float) = range == .unit ? (1, 0) : (0.5, 0.5)
        var out = [Float](repeating: 0, count: plane * 3)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<plane {
                    dst[i * 3] = src[i] * scale + offset
                    dst[i * 3 + 1] = src[plane + i] * scale + offset
                    dst[i * 3 + 2] = src[2 * plane + i] * scale + offset
                }
            }
        }
        self.init(uncheckedWidth: width, height: height, pixels: out)
    }
}
