/// The square region around a face that the model should see, in continuous image pixels:
/// its centre and its side. Rounding to whole pixels happens where the picture is cut
/// (`SquareCrop.around` in Media); the frame keeps its side where it reaches beyond the picture
/// (padded black there), so a face at the edge is framed as one in the middle.
public struct FaceFrame: Sendable, Equatable {
    /// Centre, in pixels from the image's left.
    public var centerX: Double
    /// Centre, in pixels from the image's top.
    public var centerY: Double
    /// Side length in pixels.
    public var side: Double

    /// A frame centred at (`centerX`, `centerY`) with side `side`.
    public init(centerX: Double, centerY: Double, side: Double) {
        self.centerX = centerX; self.centerY = centerY; self.side = side
    }

    /// The EMOPortraits inference framing of `face`, estimated from its five landmarks.
    ///
    /// The official inference (`notebooks/infer.py`) takes a MediaPipe face box
    /// `(xmin, ymin, w, h)` and crops the square centred on `(xmin … xmin+w, 0.9·ymin … ymin+1.2·h)`
    /// with side `w + (ymin + 1.2·h − 0.9·ymin)`: about 2.3 box heights, face in the upper middle.
    /// We estimate MediaPipe's (square) box from YuNet's landmarks with a scale
    /// `s = (eye-to-mouth + interocular distance) / 2`: box side 2.41·s, centre 0.056·s right of and
    /// 0.617·s below the midpoint of the eyes (least squares over 14 MediaPipe runs, see
    /// docs/face-detection.md). The official top margin `0.1·ymin` depends on where the face sits
    /// in the picture; we use its value for a portrait framing, 0.08 box heights, so the crop does
    /// not change when the same face moves down the frame. Together: side `5.50·s`, centre
    /// `(eyes.x + 0.056·s, eyes.y + 0.762·s)`. Axis-aligned, as the official crop: the model takes
    /// head roll from the picture, so the crop must not rotate it away.
    public static func emoPortraits(for face: DetectedFace) -> FaceFrame {
        let (eyes, s) = landmarkScale(face)
        return FaceFrame(centerX: Double(eyes.x) + Calibration.eyesToCenterX * s,
                         centerY: Double(eyes.y) + Calibration.eyesToCenterY * s,
                         side: Calibration.side * s)
    }

    /// The LivePortrait inference framing of `face`, estimated from its five landmarks.
    ///
    /// The official cropper (`utils/crop.py`, `crop_cfg.py`: `scale 2.3`, `vy_ratio −0.125`)
    /// takes InsightFace's 106 landmarks, the square around them with side 2.3 × the larger of
    /// their width and height, moved up by 0.125 sides along the eye-to-mouth axis (and rotated
    /// to undo head roll). We have no InsightFace: we take the 106-point box to be the face box
    /// MediaPipe draws (brows to chin, cheek to cheek; 2.41·s from the five landmarks, see
    /// `emoPortraits(for:)`), so the crop is side `2.3 × 2.41·s = 5.54·s`, centred at
    /// `(eyes.x + 0.056·s, eyes.y + 0.617·s − 0.125 × 5.54·s) = (eyes.x + 0.056·s, eyes.y − 0.076·s)`.
    /// An estimate from the face's proportions, not a calibration against InsightFace; it keeps
    /// the crop axis-aligned (the motion extractor reads roll from the crop, and the paste-back
    /// needs no rotation).
    public static func livePortrait(for face: DetectedFace) -> FaceFrame {
        let (eyes, s) = landmarkScale(face)
        let side = LivePortraitFraming.scale * Calibration.mediaPipeBox * s
        return FaceFrame(centerX: Double(eyes.x) + Calibration.eyesToCenterX * s,
                         centerY: Double(eyes.y) + 0.617 * s + LivePortraitFraming.verticalOffset * side,
                         side: side)
    }

    /// The official LivePortrait crop settings `livePortrait(for:)` applies.
    public enum LivePortraitFraming {
        /// `crop_cfg.scale`: crop side over the landmark box side.
        public static let scale = 2.3
        /// `crop_cfg.vy_ratio`: centre offset along the face's vertical axis, in crop sides (up).
        public static let verticalOffset = -0.125
    }

    /// The eyes' midpoint and the landmark scale `s = (eye-to-mouth + interocular) / 2`.
    static func landmarkScale(_ face: DetectedFace) -> (eyes: SIMD2<Float>, s: Double) {
        let marks = face.landmarks
        let eyes = (marks[0] + marks[1]) / 2
        let mouth = (marks[3] + marks[4]) / 2
        let eyeToMouth = Double(((mouth - eyes) * (mouth - eyes)).sum().squareRoot())
        let interocular = Double(((marks[1] - marks[0]) * (marks[1] - marks[0])).sum().squareRoot())
        return (eyes, (eyeToMouth + interocular) / 2)
    }

    /// The constants of `emoPortraits(for:)`, in units of the landmark scale `s`.
    public enum Calibration {
        /// MediaPipe box side ≈ 2.41·s.
        public static let mediaPipeBox = 2.41
        /// Top margin of the official crop, in MediaPipe box heights (0.1·ymin at a portrait framing).
        public static let topMargin = 0.08
        /// Crop side: box side + (1.2 + top margin) box sides.
        public static let side = mediaPipeBox * (2.2 + topMargin)
        /// Horizontal offset of the crop centre from the eyes' midpoint (MediaPipe's own bias).
        public static let eyesToCenterX = 0.056
        /// Vertical offset of the crop centre from the eyes' midpoint: box centre (0.617·s) plus
        /// half of (1.2 − top margin − 1) box sides.
        public static let eyesToCenterY = 0.617 + mediaPipeBox * (0.2 - topMargin) / 2
    }

    /// This frame with every coordinate multiplied by `factor` (a detection made on a resized picture).
    public func scaled(by factor: Double) -> FaceFrame {
        FaceFrame(centerX: centerX * factor, centerY: centerY * factor, side: side * factor)
    }
}
