/// The 68 points of the dlib / iBUG 300-W layout taken from MediaPipe FaceMesh's 468 points.
///
/// One FaceMesh point per dlib point, chosen at the same place on the face (docs/face-detection.md
/// has the table): jaw 0–16 (the image-left end first, chin 8), brows 17–26, nose bridge 27–30,
/// nostrils 31–35, eyes 36–47 (the image-left eye first; corners 36 and 39, 42 and 45, upper lid
/// 37–38 and 43–44, lower lid 40–41 and 46–47), outer lips 48–59 (48 and 54 the corners, 51 the top of
/// the upper lip, 57 the bottom of the lower), inner lips 60–67. Mirror pairs of the table are
/// mirror pairs of the canonical mesh (e.g. 36 ↔ 45 is 33 ↔ 263), so the subset keeps dlib's
/// left-right symmetry. FaceMesh's jaw ends sit a little higher on the temples than dlib's.
public enum MeshLandmarks68 {
    /// `meshIndex[i]` is the FaceMesh point standing for dlib point `i` (0-based).
    public static let meshIndex: [Int] = [
        127, 234, 93, 132, 58, 136, 150, 176, 152, 400, 379, 365, 288, 361, 323, 454, 356,  // jaw 0-16
        70, 63, 105, 66, 107, 336, 296, 334, 293, 300,  // brows 17-26
        168, 197, 5, 4, 75, 97, 2, 326, 305,  // nose 27-35
        33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,  // eyes 36-47
        61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,  // outer lips 48-59
        78, 82, 13, 312, 308, 317, 14, 87,  // inner lips 60-67
    ]

    /// The 68 points picked from `mesh`, FaceMesh's 468 points (or the 478 of its refined form:
    /// the first 468 are the same places). Throws `FaceError.badLandmarks` for fewer than 468.
    public static func points<Point>(from mesh: [Point]) throws -> [Point] {
        guard mesh.count >= 468 else {
            throw FaceError.badLandmarks("the 68-point subset needs FaceMesh's 468 points, got \(mesh.count)")
        }
        return meshIndex.map { mesh[$0] }
    }
}
