/// The motion extractor's reading of one image (`get_kp_info` + `transform_keypoint`): canonical
/// keypoints, head pose, translation, expression deformation, scale, and the transformed
/// keypoints of Eqn. 2. Host values; keypoint sets are `[K · 3]` row-major (keypoint, xyz).
public struct LivePortraitMotion: Sendable, Equatable, Codable {
    /// Canonical keypoints x_c `[K · 3]`.
    public var canonical: [Double]
    /// Expression deformation δ `[K · 3]`.
    public var expression: [Double]
    /// Translation (tx, ty, tz); tz is never applied.
    public var translation: [Double]
    /// Scale s.
    public var scale: Double
    /// Pitch, yaw and roll in degrees (from the 66-bin heads).
    public var pitch: Double, yaw: Double, roll: Double

    /// A motion from its parts (the rotation and keypoints are derived).
    public init(canonical: [Double], expression: [Double], translation: [Double], scale: Double,
                pitch: Double, yaw: Double, roll: Double) {
        self.canonical = canonical
        self.expression = expression
        self.translation = translation
        self.scale = scale
        self.pitch = pitch
        self.yaw = yaw
        self.roll = roll
    }

    /// Keypoints K.
    public var keypointCount: Int { canonical.count / 3 }

    /// The rotation R (3×3 row-major, `kp · R`) of the pose angles.
    public var rotation: [Double] { Keypoints.rotation(pitch: pitch, yaw: yaw, roll: roll) }

    /// The transformed keypoints x = s · (x_c · R + δ) + (tx, ty, 0) (Eqn. 2) `[K · 3]`.
    public var keypoints: [Double] {
        Keypoints.transform(canonical, rotation: rotation, expression: expression, scale: scale, translation: translation)
    }

    /// Whether every value is finite and the part sizes agree.
    var isValid: Bool {
        let k = keypointCount
        let values = canonical + expression + translation + [scale, pitch, yaw, roll]
        return canonical.count == 3 * k && expression.count == 3 * k && translation.count == 3 && values.allSatisfy { $0.isFinite }
    }
}
