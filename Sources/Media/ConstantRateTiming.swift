/// Turns a video's frame timestamps into a constant-rate sequence of output frames, so a
/// variable-frame-rate clip (as phones record) keeps its duration and its sync with the audio.
///
/// Output frame `k` (of a stream at `rate`) is shown during `[k, k + 1) / rate` seconds after
/// the first input frame; it takes the input frame on display at the middle of that interval,
/// `(k + ½) / rate`: the last frame whose timestamp is before it (a frame starting exactly
/// there is the next output frame's). So input frame `i`, on display from `t[i]` to
/// `t[i + 1]`, becomes output frames `slot(t[i]) ..< slot(t[i + 1])` with
/// `slot(t) = ⌊t · rate + ½⌋`: repeated where the input is slower than the output rate,
/// dropped where faster (60 → 30 fps keeps frames 0, 2, 4...). A clip of duration `D` gives
/// `slot(D)` frames, `D · rate` rounded. At the input's own constant rate every frame maps to
/// itself, and timestamps off by less than half a frame (millisecond time bases) change nothing.
struct ConstantRateTiming {
    /// The output rate.
    let rate: FrameRate
    /// Seconds per timestamp tick, `tickNumerator / tickDenominator`.
    let tickNumerator: Int64
    let tickDenominator: Int64
    /// One frame at the stream's nominal rate, in ticks (≥ 1): the step given to a frame with
    /// no timestamp, or one not after the previous frame's.
    let nominalTicks: Int64

    /// Timing for timestamps in units of `timeBase` seconds (`num/den`), output at `rate`;
    /// `nominal` is the stream's own rate (for frames without usable timestamps).
    init(timeBase: (num: Int32, den: Int32), rate: FrameRate, nominal: FrameRate) {
        self.rate = rate
        tickNumerator = Int64(max(1, timeBase.num))
        tickDenominator = Int64(max(1, timeBase.den))
        let perFrame = Double(tickDenominator) * Double(nominal.denominator) / (Double(tickNumerator) * Double(nominal.numerator))
        nominalTicks = perFrame.isFinite ? max(1, Int64(min(perFrame.rounded(), 1e15))) : 1
    }

    /// The number of output frames whose middle comes at or before `ticks` after the first
    /// frame: `⌊ticks · tick · rate + ½⌋`, exact in integers (doubles only where those would
    /// overflow).
    func slot(_ ticks: Int64) -> Int {
        // ticks·tn·rn / (td·rd) + ½ = (2·ticks·tn·rn + td·rd) / (2·td·rd)
        let rn = Int64(rate.numerator), rd = Int64(rate.denominator)
        let (scale, o1) = tickNumerator.multipliedReportingOverflow(by: rn)
        let (period, o2) = tickDenominator.multipliedReportingOverflow(by: rd)
        let inRange = ticks > -FrameClock.limit && ticks < FrameClock.limit && !o1 && !o2 && period < Int64.max / 4
        let (twice, o3) = inRange ? (2 * ticks).multipliedReportingOverflow(by: scale) : (0, true)
        guard !o3, twice < Int64.max / 2, twice > Int64.min / 2 else {
            let value = Double(ticks) * Double(tickNumerator) * Double(rn) / (Double(tickDenominator) * Double(rd)) + 0.5
            return Int(max(-1e15, min(1e15, value.rounded(.down))))
        }
        let numerator = twice + period, denominator = 2 * period
        let quotient = numerator / denominator
        // Integer division truncates toward zero; floor for negative remainders.
        return Int(numerator % denominator < 0 ? quotient - 1 : quotient)
    }
}

/// The presentation times of a stream's frames, in order, made usable for `ConstantRateTiming`:
/// relative to the first frame, strictly increasing, and with an end time for the last frame.
struct FrameClock {
    let timing: ConstantRateTiming
    /// The first frame's own timestamp (ticks), once seen.
    private(set) var origin: Int64?
    /// The latest frame's time, relative to `origin`.
    private(set) var latest: Int64 = 0
    /// The gap between the two latest frames (nil until there are two).
    private var lastGap: Int64?
    /// The latest time any packet said its frame ends, in the stream's own ticks.
    private var packetEnd: Int64?

    init(timing: ConstantRateTiming) { self.timing = timing }

    /// Times are kept within ±2⁶⁰ ticks (timestamps from a file are untrusted: none may overflow).
    static let limit: Int64 = 1 << 60

    /// `a − b`, or nil when it would leave ±`limit`.
    private static func difference(_ a: Int64, _ b: Int64) -> Int64? {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow || value <= -limit || value >= limit ? nil : value
    }

    /// Adds the next frame in display order with timestamp `stamp` (nil: none) and returns its
    /// time relative to the first frame. A missing timestamp, or one not after the previous
    /// frame's, is replaced by the previous time plus one nominal frame.
    mutating func add(frame stamp: Int64?) -> Int64 {
        guard let origin else {
            origin = stamp ?? 0
            return 0
        }
        let time: Int64
        if let stamp, let relative = Self.difference(stamp, origin), relative > latest {
            time = relative
        } else {
            time = min(Self.limit - 1, latest + timing.nominalTicks)
        }
        lastGap = time - latest
        latest = time
        return time
    }

    /// Notes that a packet's frame is shown until `end` ticks (its timestamp plus its duration).
    mutating func notePacketEnd(_ end: Int64) {
        packetEnd = max(packetEnd ?? .min, end)
    }

    /// When the latest frame stops being shown, relative to the first frame: the packets' end
    /// when they give one after it, else one more gap like the last (one nominal frame for a
    /// single frame).
    var end: Int64 {
        if let packetEnd, let origin, let relative = Self.difference(packetEnd, origin), relative > latest { return relative }
        return min(Self.limit, latest + (lastGap ?? timing.nominalTicks))
    }
}
