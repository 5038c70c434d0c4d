/// The EXIF Orientation tag (TIFF tag 0x0112, values 1–8): how the stored pixels must be
/// mirrored and turned to show the picture upright. Phones store the sensor's pixels as
/// captured and set this tag instead of rotating them.
///
/// Each value names where the stored picture's first row and first column are shown (EXIF
/// 2.32, §4.6.4 A "Orientation"): 6, "0th row at the visual right, 0th column at the top",
/// is a picture that must turn 90° clockwise to be upright.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    /// 1: stored as shown.
    case upright = 1
    /// 2: mirrored left to right.
    case mirrored = 2
    /// 3: turned 180°.
    case rotated180 = 3
    /// 4: mirrored top to bottom.
    case flipped = 4
    /// 5: mirrored across the main diagonal (the first row is the left column).
    case transposed = 5
    /// 6: must turn 90° clockwise to be upright.
    case rotated90 = 6
    /// 7: mirrored across the anti-diagonal (the first row is the right column, bottom up).
    case transversed = 7
    /// 8: must turn 90° anticlockwise (270° clockwise) to be upright.
    case rotated270 = 8

    /// Whether showing the picture upright swaps its width and height (values 5–8).
    public var swapsSides: Bool { rawValue >= 5 }

    /// The stored pixel shown at upright position (`x`, `y`) of a picture stored
    /// `width × height` (the stored size, before any swap).
    @inline(__always)
    func storedPixel(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .upright: return (x, y)
        case .mirrored: return (width - 1 - x, y)
        case .rotated180: return (width - 1 - x, height - 1 - y)
        case .flipped: return (x, height - 1 - y)
        case .transposed: return (y, x)
        case .rotated90: return (y, height - 1 - x)
        case .transversed: return (width - 1 - y, height - 1 - x)
        case .rotated270: return (width - 1 - y, x)
        }
    }
}

extension RGBImage {
    /// The picture as it should be shown under EXIF orientation `orientation`: mirrored and
    /// turned so that a picture stored with that tag comes out upright (exact: pixels are moved,
    /// never resampled). Values 5–8 swap width and height.
    public func oriented(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .upright { return self }
        let outWidth = orientation.swapsSides ? height : width
        let outHeight = orientation.swapsSides ? width : height
        var out = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let stored = orientation.storedPixel(x: x, y: y, width: width, height: height)
                        let s = (stored.y * width + stored.x) * 3, d = (y * outWidth + x) * 3
                        dst[d] = src[s]
                        dst[d + 1] = src[s + 1]
                        dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return RGBImage(uncheckedWidth: outWidth, height: outHeight, pixels: out)
    }
}
