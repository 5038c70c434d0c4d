/// LivePortrait's official paste-back (`utils/crop.py` `prepare_paste_back` + `paste_back`), with
/// OpenCV's arithmetic: the rendered crop (as uint8, truncated like the official `parse_output`)
/// and the soft mask are each warped into the picture with `cv2.warpAffine` (bilinear, black
/// border), and blended in float32 as `clip(mask · result + (1 − mask) · picture, 0, 255)` cast
/// to uint8 (truncation).
///
/// The mask is drawn, not shipped: the official `mask_template.png` (512², 8-bit) is a square
/// whose value falls linearly to 0 over the outer 16 pixels, with rounded corners —
/// `floor(255 · clamp(1 − d / 16, 0, 1))`, d the distance to the inner square [16, 496]². This
/// formula reproduces every byte of the official file (checked outside the repository,
/// docs/liveportrait.md); `LivePortraitPasteMask.template(side:)` draws it at any side with the
/// same proportions (ramp = side / 32).
public enum LivePortraitPasteMask {
    /// The 8-bit single-channel mask template of `side × side` pixels.
    public static func template(side: Int) -> [UInt8] {
        let ramp = Double(side) / 32
        let low = ramp, high = Double(side) - ramp
        var mask = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            let dy = max(low - Double(y), 0, Double(y) - high)
            for x in 0..<side {
                let dx = max(low - Double(x), 0, Double(x) - high)
                let value = min(max(1 - (dx * dx + dy * dy).squareRoot() / ramp, 0), 1)
                mask[y * side + x] = UInt8((255 * value + 1e-9).rounded(.down))
            }
        }
        return mask
    }
}

extension RGBImage {
    /// This picture with the square `rendered` frame (the network's output for the crop `crop`)
    /// pasted back as LivePortrait's official pipeline does (see `LivePortraitPasteMask`). Only
    /// the crop's part inside the picture changes; every other pixel is this picture's own.
    public func pastingLikeLivePortrait(_ rendered: RGBImage, into crop: SquareCrop) throws(MediaError) -> RGBImage {
        guard rendered.width == rendered.height, crop.size > 0 else {
            throw .invalidArgument("LivePortrait paste-back needs a square render and a non-empty crop, got \(rendered.width)×\(rendered.height) into \(crop)")
        }
        // The warp reaches one pixel beyond the crop at most; outside it the mask is 0.
        let x0 = max(crop.x - 1, 0), y0 = max(crop.y - 1, 0)
        let x1 = min(crop.x + crop.size + 1, width), y1 = min(crop.y + crop.size + 1, height)
        guard x1 > x0, y1 > y0 else { return self }
        let side = rendered.width
        let scale = Float(crop.size) / Float(side)
        let matrix = [Double(scale), 0, Double(crop.x), 0, Double(scale), Double(crop.y)]
        return try pastedLikeLivePortrait(rendered, matrix: matrix, window: OpenCVWarp.PixelWindow(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
    }

    /// The official paste-back's steps over `window`: the render's official output bytes (clipped
    /// to [0, 1], × 255, truncated) and the soft mask warped into the picture by the crop → picture
    /// `matrix` with OpenCV's arithmetic, then blended (`blendedLikeLivePortrait`).
    func pastedLikeLivePortrait(_ rendered: RGBImage, matrix: [Double], window: OpenCVWarp.PixelWindow) throws(MediaError) -> RGBImage {
        let side = rendered.width
        let renderedBytes = rendered.pixels.map { UInt8(min(max($0, 0), 1) * 255) }
        let result = try OpenCVWarp.affine(renderedBytes, width: side, height: side, channels: 3, matrix: matrix, window: window)
        let mask = try OpenCVWarp.affine(LivePortraitPasteMask.template(side: side), width: side, height: side, channels: 1,
                                         matrix: matrix, window: window)
        return blendedLikeLivePortrait(result, mask: mask, window: window)
    }

    /// The official blend of `paste_back` over `window`: `clip(mask · result + (1 − mask) · picture,
    /// 0, 255)` in float32 on 8-bit values, truncated; `result` (RGB) and `mask` (one channel) are
    /// the window's warped bytes, row-major.
    func blendedLikeLivePortrait(_ result: [UInt8], mask: [UInt8], window: OpenCVWarp.PixelWindow) -> RGBImage {
        var out = self
        for row in 0..<window.height {
            for column in 0..<window.width {
                let weight = Float(mask[row * window.width + column]) / 255
                let target = ((window.y + row) * width + window.x + column) * 3, from = (row * window.width + column) * 3
                for c in 0..<3 {
                    let picture = (min(max(pixels[target + c], 0), 1) * 255).rounded()
                    let blended = min(max(weight * Float(result[from + c]) + (1 - weight) * picture, 0), 255)
                    out.pixels[target + c] = blended.rounded(.towardZero) / 255
                }
            }
        }
        return out
    }
}
