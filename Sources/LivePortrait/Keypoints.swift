import Foundation

/// LivePortrait's keypoint geometry on the host (a few dozen numbers per frame, in Double):
/// pose bins to degrees, the Euler rotation, the keypoint transform of the paper's Eqn. 2
/// (`utils/camera.py`, `live_portrait_wrapper.py`). Keypoint sets are `[K · 3]` row-major
/// (keypoint, xyz); matrices are 3×3 row-major; keypoints are row vectors (`kp · R`).
public enum Keypoints {
    /// Pose-bin logits → degrees: `3 · Σ_i softmax(logits)_i · i − 97.5` (66 bins of 3°).
    public static func degrees(fromBins logits: [Float]) -> Double {
        let top = Double(logits.max() ?? 0)
        let weights = logits.map { Foundation.exp(Double($0) - top) }
        let total = weights.reduce(0, +)
        let expected = weights.enumerated().reduce(0) { $0 + $1.element * Double($1.offset) } / total
        return 3 * expected - 97.5
    }

    /// The rotation `R = (Rz(roll) · Ry(yaw) · Rx(pitch))ᵀ` from degrees, row-major; a keypoint
    /// row vector rotates as `kp · R`.
    public static func rotation(pitch: Double, yaw: Double, roll: Double) -> [Double] {
        let (p, y, r) = (pitch / 180 * .pi, yaw / 180 * .pi, roll / 180 * .pi)
        let rx = [1, 0, 0, 0, cos(p), -sin(p), 0, sin(p), cos(p)]
        let ry = [cos(y), 0, sin(y), 0, 1, 0, -sin(y), 0, cos(y)]
        let rz = [cos(r), -sin(r), 0, sin(r), cos(r), 0, 0, 0, 1]
        return transpose(multiply(multiply(rz, ry), rx))
    }

    /// Eqn. 2: `x = scale · (kp · R + exp) + (tx, ty, 0)` (tz is never applied).
    public static func transform(_ kp: [Double], rotation: [Double], expression: [Double], scale: Double,
                                 translation: [Double]) -> [Double] {
        let rotated = rotate(kp, by: rotation)
        return (0..<kp.count).map { i in
            scale * (rotated[i] + expression[i]) + (i % 3 < 2 ? translation[i % 3] : 0)
        }
    }

    /// `points · R` for `[K · 3]` row vectors.
    public static func rotate(_ points: [Double], by r: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: points.count)
        for k in 0..<points.count / 3 {
            for j in 0..<3 {
                out[3 * k + j] = points[3 * k] * r[j] + points[3 * k + 1] * r[3 + j] + points[3 * k + 2] * r[6 + j]
            }
        }
        return out
    }

    /// The 3×3 product `a · b` (row-major).
    public static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 { out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j] }
        }
        return out
    }

    /// The 3×3 transpose (row-major).
    public static func transpose(_ a: [Double]) -> [Double] { [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]] }
}
