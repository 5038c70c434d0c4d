extension RGBImage {
    /// This image with `patch` put back at `crop`: the patch is resampled to the crop's side with
    /// `filter` and blended in with a square mask that is 1 inside and falls smoothly to 0 over the
    /// `feather` pixels along each edge of the crop (smoothstep per axis, the two axes multiplied),
    /// so no seam shows. The crop may reach beyond the picture (a face at its edge, framed with
    /// black padding): only the part of it inside the picture is written, the mask still falling
    /// off towards the crop's own edges, so the result keeps this image's size. Pixels outside the
    /// crop are this image's, unchanged. Throws when the crop misses the picture altogether;
    /// `feather` 0 pastes a hard-edged square.
    public func pasting(_ patch: RGBImage, into crop: SquareCrop, feather: Int,
                        filter: ResizeFilter = .areaBilinear) throws(MediaError) -> RGBImage {
        guard let part = crop.visiblePart(width: width, height: height) else {
            throw .invalidArgument("paste-back region \(crop) (x,y,size) lies wholly outside the \(width)x\(height) picture")
        }
        guard feather >= 0 else { throw .invalidArgument("paste-back feather \(feather) must not be negative") }
        let fitted = try patch.resized(width: crop.size, height: crop.size, filter: filter)
        let ramp = Self.featherRamp(size: crop.size, feather: feather)
        var out = self
        for y in part.y..<(part.y + part.height) {
            let row = y - crop.y, wy = ramp[row]
            for x in part.x..<(part.x + part.width) {
                let column = x - crop.x
                let w = wy * ramp[column]
                guard w > 0 else { continue }
                let d = (y * width + x) * 3, s = (row * crop.size + column) * 3
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
