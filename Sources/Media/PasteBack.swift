extension RGBImage {
    /// This image with `patch` put back at `crop`: the patch is resampled to the crop's side with
    /// `filter` and blended in with a square mask that is 1 inside and falls smoothly to 0 over the
    /// `feather` pixels along each edge of the crop (smoothstep per axis, the two axes multiplied),
    /// so no seam shows. Pixels outside the crop are this image's, unchanged. `crop` must lie
    /// inside the image; `feather` 0 pastes a hard-edged square.
    public func pasting(_ patch: RGBImage, into crop: SquareCrop, feather: Int,
                        filter: ResizeFilter = .areaBilinear) throws(MediaError) -> RGBImage {
        guard crop.size > 0, crop.x >= 0, crop.y >= 0, crop.x + crop.size <= width, crop.y + crop.size <= height else {
            throw .invalidArgument("paste-back region \(crop) does not fit inside the \(width)x\(height) picture")
        }
        guard feather >= 0 else { throw .invalidArgument("paste-back feather \(feather) must not be negative") }
        let fitted = try patch.resized(width: crop.size, height: crop.size, filter: filter)
        let ramp = Self.featherRamp(size: crop.size, feather: feather)
        var out = self
        for row in 0..<crop.size {
            let wy = ramp[row]
            for column in 0..<crop.size {
                let w = wy * ramp[column]
                guard w > 0 else { continue }
                let d = ((crop.y + row) * width + crop.x + column) * 3, s = (row * crop.size + column) * 3
                for c in 0..<3 { out.pixels[d + c] += w * (fitted.pixels[s + c] - out.pixels[d + c]) }
            }
        }
        return out
    }

    /// Mask weight along one axis of a `size`-pixel crop: smoothstep from the edge over `feather`
    /// pixels (pixel centres), 1 in the middle.
    static func featherRamp(size: Int, feather: Int) -> [Float] {
        let f = min(feather, size / 2)
        return (0..<size).map { i in
            guard f > 0 else { return 1 }
            let t = min(1, (Float(min(i, size - 1 - i)) + 0.5) / Float(f))
            return t * t * (3 - 2 * t)
        }
    }
}
