#if canImport(Media)
import ArgumentParser
import Face
import FaceMesh
import NetworkCore

/// Which face finder frames pictures for `--crop auto` (`--detector`).
enum DetectorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// MediaPipe first; where its short-range detector finds no face (faces under about a fifth of
    /// the picture), YuNet with the fitted rules, said on stderr. The default.
    case auto
    /// MediaPipe's BlazeFace + FaceMesh on our kernels only: the official EMOPortraits crop from the
    /// BlazeFace box, LivePortrait's official rule on the dense landmarks; no face found is an error.
    case mediapipe
    /// YuNet's five landmarks with the fitted framing rules (`FaceFrame.emoPortraits`/`livePortrait`),
    /// the default before MediaPipe's: finds small faces, frames them by rules fitted to MediaPipe's.
    case yunet
}

/// One face as `FaceLocator` finds it: the five-point form `portrait faces` lists and `--face`
/// picks, and with MediaPipe, the dense landmarks the framing is computed from.
struct LocatedFace: TrackedFace {
    /// Box, score and five landmarks (eyes, nose tip, mouth corners) in the picture's pixels.
    var face: DetectedFace
    /// FaceMesh's points and the BlazeFace box (nil with YuNet).
    var dense: DenseFaceLandmarks?

    func overlap(_ other: LocatedFace) -> Float { face.overlap(other.face) }

    /// A MediaPipe face: the BlazeFace box and score, and as the five landmarks the eye centres
    /// (mean of each eye's corners), the nose tip (point 1) and the mouth corners (61, 291).
    init(dense: DenseFaceLandmarks) {
        let p = dense.points.map { SIMD2($0.x, $0.y) }
        let d = dense.detection
        face = DetectedFace(x: d.x, y: d.y, width: d.width, height: d.height, score: d.score,
                            landmarks: [(p[33] + p[133]) / 2, (p[362] + p[263]) / 2, p[1], p[61], p[291]])
        self.dense = dense
    }

    /// A YuNet face.
    init(yunet face: DetectedFace) {
        self.face = face
        dense = nil
    }

    /// The detector that found this face: `mediapipe` or `yunet` (`portrait faces --json` prints it).
    var detectorName: String { dense == nil ? DetectorChoice.yunet.rawValue : DetectorChoice.mediapipe.rawValue }

    /// How `FaceLocator.frame` frames this face for `family`, in words (for `portrait faces` and the
    /// render's and plan's reports).
    func framingRule(for family: ModelFamily) -> String { Self.framingRule(dense: dense != nil, for: family) }

    /// `framingRule(for:)` of a face found by MediaPipe (`dense`) or YuNet.
    static func framingRule(dense: Bool, for family: ModelFamily) -> String {
        switch (dense, family.entry.officialFaceCrop) {
        case (true, .emoPortraits): return "MediaPipe, the official EMOPortraits crop of its BlazeFace box"
        case (true, .livePortrait): return "MediaPipe, LivePortrait's official crop rule on its FaceMesh landmarks"
        case (false, .emoPortraits): return "YuNet, the EMOPortraits crop by the rule fitted to MediaPipe's boxes"
        case (false, .livePortrait): return "YuNet, the LivePortrait crop estimated from five landmarks"
        }
    }

    /// This face with every coordinate multiplied by `factor` (found on a resized picture).
    func scaled(by factor: Float) -> LocatedFace {
        var copy = self
        copy.face = face.scaled(by: factor)
        if var d = dense {
            func scale(_ points: [SIMD3<Float>]) -> [SIMD3<Float>] { points.map { $0 * factor } }
            d.points = scale(d.points)
            d.rightEyeContour = scale(d.rightEyeContour); d.leftEyeContour = scale(d.leftEyeContour)
            d.rightIris = scale(d.rightIris); d.leftIris = scale(d.leftIris)
            let b = d.detection
            d.detection = BlazeFaceDetection(x: b.x * factor, y: b.y * factor, width: b.width * factor, height: b.height * factor,
                                             score: b.score, keypoints: b.keypoints.map { $0 * factor })
            d.region = RotatedRegion(centerX: d.region.centerX * factor, centerY: d.region.centerY * factor,
                                     width: d.region.width * factor, height: d.region.height * factor, rotation: d.region.rotation)
            copy.dense = d
        }
        return copy
    }
}

extension DenseFaceLandmarks {
    /// The 468 points without depth.
    var points2D: [SIMD2<Float>] { points.map { SIMD2($0.x, $0.y) } }

    /// LivePortrait's eye and lip open ratios, the eyes from the iris network's contours when
    /// they were computed.
    func retargetingRatios() throws -> RetargetingRatios {
        func flat(_ c: [SIMD3<Float>]) -> [SIMD2<Float>]? { c.isEmpty ? nil : c.map { SIMD2($0.x, $0.y) } }
        return try RetargetingRatios(mesh: points2D, rightEyeContour: flat(rightEyeContour), leftEyeContour: flat(leftEyeContour))
    }
}
#endif
