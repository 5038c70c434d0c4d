/// Eight-bit level conversions that must agree wherever a frame is written (CLI files, C API bytes).
extension RGBImage {
    /// This image as LivePortrait's official pipeline writes a frame it does not paste back
    /// (`parse_output`): each value clipped to [0, 1], × 255 and truncated to a whole level (the
    /// written bytes then equal the official ones; rounding would differ by one level on about
    /// half the values).
    public func truncatedToLevels() -> RGBImage {
        var out = self
        out.pixels = pixels.map { (min(max($0, 0), 1) * 255).rounded(.towardZero) / 255 }
        return out
    }
}
