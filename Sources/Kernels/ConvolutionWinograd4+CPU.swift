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
    /// on the CPU engine): U = G g Gᵀ per (output, input) channel (made once per weight array and
    /// kept in `CPUConvolutionWeightCache.shared`), then per chunk of tile rows
    /// V = Bᵀ d B, 36 `cblas_sgemm` (M[ξ] = U[ξ]·V[ξ]) and y = AᵀMA + bias (vectorised across
    /// tiles, `ConvolutionWinograd4Transforms+CPU.swift`), the same transforms
    /// as the OpenCL kernels `conv3x3_wino4_*`. 4× fewer multiplies than im2col + GEMM; errors
    /// ≈ 10× the direct sum's, inside `Tolerance.reduction`.
    static func convolutionWinograd4CPU(_ g: ConvolutionGeometry, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        let (cin, cout) = (g.inputChannels, g.outputChannels)
        let (h, w) = (g.input[1], g.input[2])
        let (ph, pw) = (g.padding[1], g.padding[2])
        let (ho, wo) = (g.output[1], g.output[2])
        let (th, tw) = ((ho + 3) / 4, (wo + 3) / 4)
        let u = CPUConvolutionWeightCache.shared.packed(weight, .winograd4(cout: cout, cin: cin)) {
            winograd4WeightsCPU($0, cin: cin, cout: cout)
        }
        let chunks = winograd4Chunks(th: th, tw: tw, channels: max(cin, cout))
        let rowsPerChunk = chunks.map(\.count).max() ?? 1
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * cin * rowsPerChunk * tw)
        let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * cout * rowsPerChunk * tw)
        defer { v.deallocate(); m.deallocate() }
        // Every output value is written by the inverse transform, so no zero fill.
        let output = [Float](unsafeUninitializedCapacity: g.batch * cout * ho * wo) { y, count in
            input.withUnsafeBufferPointer { x in
                u.withUnsafeBufferPointer { u in
                    for n in 0..<g.batch {
                        for rows in chunks {
                            let tiles = rows.count * tw
                            winograd4InputCPU(x.baseAddress! + n * cin * h * w, into: v, cin: cin, h: h, w: w,
                                              ph: ph, pw: pw, tileRows: rows, tw: tw)
                            for xi in 0..<36 {
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(tiles), Int32(cin),
                                            1, u.baseAddress! + xi * cout * cin, Int32(cin), v + xi * cin * tiles, Int32(tiles),
                                            0, m + xi * cout * tiles, Int32(tiles))
                            }
                            winograd4OutputCPU(m, bias: bias, into: y.baseAddress! + n * cout * ho * wo, cout: cout,
                                               ho: ho, wo: wo, tileRows: rows, tw: tw)
                        }
                    }
                }
            }
            count = g.batch * cout * ho * wo
        }
        return output
    }

    /// Tile-row chunks of a `th`×`tw` tile grid: as many rows as keep 36 × `channels` × tiles
    /// under `winograd4ChunkFloats`, in chunks of nearly equal size (no small last GEMM).
    static func winograd4Chunks(th: Int, tw: Int, channels: Int) -> [Range<Int>] {
        let most = max(1, min(th, winograd4ChunkFloats / max(1, 36 * channels * tw)))
        let count = (th + most - 1) / most
        return (0..<count).map { i in (i * th / count)..<((i + 1) * th / count) }
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

    /// Runs `body(channel, scratch)` for every channel in `0..<count` on up to 8 workers (channels
    /// strided over them), each worker with its own scratch of `scratch` floats.
    static func forEachChannel(_ count: Int, scratch: Int, _ body: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) {
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
