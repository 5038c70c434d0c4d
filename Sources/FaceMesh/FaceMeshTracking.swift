import Face
import Foundation
import Runtime

/// Following one face from frame to frame with FaceMesh alone, as MediaPipe's video mode does
/// (`face_landmark_front` with `face_landmarks_to_roi`): each frame's FaceMesh runs on the region
/// built from the previous frame's points, and the face detector runs again only when FaceMesh's
/// presence falls below the threshold (the face was lost). LivePortrait's official cropper follows
/// a source video the same way with its own landmark model (`crop_source_video`: the 203-point
/// model on a crop around the previous frame's points).
extension DenseLandmarker {
    /// MediaPipe's tracking region from a face's points (`face_landmarks_to_roi`): the points'
    /// bounding box's centre, rotated so that points 33 and 263 (the outer eye corners) lie level,
    /// the longer side enlarged 1.5×, square. Throws `FaceMeshError.badImage` for fewer than 264
    /// points or points that are not finite.
    public static func trackingRegion(points: [SIMD3<Float>]) throws -> RotatedRegion {
        guard points.count >= 264, points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw FaceMeshError.badImage("tracking needs FaceMesh's 468 finite points, got \(points.count)")
        }
        let xs = points.map(\.x), ys = points.map(\.y)
        let (x0, x1, y0, y1) = (xs.min() ?? 0, xs.max() ?? 0, ys.min() ?? 0, ys.max() ?? 0)
        let (a, b) = (points[33], points[263])
        let side = meshScale * max(x1 - x0, y1 - y0)
        return RotatedRegion(centerX: (x0 + x1) / 2, centerY: (y0 + y1) / 2, width: side, height: side,
                             rotation: normalizedAngle(atan2(b.y - a.y, b.x - a.x)))
    }

    /// MediaPipe's region for a face another detector found (YuNet's `DetectedFace`: its box and
    /// its two eye landmarks, image-left first), as `faceRegion` builds it from a BlazeFace box.
    public static func faceRegion(_ face: DetectedFace) throws -> RotatedRegion {
        guard face.landmarks.count >= 2, face.width > 0, face.height > 0 else {
            throw FaceMeshError.badImage("the face must have a positive box and its two eye landmarks, got \(face.box) with \(face.landmarks.count) landmarks")
        }
        return faceRegion(BlazeFaceDetection(x: face.x, y: face.y, width: face.width, height: face.height, score: face.score,
                                             keypoints: [face.landmarks[0], face.landmarks[1]]))
    }

    /// FaceMesh on `image` at the region of the previous frame's `points` (`trackingRegion`): the
    /// presence score and the 468 points in the image's pixels. A presence below
    /// `DenseLandmarkOptions.minPresence` (0.5, MediaPipe's tracking threshold) means the face was
    /// lost: search the frame again with `find`.
    public func track(in image: Tensor, previous points: [SIMD3<Float>]) throws -> (presence: Float, points: [SIMD3<Float>]) {
        try mesh(in: image, region: Self.trackingRegion(points: points))
    }
}
