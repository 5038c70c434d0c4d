import Runtime

/// How far one result is from a reference: the figures `compare` prints and tests assert on.
public struct Comparison: Sendable, CustomStringConvertible {
    /// Largest |a − b|.
    public let maxAbsoluteError: Float
    /// ‖a − b‖₂ / ‖b‖₂ (0 when both are zero).
    public let relativeError: Double
    /// Normalised mean squared error, Σ(a − b)² / Σb² (ggml's NMSE).
    public let nmse: Double
    /// Index of the worst element under `tolerance` (largest excess over the allowed error).
    public let worstIndex: Int
    /// Mean of (a − b)².
    public let meanSquaredError: Double
    /// Whether every element satisfies |a − b| ≤ abs + rel·|b|, and no value is NaN/inf.
    public let passed: Bool
    /// Number of elements compared.
    public let count: Int

    /// Compares `actual` with `reference` under `tolerance`. Shapes must agree by count.
    public init(actual: [Float], reference: [Float], tolerance: Tolerance) {
        precondition(actual.count == reference.count, "Comparison: \(actual.count) vs \(reference.count) values")
        var maxAbs: Float = 0, diff2 = 0.0, ref2 = 0.0, worst = 0, worstExcess = -Float.infinity
        var ok = true
        for i in 0..<actual.count {
            let a = actual[i], b = reference[i]
            let d = abs(a - b)
            if !a.isFinite || !b.isFinite {
                if !(a.isNaN && b.isNaN) && a != b { ok = false; worst = i; worstExcess = .infinity }
                continue
            }
            maxAbs = max(maxAbs, d)
            diff2 += Double(d) * Double(d)
            ref2 += Double(b) * Double(b)
            let excess = d - (tolerance.absolute + tolerance.relative * abs(b))
            if excess > worstExcess { worstExcess = excess; worst = i }
            if excess > 0 { ok = false }
        }
        maxAbsoluteError = maxAbs
        relativeError = ref2 > 0 ? (diff2 / ref2).squareRoot() : diff2.squareRoot()
        nmse = ref2 > 0 ? diff2 / ref2 : diff2
        meanSquaredError = actual.isEmpty ? 0 : diff2 / Double(actual.count)
        worstIndex = worst
        passed = ok
        count = actual.count
    }

    /// Peak signal-to-noise ratio in dB for signals with the given peak (1 for images in [0, 1]).
    public func psnr(peak: Double = 1) -> Double {
        meanSquaredError > 0 ? 10 * log10(peak * peak / meanSquaredError) : .infinity
    }

    public var description: String {
        "max|Δ| \(maxAbsoluteError), rel \(relativeError), \(passed ? "pass" : "FAIL")"
    }
}

import Foundation
