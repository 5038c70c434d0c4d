import Foundation

/// Latencies in fixed memory: a histogram of 1 ms bins up to `limit` ms (longer ones in the last
/// bin, their exact maximum kept), with the count, mean and maximum; percentiles to the bin.
/// Memory does not grow with the number of samples, so a stream can run for hours.
public struct LatencyHistogram: Sendable {
    private var bins: [Int]
    /// Samples recorded.
    public private(set) var count = 0
    private var total = 0.0
    /// Largest sample, in seconds.
    public private(set) var maximum = 0.0
    /// Smallest sample, in seconds.
    public private(set) var minimum = Double.infinity

    /// An empty histogram with bins up to `limitMilliseconds`.
    public init(limitMilliseconds: Int = 60_000) { bins = [Int](repeating: 0, count: max(1, limitMilliseconds) + 1) }

    /// Adds one latency in seconds (negative values count as 0).
    public mutating func record(_ seconds: Double) {
        let value = max(0, seconds)
        bins[min(bins.count - 1, Int(value * 1000))] += 1
        count += 1
        total += value
        maximum = max(maximum, value)
        minimum = min(minimum, value)
    }

    /// Mean in seconds (0 when empty).
    public var mean: Double { count == 0 ? 0 : total / Double(count) }

    /// The `p`-th percentile (0...100) in seconds, as the upper edge of its 1 ms bin (capped at the
    /// maximum); 0 when empty.
    public func percentile(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((p / 100 * Double(count)).rounded(.up)))
        var seen = 0
        for (bin, n) in bins.enumerated() {
            seen += n
            if seen >= rank { return bin == bins.count - 1 ? maximum : min(maximum, Double(bin + 1) / 1000) }
        }
        return maximum
    }
}
