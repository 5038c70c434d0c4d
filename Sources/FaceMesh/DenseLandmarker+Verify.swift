import Face
import Kernels
import Runtime

extension DenseLandmarker {
    /// FaceMesh's face-presence score (sigmoid of its face flag, in [0, 1]) for a face that
    /// another detector (YuNet's `FaceDetector`) reported: FaceMesh runs on the region MediaPipe
    /// would build from the box (centre, eyes level, 1.5× the longer side, square). Non-faces
    /// score low (MediaPipe drops < 0.5), so this rejects the cat and the coffee cup that YuNet
    /// reports. `image` as for `find`.
    public func presence(of face: DetectedFace, in image: Tensor) throws -> Float {
        // YuNet's eyes come image-left first, as BlazeFace's right eye (the subject's) then left.
        let region = try Self.faceRegion(face)
        return try mesh(try Self.sampler(image, engine: engine), region: region).0
    }

    /// FaceMesh alone on a given region (e.g. the previous frame's face, as MediaPipe tracks in
    /// video): the presence score and the 468 points in the image's pixels.
    public func mesh(in image: Tensor, region: RotatedRegion) throws -> (presence: Float, points: [SIMD3<Float>]) {
        guard region.width > 0, region.height > 0 else {
            throw FaceMeshError.badOption("the region must have a positive size, got \(region.width)×\(region.height)")
        }
        let (p, points) = try mesh(try Self.sampler(image, engine: engine), region: region)
        return (p, points)
    }
}
