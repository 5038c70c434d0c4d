import Foundation

extension LivePortraitCrop {
    /// The official source crop's affine matrix from the picture to a crop of `outputSide` pixels,
    /// 2 × 3 row-major (`[a, b, tx, c, d, ty]`: crop = (a·x + b·y + tx, c·x + d·y + ty)), as the
    /// official `_estimate_similar_transform_from_pts` builds it (`src/utils/crop.py`, `M_INV`):
    /// scale `outputSide / side`, the rectangle's centre to the crop's centre and, with `rotated`
    /// (the official `flag_do_rot`, on by default), the picture turned by `angle` so that the face's
    /// eye line is level in the crop. Without `rotated`, the axis-aligned square of the same centre
    /// and side. Entries rounded to float32, as the official matrix is (`DTYPE`).
    public func cropMatrix(outputSide: Int, rotated: Bool = true) -> [Double] {
        let s = Double(outputSide) / side
        let (cosine, sine) = rotated ? (cos(angle), sin(angle)) : (1, 0)
        let target = Double(outputSide) / 2
        let m = [s * cosine, s * sine, target - s * (cosine * centerX + sine * centerY),
                 -s * sine, s * cosine, target - s * (-sine * centerX + cosine * centerY)]
        return m.map { Double(Float($0)) }
    }

    /// The inverse of an affine `matrix` (2 × 3 row-major): the crop → picture matrix (`M_c2o`)
    /// for a `cropMatrix`. Nil when the matrix is singular.
    public static func inverted(_ matrix: [Double]) -> [Double]? {
        guard matrix.count == 6 else { return nil }
        let (a, b, tx, c, d, ty) = (matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5])
        let det = a * d - b * c
        guard det != 0, det.isFinite else { return nil }
        return [d / det, -b / det, (b * ty - d * tx) / det, -c / det, a / det, (c * tx - a * ty) / det]
    }
}
