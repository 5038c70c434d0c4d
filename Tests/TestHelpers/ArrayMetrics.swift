import Foundation

/// Error measures between two equal-length arrays, used by the parity tests.
public enum ArrayMetrics {
    /// max |a − b| / max |b|.
    public static func maxRelative(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        var (diff, scale): (Float, Float) = (0, 0)
        for i in 0..<a.count {
            diff = max(diff, abs(a[i] - b[i]))
            scale = max(scale, abs(b[i]))
        }
        return diff / max(scale, .leastNormalMagnitude)
    }

    /// PSNR in dB of images in [0, 1] (infinity when equal).
    public static func psnr(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var sum = 0.0
        for i in 0..<a.count { let d = Double(a[i] - b[i]); sum += d * d }
        let mse = sum / Double(max(a.count, 1))
        return mse == 0 ? .infinity : 10 * log10(1 / mse)
    }

    /// The fraction of equal elements.
    public static func agreement(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(max(a.count, 1))
    }
}
