/// LivePortrait's rotated source crop (the official cropper's `flag_do_rot`): the crop is an
/// affine warp of the picture (`cv2.warpAffine`, bilinear, black beyond the edges) by a similarity
/// matrix that also turns the head's roll away, and the rendered crop goes back by the inverse
/// warp. `framedLikeOpenCV(size:crop:)` and `pastingLikeLivePortrait(_:into:)` are the same steps
/// with an axis-aligned matrix.
extension RGBImage {
    /// The model input of side `size` framed through `cropMatrix`, the 2 × 3 picture → crop matrix
    /// of a crop of twice `size` (the official 512² crop for LivePortrait's 256² input): warped
    /// with OpenCV's arithmetic, then shrunk with `INTER_AREA`, as the official cropper does.
    public func framedLikeOpenCV(size: Int, cropMatrix: [Double]) throws(MediaError) -> RGBImage {
        guard cropMatrix.count == 6, cropMatrix.allSatisfy(\.isFinite), size > 0 else {
            throw .invalidArgument("a crop matrix is 6 finite numbers (2 × 3) and the size positive, got \(cropMatrix) and \(size)")
        }
        return try warpedLikeOpenCV(matrix: cropMatrix, width: 2 * size, height: 2 * size)
            .resizedLikeOpenCV(width: size, height: size, interpolation: .area)
    }

    /// The pixels of this picture that the crop → picture matrix `matrix` reaches from a square of
    /// `side` pixels (its corners' bounding box, one pixel wider for the bilinear taps), clipped to
    /// the picture; nil when that misses the picture.
    func window(reachedBy matrix: [Double], side: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        let corners = [(0.0, 0.0), (Double(side), 0), (0, Double(side)), (Double(side), Double(side))]
            .map { (matrix[0] * $0.0 + matrix[1] * $0.1 + matrix[2], matrix[3] * $0.0 + matrix[4] * $0.1 + matrix[5]) }
        let xs = corners.map(\.0), ys = corners.map(\.1)
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max(),
              [minX, maxX, minY, maxY].allSatisfy(\.isFinite) else { return nil }
        let x0 = max(Int(minX.rounded(.down)) - 1, 0), y0 = max(Int(minY.rounded(.down)) - 1, 0)
        let x1 = min(Int(maxX.rounded(.up)) + 1, width), y1 = min(Int(maxY.rounded(.up)) + 1, height)
        return x1 > x0 && y1 > y0 ? (x0, y0, x1, y1) : nil
    }

    /// This picture with the square `rendered` frame pasted back through `cropToPicture`, the 2 × 3
    /// crop → picture matrix of a crop of `rendered`'s side (the official `M_c2o`): the render and
    /// the official soft mask (`LivePortraitPasteMask`) warped into the picture with OpenCV's
    /// arithmetic and blended as the official `paste_back` does. Only the warped square's pixels
    /// change.
    public func pastingLikeLivePortrait(_ rendered: RGBImage, cropToPicture matrix: [Double]) throws(MediaError) -> RGBImage {
        guard rendered.width == rendered.height, rendered.width > 0, matrix.count == 6, matrix.allSatisfy(\.isFinite) else {
            throw .invalidArgument("LivePortrait paste-back needs a square render and a 2 × 3 finite matrix, got \(rendered.width)×\(rendered.height) and \(matrix)")
        }
        guard let (x0, y0, x1, y1) = window(reachedBy: matrix, side: rendered.width) else { return self }
        return try pastedLikeLivePortrait(rendered, matrix: matrix, window: OpenCVWarp.PixelWindow(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
    }
}
