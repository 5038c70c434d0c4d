import CBLAS
import Dispatch

extension Engine {
    /// Whether the CPU path takes Winograd F(4×4, 3×3): a stride-1 3×3 2-D convolution (the 3-D
    /// ones stay im2col + GEMM on the CPU).
    static func winograd4AppliesCPU(_ g: ConvolutionGeometry) -> Bool {
        g.kernel == [1, 3, 3] && g.stride == [1, 1, 1] && g.input[0] == 1 && g.padding[0] == 0
    }

    /// The largest transformed-input or GEMM-output chunk, in floats (16 MB): tile rows are
    /// transformed, multiplied and inverse-transformed in chunks so the working set stays in cache.
    static let winograd4ChunkFloats = 4 << 20

    /// CPU Winograd F(4×4, 3×3) for a stride-1 3×3 2-D convolution (`conv.algorithm=winograd4`
    /// on the CPU engine): U = G g Gᵀ per (output, input) channel, then per chunk of tile rows
    /// V = Bᵀ d B, 36 `cblas_sgemm` (M[ξ] = U[ξ]·V[ξ]) and y = AᵀMA + bias, the same transforms
    /// as the OpenCL kernels `conv3x3_wino4_*`. 4× fewer multiplies than im2col + GEMM; errors
    /// ≈ 10× the direct sum's, inside `Tolerance.reduction`.
    static func convolutionWinograd4CPU(_ g: ConvolutionGeometry, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        let (cin, cout) = (g.inputChannels, g.outputChannels)
        let (h, w) = (g.input[1], g.input[2])
        let (ph, pw) = (g.padding[1], g.padding[2])
        let (ho, wo) = (g.output[1], g.output[2])
        let (th, tw) = ((ho + 3) / 4, (wo + 3) / 4)
        var output = [Float](repeating: 0, count: g.batch * cout * ho * wo)
        let u = winograd4WeightsCPU(weight, cin: cin, cout: cout)
        let rowsPerChunk = max(1, min(th, winograd4ChunkFloats / max(1, 36 * max(cin, cout) * tw)))
        var v = [Float](repeating: 0, count: 36 * cin * rowsPerChunk * tw)
        var m = [Float](repeating: 0, count: 36 * cout * rowsPerChunk * tw)
        input.withUnsafeBufferPointer { x in
            u.withUnsafeBufferPointer { u in
                v.withUnsafeMutableBufferPointer { v in
                    m.withUnsafeMutableBufferPointer { m in
                        output.withUnsafeMutableBufferPointer { y in
                            for n in 0..<g.batch {
                                var row0 = 0
                                while row0 < th {
                                    let rows = min(rowsPerChunk, th - row0)
                                    let tiles = rows * tw
                                    winograd4InputCPU(x.baseAddress! + n * cin * h * w, into: v.baseAddress!, cin: cin, h: h, w: w,
                                                      ph: ph, pw: pw, tileRows: row0..<(row0 + rows), tw: tw)
                                    for xi in 0..<36 {
                                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(tiles), Int32(cin),
                                                    1, u.baseAddress! + xi * cout * cin, Int32(cin), v.baseAddress! + xi * cin * tiles, Int32(tiles),
                                                    0, m.baseAddress! + xi * cout * tiles, Int32(tiles))
                                    }
                                    winograd4OutputCPU(m.baseAddress!, bias: bias, into: y.baseAddress! + n * cout * ho * wo, cout: cout,
                                                       ho: ho, wo: wo, tileRows: row0..<(row0 + rows), tw: tw)
                                    row0 += rows
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// U [36][Cout][Cin] = G g Gᵀ for weight [Cout][Cin][3][3].
    private static func winograd4WeightsCPU(_ weight: [Float], cin: Int, cout: Int) -> [Float] {
        var u = [Float](repeating: 0, count: 36 * cout * cin)
        let plane = cout * cin
        weight.withUnsafeBufferPointer { wp in
            u.withUnsafeMutableBufferPointer { up in
                let (wa, ua) = (UInt(bitPattern: wp.baseAddress!), UInt(bitPattern: up.baseAddress!))
                forEachChannel(cout, scratch: 18) { k, t in   // t = G g, 6 × 3
                    let wgt = UnsafePointer<Float>(bitPattern: wa)!, out = UnsafeMutablePointer<Float>(bitPattern: ua)!
                    for c in 0..<cin {
                        let gp = wgt + (k * cin + c) * 9
                        for j in 0..<3 {
                            let o = g6(gp[j], gp[3 + j], gp[6 + j])
                            t[j] = o.0; t[3 + j] = o.1; t[6 + j] = o.2; t[9 + j] = o.3; t[12 + j] = o.4; t[15 + j] = o.5
                        }
                        let dst = out + k * cin + c
                        for i in 0..<6 {
                            let o = g6(t[i * 3], t[i * 3 + 1], t[i * 3 + 2])   // (G g) Gᵀ
                            dst[(i * 6) * plane] = o.0; dst[(i * 6 + 1) * plane] = o.1; dst[(i * 6 + 2) * plane] = o.2
                            dst[(i * 6 + 3) * plane] = o.3; dst[(i * 6 + 4) * plane] = o.4; dst[(i * 6 + 5) * plane] = o.5
                        }
                    }
                }
            }
        }
        return u
    }

    /// G applied to three values (rows (1/4, 0, 0), (-1/6, -1/6, -1/6), (-1/6, 1/6, -1/6),
    /// (1/24, 1/12, 1/6), (1/24, -1/12, 1/6), (0, 0, 1)), as the OpenCL kernel computes it.
    @inline(__always)
    private static func g6(_ a: Float, _ b: Float, _ c: Float) -> (Float, Float, Float, Float, Float, Float) {
        (0.25 * a, -(a + b + c) / 6, -(a - b + c) / 6, a / 24 + b / 12 + c / 6, a / 24 - b / 12 + c / 6, c)
    }

    /// Bᵀ applied to six values (rows (4, 0, -5, 0, 1, 0), (0, -4, -4, 1, 1, 0), (0, 4, -4, -1, 1, 0),
    /// (0, -2, -1, 2, 1, 0), (0, 2, -1, -2, 1, 0), (0, 4, 0, -5, 0, 1)).
    @inline(__always)
    private static func bt(_ d: (Float, Float, Float, Float, Float, Float)) -> (Float, Float, Float, Float, Float, Float) {
        (4 * d.0 - 5 * d.2 + d.4, -4 * (d.1 + d.2) + d.3 + d.4, 4 * (d.1 - d.2) - d.3 + d.4,
         -2 * (d.1 - d.3) - d.2 + d.4, 2 * (d.1 - d.3) - d.2 + d.4, 4 * d.1 - 5 * d.3 + d.5)
    }

    /// V [36][Cin][tiles] for the tile rows `tileRows` of one image x [Cin][H][W] (zero outside).
    private static func winograd4InputCPU(_ x: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, cin: Int, h: Int, w: Int,
                                          ph: Int, pw: Int, tileRows: Range<Int>, tw: Int) {
        let tiles = tileRows.count * tw
        let plane = cin * tiles
        let (xa, va) = (UInt(bitPattern: x), UInt(bitPattern: v))
        forEachChannel(cin, scratch: 36) { c, d in
            let x = UnsafePointer<Float>(bitPattern: xa)!, v = UnsafeMutablePointer<Float>(bitPattern: va)!
            let src = x + c * h * w
            for (r, ty) in tileRows.enumerated() {
                for tx in 0..<tw {
                    let (y0, x0) = (ty * 4 - ph, tx * 4 - pw)
                    if y0 >= 0 && y0 + 6 <= h && x0 >= 0 && x0 + 6 <= w {
                        for i in 0..<6 {
                            let row = src + (y0 + i) * w + x0
                            for j in 0..<6 { d[i * 6 + j] = row[j] }
                        }
                    } else {
                        for i in 0..<6 {
                            let yy = y0 + i
                            for j in 0..<6 {
                                let xx = x0 + j
                                d[i * 6 + j] = yy >= 0 && yy < h && xx >= 0 && xx < w ? src[yy * w + xx] : 0
                            }
                        }
                    }
                    for j in 0..<6 {   // columns: Bᵀ d
                        let o = bt((d[j], d[6 + j], d[12 + j], d[18 + j], d[24 + j], d[30 + j]))
                        d[j] = o.0; d[6 + j] = o.1; d[12 + j] = o.2; d[18 + j] = o.3; d[24 + j] = o.4; d[30 + j] = o.5
                    }
                    let dst = v + c * tiles + r * tw + tx
                    for i in 0..<6 {   // rows: (Bᵀ d) B
                        let o = bt((d[i * 6], d[i * 6 + 1], d[i * 6 + 2], d[i * 6 + 3], d[i * 6 + 4], d[i * 6 + 5]))
                        dst[(i * 6) * plane] = o.0; dst[(i * 6 + 1) * plane] = o.1; dst[(i * 6 + 2) * plane] = o.2
                        dst[(i * 6 + 3) * plane] = o.3; dst[(i * 6 + 4) * plane] = o.4; dst[(i * 6 + 5) * plane] = o.5
                    }
                }
            }
        }
    }

    /// Aᵀ applied to six values (rows (1, 1, 1, 1, 1, 0), (0, 1, -1, 2, -2, 0), (0, 1, 1, 4, 4, 0),
    /// (0, 1, -1, 8, -8, 1)).
    @inline(__always)
    private static func at(_ m: (Float, Float, Float, Float, Float, Float)) -> (Float, Float, Float, Float) {
        (m.0 + (m.1 + m.2) + (m.3 + m.4), (m.1 - m.2) + 2 * (m.3 - m.4), (m.1 + m.2) + 4 * (m.3 + m.4),
         (m.1 - m.2) + 8 * (m.3 - m.4) + m.5)
    }

    /// y [Cout][Ho][Wo] (rows of the tile rows `tileRows`) = AᵀMA + bias from M [36][Cout][tiles].
    private static func winograd4OutputCPU(_ m: UnsafePointer<Float>, bias: [Float]?, into y: UnsafeMutablePointer<Float>, cout: Int,
                                           ho: Int, wo: Int, tileRows: Range<Int>, tw: Int) {
        let tiles = tileRows.count * tw
        let plane = cout * tiles
        let (ma, ya) = (UInt(bitPattern: m), UInt(bitPattern: y))
        let biasValues = bias
        forEachChannel(cout, scratch: 24) { k, e in
            let m = UnsafePointer<Float>(bitPattern: ma)!, y = UnsafeMutablePointer<Float>(bitPattern: ya)!
            let b = biasValues?[k] ?? 0
            for (r, ty) in tileRows.enumerated() {
                for tx in 0..<tw {
                    let src = m + k * tiles + r * tw + tx
                    for j in 0..<6 {
                        let o = at((src[j * plane], src[(6 + j) * plane], src[(12 + j) * plane], src[(18 + j) * plane],
                                    src[(24 + j) * plane], src[(30 + j) * plane]))
                        e[j] = o.0; e[6 + j] = o.1; e[12 + j] = o.2; e[18 + j] = o.3
                    }
                    for i in 0..<4 where ty * 4 + i < ho {
                        let o = at((e[i * 6], e[i * 6 + 1], e[i * 6 + 2], e[i * 6 + 3], e[i * 6 + 4], e[i * 6 + 5]))
                        let dst = y + (k * ho + ty * 4 + i) * wo + tx * 4
                        let valid = wo - tx * 4
                        dst[0] = o.0 + b
                        if valid > 1 { dst[1] = o.1 + b }
                        if valid > 2 { dst[2] = o.2 + b }
                        if valid > 3 { dst[3] = o.3 + b }
                    }
                }
            }
        }
    }

    /// Runs `body(channel, scratch)` for every channel in `0..<count` on up to 8 workers (channels
    /// strided over them), each worker with its own scratch of `scratch` floats.
    private static func forEachChannel(_ count: Int, scratch: Int, _ body: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) {
        let workers = min(count, 8)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: scratch)
            defer { buffer.deallocate() }
            var channel = worker
            while channel < count {
                body(channel, buffer)
                channel += workers
            }
        }
    }
}
