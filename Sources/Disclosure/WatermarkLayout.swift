import Kernels

/// The geometry and the keyed sequences of the watermark (design: docs/disclosure.md).
///
/// A tile of 32 × 32 cells, repeated over the frame with a period of 128 px (a cell is 4 px; 64 or
/// 32 px periods on frames under 256 or 128 px), carries two superposed ±1 patterns: a sync pattern over
/// every cell (found by circular correlation, it gives the tile's offset after cropping) and the
/// 124 code bits, each spread over ~8 keyed cells with keyed chip signs. Folding all tiles of all
/// sampled frames into one before decoding is what makes small crops and short clips cheap; the
/// detector estimates the period from the pattern's own autocorrelation, so scaling is found, not
/// searched blindly.
public struct WatermarkLayout: Sendable {
    /// The scheme's name and version, written into file labels.
    public static let scheme = "portraitcl-tiled-luma-v1"
    /// Cells along each side of the tile.
    public static let cellsPerSide = 32
    /// Cells in the tile.
    static let cellCount = cellsPerSide * cellsPerSide
    /// Coded bits carried by the tile.
    static let codedBits = ConvolutionalCode.codedCount(WatermarkPayload.protectedBits)
    /// Share of the cell amplitude given to the sync pattern (the rest carries the bits).
    static let syncWeight: Float = 0.447
    static let messageWeight: Float = 0.894
    /// The key the sequences come from.
    public let key: WatermarkKey
    /// Sync sign per cell.
    let sync: [Float]
    /// Chip sign per cell.
    let chip: [Float]
    /// The code bit each cell carries.
    let bitOfCell: [Int]

    /// The sequences for `key`.
    public init(key: WatermarkKey = .portraitDefault) {
        self.key = key
        var s = key.stream(1), c = key.stream(2), p = key.stream(3)
        sync = (0..<Self.cellCount).map { _ in s.sign() }
        chip = (0..<Self.cellCount).map { _ in c.sign() }
        var order = Array(0..<Self.cellCount)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, p.below(i + 1)) }
        bitOfCell = order.map { $0 % Self.codedBits }
    }

    /// The tile period used for a frame whose shorter side is `shortSide` pixels: 128 px, halved
    /// until two tiles fit (never below one pixel per cell). A 64 px frame gets 1 px cells: fine
    /// for PNGs, too fine to survive video coding (docs/disclosure.md, limits).
    public static func period(forShortSide shortSide: Int) -> Int {
        var period = 128
        while period > cellsPerSide && period * 2 > shortSide { period /= 2 }
        return period
    }

    /// Cell values (sync + keyed code bits) for `payload`, unscaled.
    func cellValues(for payload: WatermarkPayload) -> [Float] {
        let coded = ConvolutionalCode.encode(payload.protectedBitValues)
        return (0..<Self.cellCount).map { c in
            let bit: Float = coded[bitOfCell[c]] == 1 ? 1 : -1
            return Self.syncWeight * sync[c] + Self.messageWeight * chip[c] * bit
        }
    }

    /// The pattern for `payload` on a frame with shorter side `shortSide`: one tile of `period`²
    /// values, row-major, scaled so the largest magnitude is 1 (the embedder multiplies it by the
    /// allowed peak change at each pixel, `VisibilityMask`). Equal to `LumaPattern.value(x:y:)`
    /// over the tile, divided by its peak.
    func unitTile(for payload: WatermarkPayload, shortSide: Int) throws -> (values: [Float], period: Int) {
        let period = Self.period(forShortSide: shortSide)
        let pattern = try LumaPattern(cells: cellValues(for: payload), cellsPerSide: Self.cellsPerSide, period: period)
        var tile = [Float](repeating: 0, count: period * period)
        for y in 0..<period { for x in 0..<period { tile[y * period + x] = pattern.value(x: x, y: y) } }
        let peak = tile.reduce(0) { max($0, abs($1)) }
        return (tile.map { $0 / max(peak, 1e-6) }, period)
    }
}
