import Foundation

/// A head pose: the 9 outputs of the pose network (`network.py pose_matrix`), or a pose given
/// directly for free-view rendering. Angles are radians; R = Rz(yaw)·Ry(pitch)·Rx(roll).
public struct HeadPose: Sendable, Equatable, Codable {
    /// Per-axis scale (sx, sy, sz); about 1 for a typical face.
    public var scale: [Double]
    /// Rotation about z, radians.
    public var yaw: Double
    /// Rotation about y, radians.
    public var pitch: Double
    /// Rotation about x, radians.
    public var roll: Double
    /// Translation (tx, ty, tz) in normalised volume units.
    public var translation: [Double]

    /// A pose from its parts.
    public init(scale: [Double] = [1, 1, 1], yaw: Double = 0, pitch: Double = 0, roll: Double = 0, translation: [Double] = [0, 0, 0]) {
        self.scale = scale
        self.yaw = yaw
        self.pitch = pitch
        self.roll = roll
        self.translation = translation
    }
}
