/// A square region of an image: top-left corner (`x`, `y`) and side `size`, in pixels.
public struct SquareCrop: Equatable, Sendable, CustomStringConvertible {
    /// Left edge, in pixels from the image's left.
    public var x: Int
    /// Top edge, in pixels from the image's top.
    public var y: Int
    /// Side length in pixels.
    public var size: Int

    /// A crop at (`x`, `y`) of side `size`.
    public init(x: Int, y: Int, size: Int) {
        self.x = x
        self.y = y
        self.size = size
    }

    /// The largest centred square of a `width × height` image (odd leftovers go right/bottom).
    public static func centered(width: Int, height: Int) -> SquareCrop {
        let side = min(width, height)
        return SquareCrop(x: (width - side) / 2, y: (height - side) / 2, size: side)
    }

    /// The square of side `side` centred at (`centerX`, `centerY`), in whole pixels as the official
    /// EMOPortraits inference rounds it (`crop_image`): centre rounded, side rounded down to even.
    /// The square keeps its full size where it sticks out of the `width × height` picture (the part
    /// outside is padded black when the picture is cut, see `RGBImage.cropped(_:)`), so a face at
    /// the picture's edge is framed as it would be in the middle; the official `remove_overflow`
    /// shrinks it instead, which frames the face tighter the nearer it is to an edge. Nil when the
    /// square misses the picture altogether, or the numbers are not finite (side at least 2).
    public static func around(centerX: Double, centerY: Double, side: Double, width: Int, height: Int) -> SquareCrop? {
        let limit = 1e9
        guard centerX.isFinite, centerY.isFinite, side.isFinite, side >= 2, side < limit,
              abs(centerX) < limit, abs(centerY) < limit else { return nil }
        let cx = Int(centerX.rounded()), cy = Int(centerY.rounded())
        var size = Int(side.rounded())
        size -= size % 2
        let crop = SquareCrop(x: cx - size / 2, y: cy - size / 2, size: size)
        return crop.visiblePart(width: width, height: height) == nil ? nil : crop
    }

    /// The part of this square inside a `width × height` picture, as a rectangle in the picture's
    /// pixels; nil when the square lies wholly outside it.
    public func visiblePart(width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
        let left = max(x, 0), top = max(y, 0)
        let right = min(x + size, width), bottom = min(y + size, height)
        guard size > 0, right > left, bottom > top else { return nil }
        return (left, top, right - left, bottom - top)
    }

    /// Whether the square lies wholly inside a `width × height` picture.
    public func isInside(width: Int, height: Int) -> Bool {
        size > 0 && x >= 0 && y >= 0 && x + size <= width && y + size <= height
    }

    /// `"x,y,size"`, the form a `--crop` option takes.
    public var description: String { "\(x),\(y),\(size)" }
}

