import Kernels

/// One frame's luma for detection: 8-bit levels (0…255) as floats, row-major.
public struct LumaFrame: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height` luma values in 0…255.
    public let values: [Float]

    /// A frame; nil unless `values.count == width × height` and both sides are positive.
    public init?(width: Int, height: Int, values: [Float]) {
        guard width > 0, height > 0, values.count == width * height else { return nil }
        self.width = width
        self.height = height
        self.values = values
    }

    /// The BT.709 luma, in 8-bit levels, of interleaved RGB pixels in [0, 1] (`RGBImage.pixels`);
    /// nil unless `rgb.count == width × height × 3` and both sides are positive.
    public init?(width: Int, height: Int, rgb: [Float]) {
        guard width > 0, height > 0, rgb.count == width * height * 3 else { return nil }
        var values = [Float](repeating: 0, count: width * height)
        rgb.withUnsafeBufferPointer { p in
            for i in values.indices { values[i] = 255 * (0.2126 * p[3 * i] + 0.7152 * p[3 * i + 1] + 0.0722 * p[3 * i + 2]) }
        }
        self.init(width: width, height: height, values: values)
    }
}

/// What `WatermarkDetector.detect()` found.
public struct WatermarkDetection: Sendable {
    /// True when the sync peak passes `syncThreshold` and the decoded payload's CRC matches.
    public let found: Bool
    /// The decoded payload (nil when its CRC did not match).
    public let payload: WatermarkPayload?
    /// Height of the sync correlation peak in standard deviations of all 1024…4096 shifts (about
    /// 4 on unmarked pictures, 10–60 on marked ones).
    public let syncScore: Double
    /// Fraction of the 124 received code bits that agree with the decoded payload (≈ 0.5–0.7 by
    /// chance, 1.0 on a clean mark).
    public let bitAgreement: Double
    /// The tile period found, in pixels of the examined frames (128 on an unscaled render).
    public let period: Double
    /// Frames that were folded together.
    public let frames: Int
    /// The 124 received code-bit values before decoding (positive: a 1), for measuring raw bit
    /// accuracy against `WatermarkPayload.codeword`; empty when nothing was examined.
    public var softBits: [Float] = []
}

/// Finds the keyed watermark in frames of one picture or video: add frames, then `detect()`.
///
/// High-passed luma is examined for the tile period (autocorrelation peaks, plus the three
/// nominal periods); for each candidate every frame is folded onto one tile, the sync pattern is
/// located by circular correlation (the tile's offset: cropping), and the code bits are read at
/// that offset, Viterbi-decoded and CRC-checked. Scale changes appear as another period.
public final class WatermarkDetector {
    /// The sync peak a mark needs, in standard deviations (with the CRC, false alarms are below
    /// one in 10⁶ files; see docs/disclosure.md).
    public static let syncThreshold = 4.5
    private let layout: WatermarkLayout
    private var frames: [LumaFrame] = []
    private var autocorrelation: [Double] = []
    private static let lags = 20...180

    /// A detector for marks made with `key`.
    public init(key: WatermarkKey = .portraitDefault) { layout = WatermarkLayout(key: key) }

    /// Adds one frame (frames of different sizes may be mixed; each is folded on its own grid).
    public func add(_ frame: LumaFrame) {
        let hp = DetectorSignal.highPass(frame.values, width: frame.width, height: frame.height, box: 7, clip: 3)
        let top = min(Self.lags.upperBound, max(Self.lags.lowerBound, min(frame.width, frame.height) * 2 / 3))
        var a = DetectorSignal.autocorrelation(hp, width: frame.width, height: frame.height, lags: Self.lags.lowerBound...top)
        a += [Double](repeating: 0, count: Self.lags.count - a.count)
        if autocorrelation.isEmpty { autocorrelation = a } else { for i in a.indices { autocorrelation[i] += a[i] } }
        frames.append(frame)
    }

    /// Frames added so far.
    public var frameCount: Int { frames.count }

    /// Searches the added frames. With no frames, reports nothing found.
    public func detect() -> WatermarkDetection {
        guard !frames.isEmpty else { return WatermarkDetection(found: false, payload: nil, syncScore: 0, bitAgreement: 0, period: 0, frames: 0) }
        // Each autocorrelation peak ±0.2 %: its sub-pixel estimate can be pulled by the picture.
        var candidates = DetectorSignal.periodCandidates(autocorrelation, firstLag: Self.lags.lowerBound, count: 4)
            .flatMap { [$0 * 0.998, $0, $0 * 1.002] }
        // The unscaled periods are always tried exactly: an autocorrelation peak a fraction of a
        // pixel off (content nearby pulls it) can cost a 1 px-cell tile its sync.
        candidates.removeAll { c in [128.0, 64, 32].contains { abs(c / $0 - 1) < 0.001 } }
        candidates += [128, 64, 32]
        let shortest = frames.map { min($0.width, $0.height) }.min() ?? 0
        var residuals: [Int: [[Float]]] = [:]
        var results = candidates.filter { $0 >= Double(WatermarkLayout.cellsPerSide) && $0 <= Double(shortest) }
            .map { examine(period: $0, residuals: &residuals) }
        results.sort { $0.syncScore > $1.syncScore }
        if let hit = results.first(where: { $0.found }) { return hit }
        return results.first ?? WatermarkDetection(found: false, payload: nil, syncScore: 0, bitAgreement: 0, period: 0, frames: frames.count)
    }

    /// Folds every frame for one period and decodes; `residuals` caches high-passed frames per box size.
    private func examine(period: Double, residuals: inout [Int: [[Float]]]) -> WatermarkDetection {
        let c = WatermarkLayout.cellsPerSide
        let perCell = period / Double(c)
        let q = perCell >= 2 ? 2 : 1
        let n = c * q
        var sum = [Double](repeating: 0, count: n * n), count = sum
        let box = 2 * max(1, Int(perCell.rounded())) + 1
        if residuals[box] == nil {
            residuals[box] = frames.map { DetectorSignal.highPass($0.values, width: $0.width, height: $0.height, box: box, clip: 3) }
        }
        for (f, hp) in zip(frames, residuals[box]!) {
            DetectorSignal.fold(hp, width: f.width, height: f.height, period: period, tile: n, sum: &sum, count: &count)
        }
        let folded = (0..<(n * n)).map { count[$0] > 0 ? Float(sum[$0] / count[$0]) : 0 }
        let g = DetectorSignal.circularHighPass(folded, side: n, box: 2 * q + 1)
        guard let template = try? LumaPattern(cells: layout.sync, cellsPerSide: c, period: n) else {
            return WatermarkDetection(found: false, payload: nil, syncScore: 0, bitAgreement: 0, period: period, frames: frames.count)
        }
        let t = (0..<(n * n)).map { template.value(x: $0 % n, y: $0 / n) }
        let corr = Fourier.circularCorrelation(g, t, side: n)
        let mean = corr.reduce(0, +) / Float(corr.count)
        let variance = corr.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(corr.count)
        let best = corr.indices.max { corr[$0] < corr[$1] }!
        let z = Double((corr[best] - mean) / max(variance.squareRoot(), 1e-12))
        let (payload, agreement, soft) = decodeBits(g, side: n, perCellBins: q, shift: (best % n, best / n))
        return WatermarkDetection(found: payload != nil && z >= Self.syncThreshold, payload: payload, syncScore: z,
                                  bitAgreement: agreement, period: period, frames: frames.count, softBits: soft)
    }

    /// Reads the cells at the sync offset, removes the sync's share, despreads, decodes.
    private func decodeBits(_ g: [Float], side n: Int, perCellBins q: Int, shift: (x: Int, y: Int)) -> (WatermarkPayload?, Double, [Float]) {
        let c = WatermarkLayout.cellsPerSide
        // Bilinear-hat weights of bins around a cell centre (the transpose of how cells were drawn).
        var taps: [(offset: Int, weight: Float)] = []
        for a in (-q)...(2 * q) {
            let u = (Float(a) + 0.5) / Float(q) - 0.5
            let w = 1 - abs(u)
            if w > 0 { taps.append((a, w)) }
        }
        var cellValue = [Float](repeating: 0, count: c * c)
        for j in 0..<c {
            for i in 0..<c {
                var s: Float = 0
                for ty in taps {
                    let row = ((j * q + ty.offset + shift.y) % n + n) % n
                    for tx in taps { s += ty.weight * tx.weight * g[row * n + ((i * q + tx.offset + shift.x) % n + n) % n] }
                }
                cellValue[j * c + i] = s
            }
        }
        let syncShare = zip(cellValue, layout.sync).reduce(0) { $0 + $1.0 * $1.1 } / Float(cellValue.count)
        var soft = [Float](repeating: 0, count: WatermarkLayout.codedBits)
        for k in cellValue.indices {
            soft[layout.bitOfCell[k]] += layout.chip[k] * (cellValue[k] - syncShare * layout.sync[k])
        }
        let bits = ConvolutionalCode.decode(soft: soft, count: WatermarkPayload.protectedBits)
        let recoded = ConvolutionalCode.encode(bits)
        let agree = zip(recoded, soft).filter { ($0.0 == 1) == ($0.1 > 0) }.count
        return (WatermarkPayload(protectedBits: bits), Double(agree) / Double(soft.count), soft)
    }
}
