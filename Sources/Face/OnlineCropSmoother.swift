/// Smooths a face's framing frame by frame as a live stream arrives: causal, no look-ahead (a
/// video file's `FaceTrack` averages frames on both sides; a live stream has no future frames).
/// Each output is the mean of the last `window` framings seen (centre and side alike), so a
/// still face gives a still crop after `window` frames and a moving one is followed with a lag
/// of about `(window − 1) / 2` frames. A jump larger than `resetFraction` of the side (a cut, a
/// different person) restarts the average at once instead of sliding across. Frames without a
/// face keep the last smoothed framing. Memory is `window` framings.
public struct OnlineCropSmoother: Sendable {
    /// How many recent framings are averaged (1: none).
    public let window: Int
    /// A centre jump beyond this fraction of the side restarts the average.
    public let resetFraction: Double
    private var recent: [FaceFrame] = []
    private var next = 0
    /// The last smoothed framing (nil before the first face).
    public private(set) var current: FaceFrame?

    /// A smoother over `window` (≥ 1) framings that restarts on a jump of `resetFraction` of the side.
    public init(window: Int, resetFraction: Double = 0.5) {
        self.window = max(1, window)
        self.resetFraction = resetFraction
    }

    /// Takes this frame's framing (nil: no face found) and returns the smoothed one (nil while no
    /// face has been seen yet).
    public mutating func update(_ frame: FaceFrame?) -> FaceFrame? {
        guard let frame else { return current }
        if let current {
            let jump = max(abs(frame.centerX - current.centerX), abs(frame.centerY - current.centerY))
            if jump > resetFraction * current.side { recent.removeAll(); next = 0 }
        }
        if recent.count < window { recent.append(frame) } else { recent[next] = frame }
        next = (next + 1) % window
        let n = Double(recent.count)
        let smoothed = FaceFrame(centerX: recent.reduce(0) { $0 + $1.centerX } / n,
                                 centerY: recent.reduce(0) { $0 + $1.centerY } / n,
                                 side: recent.reduce(0) { $0 + $1.side } / n)
        current = smoothed
        return smoothed
    }
}