extension RGBImage {
    /// The `width × height` region whose top-left corner is (`x`, `y`); it must lie inside.
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) throws(MediaError) -> RGBImage {
        guard cropWidth > 0, cropHeight > 0, x >= 0, y >= 0, x + cropWidth <= width, y + cropHeight <= height else {
            throw .invalidArgument("crop \(cropWidth)x\(cropHeight) at (\(x), \(y)) does not fit inside the \(width)x\(height) image; choose a region within it")
        }
        var out = [Float]()
        out.reserveCapacity(cropWidth * cropHeight * 3)
        for row in y..<(y + cropHeight) {
            let start = (row * width + x) * 3
            out.append(contentsOf: pixels[start..<(start + cropWidth * 3)])
        }
        return RGBImage(uncheckedWidth: cropWidth, height: cropHeight, pixels: out)
    }

    /// The square region `crop`. Where it reaches beyond the picture the pixels are black (0, 0, 0),
    /// the padding both official crops use: LivePortrait's `cv2.warpAffine` (constant border, 0)
    /// and EMOPortraits' training augmentation (`border_mode=0, value=0`). Throws when the square
    /// lies wholly outside the picture (nothing of it would be the picture).
    public func cropped(_ crop: SquareCrop) throws(MediaError) -> RGBImage {
        if crop.isInside(width: width, height: height) {
            return try cropped(x: crop.x, y: crop.y, width: crop.size, height: crop.size)
        }
        guard let part = crop.visiblePart(width: width, height: height) else {
            throw .invalidArgument("crop \(crop) (x,y,size) lies wholly outside the \(width)x\(height) image; choose a square that overlaps it")
        }
        var out = [Float](repeating: 0, count: crop.size * crop.size * 3)
        for row in part.y..<(part.y + part.height) {
            let source = (row * width + part.x) * 3
            let target = ((row - crop.y) * crop.size + part.x - crop.x) * 3
            out.replaceSubrange(target..<(target + part.width * 3), with: pixels[source..<(source + part.width * 3)])
        }
        return RGBImage(uncheckedWidth: crop.size, height: crop.size, pixels: out)
    }

    /// The model's input framing: crop to a square (`crop`, black beyond the picture's edges; or
    /// the largest centred one when `nil`) and resample it to `size × size` with `filter` (bicubic,
    /// then clipped to [0, 1], by default: what the official EMOPortraits inference does to its
    /// face crops).
    public func framed(size: Int, crop: SquareCrop? = nil, filter: ResizeFilter = .bicubic) throws(MediaError) -> RGBImage {
        if filter == .opencv { return try framedLikeOpenCV(size: size, crop: crop) }
        let region = crop ?? SquareCrop.centered(width: width, height: height)
        return try cropped(region).resized(width: size, height: size, filter: filter)
    }

    /// The image grown by one replicated column and/or row where its width or height is odd
    /// (H.264 in yuv420p needs even sides); unchanged when both are even.
    public func paddedToEven() -> RGBImage {
        let (w, h) = (width + width % 2, height + height % 2)
        if w == width && h == height { return self }
        var out = [Float]()
        out.reserveCapacity(w * h * 3)
        for row in 0..<h {
            let start = (min(row, height - 1) * width) * 3
            out.append(contentsOf: pixels[start..<(start + width * 3)])
            if w > width { out.append(contentsOf: pixels[(start + (width - 1) * 3)..<(start + width * 3)]) }
        }
        return RGBImage(uncheckedWidth: w, height: h, pixels: out)
    }

    /// The image turned clockwise by `quarterTurns × 90°` (any integer; negative turns
    /// anticlockwise). Used to honour a video's rotation tag.
    public func rotated(quarterTurns: Int) -> RGBImage {
        let turns = ((quarterTurns % 4) + 4) % 4
        if turns == 0 { return self }
        let outWidth = turns == 2 ? width : height
        let outHeight = turns == 2 ? height : width
        var out = [Float](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                let (nx, ny): (Int, Int)
                switch turns {
                case 1: (nx, ny) = (height - 1 - y, x)
                case 2: (nx, ny) = (width - 1 - x, height - 1 - y)
                default: (nx, ny) = (y, width - 1 - x)
                }
                let s = (y * width + x) * 3, d = (ny * outWidth + nx) * 3
                out[d] = pixels[s]
                out[d + 1] = pixels[s + 1]
                out[d + 2] = pixels[s + 2]
            }
        }
        return RGBImage(uncheckedWidth: outWidth, height: outHeight, pixels: out)
    }

    /// Images placed left to right (e.g. driver | source | result). Images of another height
    /// than `height` (default: the first's) are resampled to it, keeping their aspect ratio;
    /// `gap` pixels of `background` separate them.
    public static func sideBySide(_ images: [RGBImage], height: Int? = nil, gap: Int = 0,
                                  background: (red: Float, green: Float, blue: Float) = (0, 0, 0)) throws(MediaError) -> RGBImage {
        guard let first = images.first else {
            throw .invalidArgument("side-by-side needs at least one image")
        }
        guard gap >= 0 else { throw .invalidArgument("side-by-side gap \(gap) must not be negative") }
        if let height, height < 1 { throw .invalidArgument("side-by-side height \(height) must be at least 1") }
        let height = height ?? first.height
        var panels: [RGBImage] = []
        for image in images {
            if image.height == height {
                panels.append(image)
            } else {
                let width = max(1, Int((Double(image.width) * Double(height) / Double(image.height)).rounded()))
                panels.append(try image.resized(width: width, height: height))
            }
        }
        let totalWidth = panels.reduce(0) { $0 + $1.width } + gap * (panels.count - 1)
        var canvas = try RGBImage(width: totalWidth, height: height, fill: background)
        var left = 0
        for panel in panels {
            for row in 0..<height {
                let source = row * panel.width * 3
                let target = (row * totalWidth + left) * 3
                canvas.pixels.replaceSubrange(target..<(target + panel.width * 3),
                                              with: panel.pixels[source..<(source + panel.width * 3)])
            }
            left += panel.width + gap
        }
        return canvas
    }
}
