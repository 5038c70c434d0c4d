import Dispatch

/// Eight lanes of the CPU Winograd transforms: eight tiles side by side along a tile row.
typealias Lanes = SIMD8<Float>

/// Where the CPU Winograd transforms read and write, in floats: between channels of the image
/// (input x or output y), and between the 36 transform positions ξ and the channels of the
/// transformed tensor (V or M). A depth slice is addressed by offsetting the base pointers.
struct Winograd4Strides {
    /// Between channels of x (input transform) or y (output transform).
    let image: Int
    /// Between positions ξ of V or M.
    let position: Int
    /// Between channels of V or M.
    let channel: Int
}

extension Engine {
    /// Bᵀ applied to six values (rows (4, 0, -5, 0, 1, 0), (0, -4, -4, 1, 1, 0), (0, 4, -4, -1, 1, 0),
    /// (0, -2, -1, 2, 1, 0), (0, 2, -1, -2, 1, 0), (0, 4, 0, -5, 0, 1)), lane by lane.
    @inline(__always)
    private static func bt(_ d0: Lanes, _ d1: Lanes, _ d2: Lanes, _ d3: Lanes, _ d4: Lanes, _ d5: Lanes)
        -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
        (4 * d0 - 5 * d2 + d4, -4 * (d1 + d2) + d3 + d4, 4 * (d1 - d2) - d3 + d4,
         -2 * (d1 - d3) - d2 + d4, 2 * (d1 - d3) - d2 + d4, 4 * d1 - 5 * d3 + d5)
    }

    /// Aᵀ applied to six values (rows (1, 1, 1, 1, 1, 0), (0, 1, -1, 2, -2, 0), (0, 1, 1, 4, 4, 0),
    /// (0, 1, -1, 8, -8, 1)), lane by lane.
    @inline(__always)
    private static func at(_ m0: Lanes, _ m1: Lanes, _ m2: Lanes, _ m3: Lanes, _ m4: Lanes, _ m5: Lanes) -> (Lanes, Lanes, Lanes, Lanes) {
        (m0 + (m1 + m2) + (m3 + m4), (m1 - m2) + 2 * (m3 - m4), (m1 + m2) + 4 * (m3 + m4), (m1 - m2) + 8 * (m3 - m4) + m5)
    }

    /// Component `i` of a four-vector result.
    @inline(__always)
    private static func pick(_ v: (Lanes, Lanes, Lanes, Lanes), _ i: Int) -> Lanes {
        i == 0 ? v.0 : i == 1 ? v.1 : i == 2 ? v.2 : v.3
    }

    /// Eight floats from `p`, of which the first `count` are read (the rest zero).
    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ count: Int) -> Lanes {
        if count >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
        var v = Lanes()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    /// Stores the first `count` (at most 8) lanes of `v` at `p`.
    @inline(__always)
    private static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        if count >= 8 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self); return }
        for l in 0..<count { p[l] = v[l] }
    }

    /// V (position ξ, channel c, tile t at `ξ·strides.position + c·strides.channel + t`) for the
    /// tile rows `tileRows` of one image slice x (channel c's H × W plane at `c·strides.image`;
    /// zero outside). Per channel and tile row: the six input rows (zero-padded) get Bᵀ down the columns,
    /// vectorised along x; each result row is split into its four x phases (x mod 4), so the row
    /// transform of eight neighbouring tiles is one vector operation with contiguous stores.
    static func winograd4InputCPU(_ x: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, cin: Int, h: Int, w: Int,
                                  ph: Int, pw: Int, tileRows: Range<Int>, tw: Int, strides: Winograd4Strides) {
        let plane = strides.position
        let phaseLength = (tw + 1 + 7) / 8 * 8 + 8   // tw + 1 tiles' phases, rounded, plus one vector of slack
        let width = 4 * phaseLength                  // ≥ 4·tw + 2 padded input columns
        let (xa, va) = (UInt(bitPattern: x), UInt(bitPattern: v))
        forEachChannel(cin, scratch: 6 * width + 4 * phaseLength) { c, scratch in
            let x = UnsafePointer<Float>(bitPattern: xa)!, v = UnsafeMutablePointer<Float>(bitPattern: va)!
            let rows = scratch, phases = scratch + 6 * width
            let src = x + c * strides.image
            let (lo, hi) = (max(0, pw), min(width, w + pw))   // padded columns that hold input
            for (r, ty) in tileRows.enumerated() {
                for i in 0..<6 {
                    let row = rows + i * width, yy = ty * 4 - ph + i
                    row.update(repeating: 0, count: width)
                    if yy >= 0 && yy < h && lo < hi { (row + lo).update(from: src + yy * w + lo - pw, count: hi - lo) }
                }
                var xx = 0
                while xx < width {   // columns: Bᵀ d, in place
                    let p = rows + xx
                    let o = bt(load(p, 8), load(p + width, 8), load(p + 2 * width, 8), load(p + 3 * width, 8),
                               load(p + 4 * width, 8), load(p + 5 * width, 8))
                    store(o.0, p, 8); store(o.1, p + width, 8); store(o.2, p + 2 * width, 8)
                    store(o.3, p + 3 * width, 8); store(o.4, p + 4 * width, 8); store(o.5, p + 5 * width, 8)
                    xx += 8
                }
                for i in 0..<6 {   // rows: (Bᵀ d) B, eight tiles at a time
                    let row = rows + i * width
                    for t in 0..<phaseLength {
                        for j in 0..<4 { phases[j * phaseLength + t] = row[4 * t + j] }
                    }
                    let (p0, p1, p2, p3) = (phases, phases + phaseLength, phases + 2 * phaseLength, phases + 3 * phaseLength)
                    let dst = v + (i * 6) * plane + c * strides.channel + r * tw
                    var t = 0
                    while t < tw {
                        let n = tw - t
                        let o = bt(load(p0 + t, 8), load(p1 + t, 8), load(p2 + t, 8), load(p3 + t, 8), load(p0 + t + 1, 8), load(p1 + t + 1, 8))
                        store(o.0, dst + t, n); store(o.1, dst + plane + t, n); store(o.2, dst + 2 * plane + t, n)
                        store(o.3, dst + 3 * plane + t, n); store(o.4, dst + 4 * plane + t, n); store(o.5, dst + 5 * plane + t, n)
                        t += 8
                    }
                }
            }
        }
    }

    /// y (channel k's Ho × Wo plane at `k·strides.image`; the rows of the tile rows `tileRows`) =
    /// AᵀMA + bias from M (laid out as V in `winograd4InputCPU`), eight tiles of a tile row at a time.
    static func winograd4OutputCPU(_ m: UnsafePointer<Float>, bias: [Float]?, into y: UnsafeMutablePointer<Float>, cout: Int,
                                   ho: Int, wo: Int, tileRows: Range<Int>, tw: Int, strides: Winograd4Strides) {
        let plane = strides.position
        let (ma, ya) = (UInt(bitPattern: m), UInt(bitPattern: y))
        let biasValues = bias
        forEachChannel(cout, scratch: 4) { k, e in
            let m = UnsafePointer<Float>(bitPattern: ma)!, y = UnsafeMutablePointer<Float>(bitPattern: ya)!
            let b = biasValues?[k] ?? 0
            for (r, ty) in tileRows.enumerated() {
                var t = 0
                while t < tw {
                    let n = min(8, tw - t)
                    let src = m + k * strides.channel + r * tw + t
                    let c = (0..<6).lazy.map { j in
                        at(load(src + j * plane, n), load(src + (6 + j) * plane, n), load(src + (12 + j) * plane, n),
                           load(src + (18 + j) * plane, n), load(src + (24 + j) * plane, n), load(src + (30 + j) * plane, n))
                    }
                    let (c0, c1, c2, c3, c4, c5) = (c[0], c[1], c[2], c[3], c[4], c[5])
                    for i in 0..<4 where ty * 4 + i < ho {
                        let o = at(pick(c0, i), pick(c1, i), pick(c2, i), pick(c3, i), pick(c4, i), pick(c5, i))
                        let dst = y + k * strides.image + (ty * 4 + i) * wo + t * 4
                        for l in 0..<n {
                            e[0] = o.0[l]; e[1] = o.1[l]; e[2] = o.2[l]; e[3] = o.3[l]
                            for j in 0..<min(4, wo - (t + l) * 4) { dst[l * 4 + j] = e[j] + b }
                        }
                    }
                    t += 8
                }
            }
        }
    }
}
