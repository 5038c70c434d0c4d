/// LivePortrait's official input preparation, on `RGBImage`s, with OpenCV's own arithmetic
/// (`OpenCVResize`, `OpenCVWarp`): what `ResizeFilter.opencv` frames.
///
/// - With a crop square: the square is sampled at twice the model's side with `cv2.warpAffine`
///   (bilinear, black beyond the picture's edges, as LivePortrait's cropper samples its 512² crop)
///   and shrunk to the model's side with `INTER_AREA` (the cropper's `img_crop_256x256`; its driver
///   path's `INTER_LINEAR` is the same at exactly 2×).
/// - Without one: the whole picture, aspect ratio not kept, resized to the model's side with
///   `INTER_LINEAR` (the official `flag_do_crop=False` path, "force to resize to 256x256"), after the
///   official source size limit when `limitSide` is given (`resize_to_limit`).
/// Every step works on 8-bit values, as the official code's uint8 pictures do.
extension RGBImage {
    /// The official no-crop size limit of LivePortrait's sources (`source_max_dim`).
    public static let liveportraitSourceMaxSide = 1280

    /// The model input of side `size` framed as LivePortrait's official code frames it; see the type notes.
    public func framedLikeOpenCV(size: Int, crop: SquareCrop?, limitSide: Int? = nil) throws(MediaError) -> RGBImage {
        guard let crop else {
            let limited = try limitSide.map { side throws(MediaError) in try limitedLikeLivePortrait(maxSide: side, division: 2) } ?? self
            return try limited.resizedLikeOpenCV(width: size, height: size, interpolation: .linear)
        }
        let cropSide = 2 * size
        // In float32, as the cropper's matrices are, then widened as cv2.warpAffine widens them.
        let scale = Float(cropSide) / Float(crop.size)
        let matrix = [Double(scale), 0, Double(Float(-crop.x) * scale), 0, Double(scale), Double(Float(-crop.y) * scale)]
        return try warpedLikeOpenCV(matrix: matrix, width: cropSide, height: cropSide)
            .resizedLikeOpenCV(width: size, height: size, interpolation: .area)
    }

    /// LivePortrait's `resize_to_limit`: a picture whose longer side exceeds `maxSide` is resized
    /// (`INTER_LINEAR`) so that side is `maxSide` and the other `int(side × maxSide / longer)`;
    /// then each side is cut down to a multiple of `division` (the bottom rows and right columns go).
    public func limitedLikeLivePortrait(maxSide: Int, division: Int) throws(MediaError) -> RGBImage {
        var picture = self
        if max(width, height) > maxSide {
            let (newWidth, newHeight) = height > width
                ? (Int(Double(width) * (Double(maxSide) / Double(height))), maxSide)
                : (maxSide, Int(Double(height) * (Double(maxSide) / Double(width))))
            picture = try resizedLikeOpenCV(width: newWidth, height: newHeight, interpolation: .linear)
        }
        let step = max(division, 1)
        let keptWidth = picture.width - picture.width % step, keptHeight = picture.height - picture.height % step
        guard keptWidth > 0, keptHeight > 0, keptWidth != picture.width || keptHeight != picture.height else { return picture }
        var pixels = [Float]()
        pixels.reserveCapacity(keptWidth * keptHeight * 3)
        for row in 0..<keptHeight {
            let start = row * picture.width * 3
            pixels.append(contentsOf: picture.pixels[start..<(start + keptWidth * 3)])
        }
        return RGBImage(uncheckedWidth: keptWidth, height: keptHeight, pixels: pixels)
    }
}
