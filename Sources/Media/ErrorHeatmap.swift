/// Colour maps of per-pixel error, for looking at where two renders differ.
///
/// Errors map linearly from 0 (dark blue-violet) through teal and green to `maxError` and
/// above (yellow), along the perceptually ordered viridis palette (5 stops, linearly
/// interpolated). Save the result with `PNGCodec.write`.
public enum ErrorHeatmap {
    /// Viridis at 0, 0.25, 0.5, 0.75, 1.
    static let stops: [(Float, Float, Float)] = [
        (0.267, 0.005, 0.329), (0.229, 0.322, 0.546), (0.128, 0.567, 0.551),
        (0.369, 0.789, 0.383), (0.993, 0.906, 0.144),
    ]

    /// The palette colour for `t` in [0, 1] (clamped; NaN maps to the top colour, so it shows).
    public static func color(_ t: Float) -> (red: Float, green: Float, blue: Float) {
        let v = t.isNaN ? 1 : max(0, min(1, t))
        let scaled = v * Float(stops.count - 1)
        let i = min(Int(scaled), stops.count - 2)
        let f = scaled - Float(i)
        let a = stops[i], b = stops[i + 1]
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
    }

    /// A `width × height` colour image of `errors` (row-major, one value per pixel), scaled so
    /// that `maxError` (default: the largest finite error, or 1 if all are 0) is the top colour.
    public static func render(errors: [Float], width: Int, height: Int, maxError: Float? = nil) throws(MediaError) -> RGBImage {
        guard width > 0, height > 0, errors.count == width * height else {
            throw .invalidArgument("error map \(width)x\(height) needs \(max(0, width * height)) values, got \(errors.count)")
        }
        let top = maxError ?? errors.filter { $0.isFinite }.max() ?? 0
        let scale: Float = top > 0 ? 1 / top : 1
        var pixels = [Float](repeating: 0, count: errors.count * 3)
        for (i, e) in errors.enumerated() {
            let c = color(e * scale)
            pixels[i * 3] = c.red
            pixels[i * 3 + 1] = c.green
            pixels[i * 3 + 2] = c.blue
        }
        return RGBImage(uncheckedWidth: width, height: height, pixels: pixels)
    }

    /// Per-pixel mean absolute difference over R, G, B of two same-size images.
    public static func absoluteDifference(_ a: RGBImage, _ b: RGBImage) throws(MediaError) -> [Float] {
        guard a.width == b.width, a.height == b.height else {
            throw .invalidArgument("cannot compare a \(a.width)x\(a.height) image with a \(b.width)x\(b.height) one; sizes must match")
        }
        return (0..<(a.width * a.height)).map { p in
            let i = p * 3
            return (abs(a.pixels[i] - b.pixels[i]) + abs(a.pixels[i + 1] - b.pixels[i + 1]) + abs(a.pixels[i + 2] - b.pixels[i + 2])) / 3
        }
    }

    /// The heatmap of the per-pixel difference between two same-size images.
    public static func render(difference a: RGBImage, _ b: RGBImage, maxError: Float? = nil) throws(MediaError) -> RGBImage {
        try render(errors: absoluteDifference(a, b), width: a.width, height: a.height, maxError: maxError)
    }
}
