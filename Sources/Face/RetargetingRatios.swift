/// LivePortrait's eye and lip open ratios (`src/utils/retargeting_utils.py`) from FaceMesh points.
///
/// The official functions read its 203-point layout: `calc_eye_close_ratio` divides the distance
/// between points 6 and 18 (the middles of the upper and lower lid) by that between 0 and 12 (the
/// corners) for the image-left eye, and 30/42 over 24/36 for the other; `calc_lip_close_ratio`
/// divides the distance between 90 and 102 (the inner lips' middles) by that between 48 and 66
/// (the mouth's outer corners). The same places on FaceMesh (`meshIndexFor203`): eye corners
/// 33/133 and 362/263, lid middles 159/145 and 386/374, mouth corners 61/291, inner lip middles
/// 13/14. Ratios of distances, so the picture's scale and the crop do not change them.
public struct RetargetingRatios: Sendable, Equatable {
    /// Open ratio of the image-left eye (the subject's right; the official "left", first).
    public var leftEye: Float
    /// Open ratio of the image-right eye.
    public var rightEye: Float
    /// Lip open ratio.
    public var lip: Float

    /// The FaceMesh point at each 203-point index the official ratios read.
    public static let meshIndexFor203: [Int: Int] = [0: 33, 6: 159, 12: 133, 18: 145, 24: 362, 30: 386, 36: 263, 42: 374,
                                                     48: 61, 66: 291, 90: 13, 102: 14]

    /// Positions of the corners and lid middles in the iris network's 71-point eye contour, whose
    /// first 16 points are FaceMesh's eye ring in MediaPipe's order (`33, 7, 163, 144, 145, …,
    /// 133, …, 159, …` for the subject's right eye, mirrored for the left).
    static let contourCorner = 0, contourLower = 4, contourInner = 8, contourUpper = 12

    /// The ratios from `mesh`, FaceMesh's 468 (or 478) points in pixels. With the iris network's
    /// contours (`rightEyeContour` of the subject's right eye, the image-left one; ≥ 16 points),
    /// the eyes use their refined lids, as MediaPipe's refinement replaces the mesh's eye points.
    /// Throws `FaceError.badLandmarks` for too few points or a zero-width eye or mouth.
    public init(mesh: [SIMD2<Float>], rightEyeContour: [SIMD2<Float>]? = nil, leftEyeContour: [SIMD2<Float>]? = nil) throws {
        guard mesh.count >= 468 else {
            throw FaceError.badLandmarks("the retargeting ratios need FaceMesh's 468 points, got \(mesh.count)")
        }
        for contour in [rightEyeContour, leftEyeContour] {
            if let contour, contour.count < 16 {
                throw FaceError.badLandmarks("an eye contour needs the iris network's 16 ring points at least, got \(contour.count)")
            }
        }
        func eye(_ contour: [SIMD2<Float>]?, corner: Int, inner: Int, upper: Int, lower: Int) throws -> Float {
            let c = contour.map { [$0[Self.contourCorner], $0[Self.contourInner], $0[Self.contourUpper], $0[Self.contourLower]] }
                ?? [mesh[corner], mesh[inner], mesh[upper], mesh[lower]]
            return try Self.ratio(c[2], c[3], over: c[0], c[1], what: "eye")
        }
        leftEye = try eye(rightEyeContour, corner: 33, inner: 133, upper: 159, lower: 145)
        rightEye = try eye(leftEyeContour, corner: 263, inner: 362, upper: 386, lower: 374)
        lip = try Self.ratio(mesh[13], mesh[14], over: mesh[61], mesh[291], what: "mouth")
    }

    /// `|a − b| / (|c − d| + 1e-6)`, the official `calculate_distance_ratio`.
    static func ratio(_ a: SIMD2<Float>, _ b: SIMD2<Float>, over c: SIMD2<Float>, _ d: SIMD2<Float>, what: String) throws -> Float {
        let width = ((c - d) * (c - d)).sum().squareRoot()
        guard width.isFinite, width > 0 else {
            throw FaceError.badLandmarks("the \(what)'s corners coincide: no open ratio")
        }
        return ((a - b) * (a - b)).sum().squareRoot() / (width + 1e-6)
    }
}
