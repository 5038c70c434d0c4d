import Foundation

/// LivePortrait's crop rectangle from facial landmarks, as the official cropper computes it
/// (`src/utils/crop.py`, `parse_rect_from_landmark`), from the 68-point layout
/// (`MeshLandmarks68`), which that function reads natively (`parse_pt2_from_pt68`).
///
/// The official cropper feeds it InsightFace's 106 points, whose weights we cannot ship; FaceMesh's
/// 68-point subset covers the same outline (jaw from temple to temple, brows, eyes, nose, lips),
/// so the rectangle is the official function applied to the points we have: the face's vertical
/// axis runs from the eyes' midpoint (mean of the four eye corners) to the mouth corners' midpoint;
/// the landmarks' bounding square in that rotated frame, scaled by `scale`, moved by
/// `verticalOffset` sides along the axis (negative: up, towards the forehead).
public struct LivePortraitCrop: Sendable, Equatable {
    /// Centre, in pixels from the picture's left.
    public var centerX: Double
    /// Centre, in pixels from the picture's top.
    public var centerY: Double
    /// Side of the square, in pixels.
    public var side: Double
    /// Head roll in radians, as the official `angle`: the rotation of the face's horizontal axis,
    /// clockwise on the screen positive (0 for an upright face).
    public var angle: Double

    /// `crop_cfg.scale` of the official source crop: the square's side over the landmarks' extent.
    public static let sourceScale = 2.3
    /// `crop_cfg.vy_ratio` of the official source crop.
    public static let sourceVerticalOffset = -0.125
    /// `crop_cfg.scale_crop_driving_video`: the official driving-video crop's scale.
    public static let drivingScale = 2.2
    /// `crop_cfg.vy_ratio_crop_driving_video`: the official driving-video crop's offset.
    public static let drivingVerticalOffset = -0.1

    /// The rectangle for `points`, dlib's 68 points in picture pixels (`MeshLandmarks68.points`),
    /// with the official source-crop settings by default. Throws `FaceError.badLandmarks` for a
    /// count other than 68 or points that are not finite.
    public init(points68 points: [SIMD2<Float>], scale: Double = sourceScale, verticalOffset: Double = sourceVerticalOffset) throws {
        guard points.count == 68 else {
            throw FaceError.badLandmarks("LivePortrait's crop reads dlib's 68-point layout, got \(points.count) points")
        }
        let p = points.map { SIMD2<Double>(Double($0.x), Double($0.y)) }
        guard p.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw FaceError.badLandmarks("LivePortrait's crop got landmarks that are not finite")
        }
        // parse_pt2_from_pt68 (use_lip): eyes' midpoint and mouth corners' midpoint.
        let leftEye = (p[36] + p[39]) / 2, rightEye = (p[42] + p[45]) / 2
        let eyes = (leftEye + rightEye) / 2, mouth = (p[48] + p[54]) / 2
        var uy = mouth - eyes
        let length = (uy * uy).sum().squareRoot()
        uy = length <= 1e-3 ? SIMD2(0, 1) : uy / length
        let ux = SIMD2(uy.y, -uy.x)
        angle = ux.y < 0 ? -acos(ux.x) : acos(ux.x)
        // The bounding square in the rotated frame, about the points' mean.
        let mean = p.reduce(SIMD2<Double>.zero, +) / Double(p.count)
        let along = p.map { (($0 - mean) * ux).sum() }, across = p.map { (($0 - mean) * uy).sum() }
        let (x0, x1) = (along.min() ?? 0, along.max() ?? 0), (y0, y1) = (across.min() ?? 0, across.max() ?? 0)
        side = max(x1 - x0, y1 - y0) * scale
        let centre = mean + ux * ((x0 + x1) / 2) + uy * ((y0 + y1) / 2) + uy * (verticalOffset * side)
        centerX = centre.x; centerY = centre.y
    }

    /// The rectangle from FaceMesh's 468 (or 478) points, through their 68-point subset.
    public init(mesh: [SIMD2<Float>], scale: Double = sourceScale, verticalOffset: Double = sourceVerticalOffset) throws {
        try self.init(points68: MeshLandmarks68.points(from: mesh), scale: scale, verticalOffset: verticalOffset)
    }

    /// The axis-aligned framing with this centre and side: the crop PortraitCL cuts where it does not
    /// rotate (a driving video, as the official cropper; `cropMatrix(outputSide:)` is the rotated
    /// source crop).
    public var frame: FaceFrame { FaceFrame(centerX: centerX, centerY: centerY, side: side) }
}
