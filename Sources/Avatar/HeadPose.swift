import Foundation
import NetworkCore
import Runtime

extension HeadPose {
    /// The pose network's 9 outputs: scale (3), yaw, pitch, roll, translation (3). Throws when
    /// there are not exactly 9 finite values.
    public init(parameters p: [Float]) throws {
        guard p.count == 9, p.allSatisfy({ $0.isFinite }) else {
            throw AvatarError.invalidPose("expected 9 finite pose parameters, got \(p)")
        }
        self.init(scale: p[0..<3].map(Double.init), yaw: Double(p[3]), pitch: Double(p[4]), roll: Double(p[5]),
                  translation: p[6..<9].map(Double.init))
    }

    /// The 9 parameters in the pose network's order.
    public var parameters: [Float] {
        (scale + [yaw, pitch, roll] + translation).map { Float($0) }
    }

    /// θ = S·R·T as a row-major 4×4 matrix, angles clamped to [angleMin, angleMax].
    public func matrix(angleMin: Double, angleMax: Double) -> [Double] {
        func clamp(_ a: Double) -> Double { min(max(a, angleMin), angleMax) }
        let (y, p, r) = (clamp(yaw), clamp(pitch), clamp(roll))
        let (cy, sy, cp, sp, cr, sr) = (cos(y), sin(y), cos(p), sin(p), cos(r), sin(r))
        let rot: [Double] = [
            cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr, 0,
            sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr, 0,
            -sp, cp * sr, cp * cr, 0,
            0, 0, 0, 1,
        ]
        let s: [Double] = [scale[0], 0, 0, 0, 0, scale[1], 0, 0, 0, 0, scale[2], 0, 0, 0, 0, 1]
        let t: [Double] = [1, 0, 0, translation[0], 0, 1, 0, translation[1], 0, 0, 1, translation[2], 0, 0, 0, 1]
        return Matrix4.multiply(Matrix4.multiply(s, rot), t)
    }

    /// Checks the free-view pose is usable: 3 scales and 3 translations, finite, non-zero scales.
    func validate() throws {
        guard scale.count == 3, translation.count == 3 else {
            throw AvatarError.invalidPose("scale and translation need 3 values each (got \(scale.count) and \(translation.count))")
        }
        guard (scale + translation + [yaw, pitch, roll]).allSatisfy({ $0.isFinite }), scale.allSatisfy({ abs($0) > 1e-6 }) else {
            throw AvatarError.invalidPose("pose values must be finite and scales non-zero: \(self)")
        }
    }
}

/// Row-major 4×4 matrix helpers (host-side, Double).
enum Matrix4 {
    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 16)
        for i in 0..<4 { for j in 0..<4 { for k in 0..<4 { out[4 * i + j] += a[4 * i + k] * b[4 * k + j] } } }
        return out
    }

    /// The inverse by Gauss–Jordan elimination with partial pivoting; nil when singular.
    static func inverse(_ m: [Double]) -> [Double]? {
        var a = m
        var inv: [Double] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        for col in 0..<4 {
            var pivot = col
            for r in col..<4 where abs(a[4 * r + col]) > abs(a[4 * pivot + col]) { pivot = r }
            guard abs(a[4 * pivot + col]) > 1e-12 else { return nil }
            if pivot != col {
                for k in 0..<4 {
                    a.swapAt(4 * pivot + k, 4 * col + k)
                    inv.swapAt(4 * pivot + k, 4 * col + k)
                }
            }
            let d = a[4 * col + col]
            for k in 0..<4 { a[4 * col + k] /= d; inv[4 * col + k] /= d }
            for r in 0..<4 where r != col {
                let factor = a[4 * r + col]
                if factor == 0 { continue }
                for k in 0..<4 { a[4 * r + k] -= factor * a[4 * col + k]; inv[4 * r + k] -= factor * inv[4 * col + k] }
            }
        }
        return inv
    }

    /// The invertible matrix's inverse, or a typed error naming `what`.
    static func invert(_ m: [Double], _ what: String) throws -> [Double] {
        guard let inv = inverse(m), inv.allSatisfy({ $0.isFinite }) else {
            throw AvatarError.invalidPose("the \(what) head-pose matrix is singular (a zero scale?): \(m)")
        }
        return inv
    }

    /// The expression-crop affine (`network.py crop_matrix`): rows/cols {0,1,3} of θ⁻¹ times
    /// diag(zoom, zoom, 1), first two rows, as a `[1, 2, 3]` tensor.
    static func cropAffine(theta: [Double], zoom: Double, what: String) throws -> Tensor {
        let inv = try invert(theta, what)
        let idx = [0, 1, 3]
        var out = [Float](repeating: 0, count: 6)
        let z = [zoom, zoom, 1]
        for i in 0..<2 { for j in 0..<3 { out[3 * i + j] = Float(inv[4 * idx[i] + idx[j]] * z[j]) } }
        return Tensor(shape: [1, 2, 3], values: out)
    }

    /// The top 3×4 of `m` as a `[1, 3, 4]` tensor (affine_grid's theta for the rigid warps).
    static func top3x4(_ m: [Double]) -> Tensor {
        Tensor(shape: [1, 3, 4], values: m.prefix(12).map { Float($0) })
    }

    /// `m` as a `[1, 4, 4]` tensor.
    static func tensor(_ m: [Double]) -> Tensor { Tensor(shape: [1, 4, 4], values: m.map { Float($0) }) }
}
