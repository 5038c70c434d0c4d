/// The motion extractor's reading of one image (`get_kp_info` + `transform_keypoint`): canonical
/// keypoints, head pose, translation, expression deformation, scale, and the transformed
/// keypoints of Eqn. 2. Host values; keypoint sets are `[K · 3]` row-major (keypoint, xyz).
public struct LivePortraitMotion: Sendable, Equatable {
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

    /// Every value as a flat list in a fixed order (canonical, expression, translation, scale,
    /// pitch, yaw, roll): the form a source file stores.
    var packed: [Double] { canonical + expression + translation + [scale, pitch, yaw, roll] }

    /// The inverse of `packed` for `k` keypoints, or nil when the count is wrong.
    init?(packed v: [Double], keypoints k: Int) {
        guard v.count == 6 * k + 7 else { return nil }
        self.init(canonical: Array(v[0..<3 * k]), expression: Array(v[3 * k..<6 * k]), translation: Array(v[6 * k..<6 * k + 3]),
                  scale: v[6 * k + 3], pitch: v[6 * k + 4], yaw: v[6 * k + 5], roll: v[6 * k + 6])
    }
}
