/// Which part of the driving motion moves the source (`animation_region`).
public enum AnimationRegion: String, Sendable, CaseIterable, Codable {
    /// Pose, expression and scale (the default).
    case all
    /// Expression only (source pose, translation and scale kept).
    case exp
    /// Pose and translation only (source expression and scale kept).
    case pose
    /// The expression at the lip keypoints only.
    case lip
    /// The expression at the eye keypoints only.
    case eyes
}

/// Eye-open ratios for eye retargeting (from the 203-point landmarks: |p6−p18| / |p0−p12| and
/// |p30−p42| / |p24−p36|; the landmark model is not part of the engine).
public struct EyeRatios: Sendable, Equatable {
    /// The source's left and right eye ratios and the driving frame's (combined) ratio.
    public var sourceLeft: Float, sourceRight: Float, driving: Float

    /// Ratios for one frame.
    public init(sourceLeft: Float, sourceRight: Float, driving: Float) {
        self.sourceLeft = sourceLeft
        self.sourceRight = sourceRight
        self.driving = driving
    }
}

/// Lip-open ratios for lip retargeting (|p90−p102| / |p48−p66| of the 203-point landmarks).
public struct LipRatios: Sendable, Equatable {
    /// The source's and the driving frame's lip ratios.
    public var source: Float, driving: Float

    /// Ratios for one frame.
    public init(source: Float, driving: Float) {
        self.source = source
        self.driving = driving
    }
}

/// The official pipeline's per-frame switches (`argument_config.py`); the defaults are its
/// defaults: relative motion, region `all`, 'expression-friendly', stitching on, no retargeting,
/// driving multiplier 1.
public struct LivePortraitOptions: Sendable, Equatable {
    /// Motion relative to the first driving frame (`flag_relative_motion`); false: absolute.
    public var relativeMotion: Bool = true
    /// What the driving motion moves (`animation_region`).
    public var region: AnimationRegion = .all
    /// `driving_option == "expression-friendly"`: rescale the motion by the hull-volume ratio
    /// sqrt(V(x_s)) / sqrt(V(x_d,0)) around x_s (false: 'pose-friendly', no rescale). Applies to
    /// relative motion only, as in the official pipeline; absolute motion is never rescaled.
    public var expressionFriendly: Bool = true
    /// The stitching MLP's correction (`flag_stitching`).
    public var stitching: Bool = true
    /// Eye retargeting with these ratios (`flag_eye_retargeting`); nil: off.
    public var eyeRetargeting: EyeRatios? = nil
    /// Lip retargeting with these ratios (`flag_lip_retargeting`); nil: off.
    public var lipRetargeting: LipRatios? = nil
    /// The official "normalize lip" (`flag_normalize_lip`) with this source lip open ratio: with
    /// relative motion and no eye or lip retargeting, when the ratio is at least
    /// `lipNormalizeThreshold`, the lip retargeting delta toward a closed mouth (source ratio, 0)
    /// is added after stitching, so a source with an open mouth starts from a closed one. nil: off.
    public var normalizeLip: Float? = nil
    /// `flag_source_video_eye_retargeting`: with no eye or lip retargeting, the eye retargeting
    /// delta for these ratios (the source frame's own, and as the driving ratio the first source
    /// frame's mean, 0.39 when that is below 0.18: `sourceEyeTarget`) is added after
    /// stitching, so every frame of a source video keeps the first frame's eye opening. nil: off.
    public var sourceEyeRetargeting: EyeRatios? = nil
    /// `x_d = x_s + (x_d − x_s) · multiplier` at the end (`driving_multiplier`).
    public var drivingMultiplier: Double = 1
    /// The driver is one picture, not a video (`flag_is_driving_video` false): in relative mode
    /// its expression is taken relative to the config's neutral expression (eyes: to zero), its
    /// pose and scale relative to itself (so the source keeps its own), and no
    /// 'expression-friendly' rescale applies, as the official pipeline does.
    public var stillDriver: Bool = false

    /// The official defaults.
    public init() {}

    /// Whether either retargeting is on (the driving motion is then replaced by the deltas).
    public var retargeting: Bool { eyeRetargeting != nil || lipRetargeting != nil }

    /// `lip_normalize_threshold`: a source lip ratio below this is closed already; no normalising.
    public static let lipNormalizeThreshold: Float = 0.03
    /// `source_video_eye_retargeting_threshold`: a first source frame whose mean eye ratio is
    /// below this counts as closed, and 0.39 is used instead.
    public static let sourceEyeThreshold: Float = 0.18
    /// The open ratio used when the first source frame's eyes are closed.
    public static let sourceEyeFallback: Float = 0.39

    /// The driving ratio `--source-video-eye-retargeting` holds every frame to: the mean of the
    /// first source frame's two eye ratios, or `sourceEyeFallback` when that is below
    /// `sourceEyeThreshold` (the official pipeline's `c_d_eye_before_animation_frame_zero`).
    public static func sourceEyeTarget(firstLeft: Float, firstRight: Float) -> Float {
        let mean = (firstLeft + firstRight) / 2
        return mean < sourceEyeThreshold ? sourceEyeFallback : mean
    }
}
