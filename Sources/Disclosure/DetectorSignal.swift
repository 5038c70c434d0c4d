/// The signal processing under `WatermarkDetector`: high-pass filtering, period estimation by
/// autocorrelation, folding tiles, circular correlation. Plain loops over contiguous rows.
enum DetectorSignal {
    /// The picture's high-pass residual weighted as a matched filter for a perceptually shaped
    /// mark: `plane − boxMean(plane)` over a `box`×`box` window, times the amplitude the embedder
    /// would have given each pixel (`VisibilityMask`, recomputed from the received picture),
    /// divided by the square of the local noise (the mean absolute residual around it, 15×15, plus
    /// `floor` levels), clipped to ±`clip`. Flat regions, where the mark is least disturbed, count
    /// most; strong edges cannot dominate.
    static func highPass(_ plane: [Float], width w: Int, height h: Int, box: Int, clip: Float, floor: Float = 0.5) -> [Float] {
        let mean = boxMean(plane, width: w, height: h, box: box)
        var residual = [Float](repeating: 0, count: w * h)
        for i in residual.indices { residual[i] = plane[i] - mean[i] }
        let activity = boxMean(residual.map { abs($0) }, width: w, height: h, box: 15)
        let amplitude = VisibilityMask.amplitude(luma: plane, width: w, height: h)
        for i in residual.indices {
            let noise = activity[i] + floor
            residual[i] = min(max(residual[i] * amplitude[i] / (noise * noise), -clip), clip)
        }
        return residual
    }

    /// The mean over a `box`×`box` window (shrunk at the borders): rows, then columns.
    static func boxMean(_ plane: [Float], width w: Int, height h: Int, box: Int) -> [Float] {
        var rows = [Float](repeating: 0, count: w * h)
        var out = [Float](repeating: 0, count: w * h)
        var prefix = [Float](repeating: 0, count: max(w, h) + 1)
        for y in 0..<h { slidingMean(count: w, radius: box / 2, prefix: &prefix, read: { plane[y * w + $0] }, write: { rows[y * w + $0] = $1 }) }
        for x in 0..<w { slidingMean(count: h, radius: box / 2, prefix: &prefix, read: { rows[$0 * w + x] }, write: { out[$0 * w + x] = $1 }) }
        return out
    }

    /// The mean of `read(i − radius … i + radius)` (clipped to the line) for each i, by a running sum.
    @inline(__always)
    private static func slidingMean(count n: Int, radius r: Int, prefix: inout [Float],
                                    read: (Int) -> Float, write: (Int, Float) -> Void) {
        for i in 0..<n { prefix[i + 1] = prefix[i] + read(i) }
        for i in 0..<n {
            let a = max(0, i - r), b = min(n - 1, i + r)
            write(i, (prefix[b + 1] - prefix[a]) / Float(b - a + 1))
        }
    }

    /// Horizontal plus vertical autocorrelation of `hp` at each lag in `lags`, each normalised by
    /// the number of pixel pairs.
    static func autocorrelation(_ hp: [Float], width w: Int, height h: Int, lags: ClosedRange<Int>) -> [Double] {
        hp.withUnsafeBufferPointer { p in
            lags.map { lag -> Double in
                var total: Double = 0, pairs = 0
                if lag < w {
                    for y in stride(from: 0, to: h, by: 2) {
                        var s: Float = 0
                        let row = y * w
                        for x in 0..<(w - lag) { s += p[row + x] * p[row + x + lag] }
                        total += Double(s); pairs += w - lag
                    }
                }
                if lag < h {
                    for y in stride(from: 0, to: h - lag, by: 2) {
                        var s: Float = 0
                        let a = y * w, b = (y + lag) * w
                        for x in 0..<w { s += p[a + x] * p[b + x] }
                        total += Double(s); pairs += w
                    }
                }
                return pairs > 0 ? total / Double(pairs) : 0
            }
        }
    }

    /// Candidate tile periods from an accumulated autocorrelation: the `count` strongest local
    /// peaks above their surroundings, refined to a fraction of a pixel by a parabola.
    static func periodCandidates(_ score: [Double], firstLag: Int, count: Int) -> [Double] {
        var peaks: [(lag: Double, height: Double)] = []
        for i in 1..<max(1, score.count - 1) {
            guard score[i] > score[i - 1], score[i] >= score[i + 1] else { continue }
            var ring: [Double] = []
            for d in 10...20 {
                if i - d >= 0 { ring.append(score[i - d]) }
                if i + d < score.count { ring.append(score[i + d]) }
            }
            guard !ring.isEmpty else { continue }
            let height = score[i] - ring.reduce(0, +) / Double(ring.count)
            guard height > 0 else { continue }
            let (a, b, c) = (score[i - 1], score[i], score[i + 1])
            let curvature = a - 2 * b + c
            let offset = curvature < 0 ? 0.5 * (a - c) / curvature : 0
            peaks.append((Double(firstLag + i) + max(-0.5, min(0.5, offset)), height))
        }
        return peaks.sorted { $0.height > $1.height }.prefix(count).map(\.lag)
    }

    /// Adds `hp` folded onto a `tile`×`tile` grid for a tile `period` (pixels, fractional) into
    /// `sum` and `count`: each pixel lands in the bin of its position within its tile.
    static func fold(_ hp: [Float], width w: Int, height h: Int, period: Double, tile: Int,
                     sum: inout [Double], count: inout [Double]) {
        let binOf: (Int) -> Int = { i in
            let t = (Double(i) + 0.5).truncatingRemainder(dividingBy: period)
            return min(tile - 1, Int(t / period * Double(tile)))
        }
        let columns = (0..<w).map(binOf)
        for y in 0..<h {
            let rowBin = binOf(y) * tile
            var rowSum = [Double](repeating: 0, count: tile)
            var rowCount = [Double](repeating: 0, count: tile)
            for x in 0..<w { rowSum[columns[x]] += Double(hp[y * w + x]); rowCount[columns[x]] += 1 }
            for b in 0..<tile { sum[rowBin + b] += rowSum[b]; count[rowBin + b] += rowCount[b] }
        }
    }

    /// `tile − boxMean(tile)` over a `box`×`box` window that wraps round the tile.
    static func circularHighPass(_ tile: [Float], side n: Int, box: Int) -> [Float] {
        let r = box / 2
        var out = [Float](repeating: 0, count: n * n)
        let norm = 1 / Float(box * box)
        for y in 0..<n {
            for x in 0..<n {
                var s: Float = 0
                for dy in -r...r { for dx in -r...r { s += tile[((y + dy + n) % n) * n + (x + dx + n) % n] } }
                out[y * n + x] = tile[y * n + x] - s * norm
            }
        }
        return out
    }
}
