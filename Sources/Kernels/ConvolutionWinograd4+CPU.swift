import CBLAS
import Dispatch

extension Engine {
    /// The largest transformed-input or GEMM-output chunk of a 2-D convolution, in floats (16 MB):
    /// tile rows are transformed, multiplied and inverse-transformed in chunks so the working set
    /// stays in cache.
    static let winograd4ChunkFloats = 4 << 20
    /// The same bound for 3-D convolutions (64 MB), whose chunks hold every depth slice of their
    /// tile rows: larger, so each GEMM still spans a few hundred tiles per slice.
    static let winograd4ChunkFloats3D = 16 << 20

    /// CPU Winograd F(4×4, 3×3) for a stride-1 convolution with a 3×3 spatial kernel
    /// (`conv.algorithm=winograd4` on the CPU engine): U = G g Gᵀ per (depth tap, output,
    /// input) channel (made once per weight array and kept in `CPUConvolutionWeightCache.shared`),
    /// then per chunk of tile rows V = Bᵀ d B of every input depth slice, the GEMMs
    /// M[ξ][·][oz] += U[ξ][kz] · V[ξ][·][oz − pd + kz] — one `cblas_sgemm` per position ξ and
    /// depth tap kz over every output slice it reaches (the depth padding is the range of slices,
    /// nothing is padded) — and y = AᵀMA + bias per output slice (vectorised across tiles,
    /// `ConvolutionWinograd4Transforms+CPU.swift`), the same transforms as the OpenCL kernels
    /// `conv3x3_wino4_*`. 4× fewer multiplies than im2col + GEMM; errors ≈ 10× the direct sum's,
    /// inside `Tolerance.reduction`.
    static func convolutionWinograd4CPU(_ g: ConvolutionGeometry, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        let (cin, cout, kd) = (g.inputChannels, g.outputChannels, g.kernel[0])
        let (d, h, w) = (g.input[0], g.input[1], g.input[2])
        let (pd, ph, pw) = (g.padding[0], g.padding[1], g.padding[2])
        let (od, ho, wo) = (g.output[0], g.output[1], g.output[2])
        let (th, tw) = ((ho + 3) / 4, (wo + 3) / 4)
        let u = CPUConvolutionWeightCache.shared.packed(weight, .winograd4(cout: cout, cin: cin, depth: kd)) {
            winograd4WeightsCPU($0, cin: cin, cout: cout, depth: kd)
        }
        let flat = d == 1 && od == 1
        let chunks = winograd4Chunks(th: th, tw: tw, channels: max(cin * d, cout * od),
                                     budget: flat ? winograd4ChunkFloats : winograd4ChunkFloats3D)
        let rowsPerChunk = chunks.map(\.count).max() ?? 1
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * cin * d * rowsPerChunk * tw)
        let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * cout * od * rowsPerChunk * tw)
        defer { v.deallocate(); m.deallocate() }
        // Depth tap kz reaches the output slices whose input slice oz − pd + kz exists.
        let reach: [Range<Int>] = (0..<kd).map { kz in max(0, pd - kz)..<min(od, d + pd - kz) }
        // A tap reaching every output slice goes first and sets M (β = 0); without one, M is zeroed.
        let full = reach.firstIndex { $0 == 0..<od }
        let taps = (full.map { [$0] } ?? []) + (0..<kd).filter { $0 != full && !reach[$0].isEmpty }
        // Every output value is written by the inverse transform, so no zero fill.
        let output = [Float](unsafeUninitializedCapacity: g.batch * cout * od * ho * wo) { y, count in
            input.withUnsafeBufferPointer { x in
                u.withUnsafeBufferPointer { u in
                    for n in 0..<g.batch {
                        for rows in chunks {
                            let tiles = rows.count * tw
                            let vStrides = Winograd4Strides(image: d * h * w, position: cin * d * tiles, channel: d * tiles)
                            let mStrides = Winograd4Strides(image: od * ho * wo, position: cout * od * tiles, channel: od * tiles)
                            for z in 0..<d {
                                winograd4InputCPU(x.baseAddress! + (n * cin * d + z) * h * w, into: v + z * tiles, cin: cin, h: h, w: w,
                                                  ph: ph, pw: pw, tileRows: rows, tw: tw, strides: vStrides)
                            }
                            if full == nil { m.update(repeating: 0, count: 36 * cout * od * tiles) }
                            for xi in 0..<36 {
                                for kz in taps {
                                    let slices = reach[kz]
                                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(slices.count * tiles), Int32(cin),
                                                1, u.baseAddress! + (xi * kd + kz) * cout * cin, Int32(cin),
                                                v + xi * vStrides.position + (slices.lowerBound - pd + kz) * tiles, Int32(vStrides.channel),
                                                kz == full ? 0 : 1, m + xi * mStrides.position + slices.lowerBound * tiles, Int32(mStrides.channel))
                                }
                            }
                            for z in 0..<od {
                                winograd4OutputCPU(m + z * tiles, bias: bias, into: y.baseAddress! + (n * cout * od + z) * ho * wo, cout: cout,
                                                   ho: ho, wo: wo, tileRows: rows, tw: tw, strides: mStrides)
                            }
                        }
                    }
                }
            }
            count = g.batch * cout * od * ho * wo
        }
        return output
    }

    /// Tile-row chunks of a `th`×`tw` tile grid: as many rows as keep 36 × `channels` × tiles
    /// under `budget` floats, in chunks of nearly equal size (no small last GEMM).
    static func winograd4Chunks(th: Int, tw: Int, channels: Int, budget: Int = winograd4ChunkFloats) -> [Range<Int>] {
        let most = max(1, min(th, budget / max(1, 36 * channels * tw)))
        let count = (th + most - 1) / most
        return (0..<count).map { i in (i * th / count)..<((i + 1) * th / count) }
    }

    /// U [36][kd][Cout][Cin] = G g Gᵀ for weight [Cout][Cin][kd][3][3] (kd = `depth`, 1 for 2-D).
    private static func winograd4WeightsCPU(_ weight: [Float], cin: Int, cout: Int, depth kd: Int) -> [Float] {
        var u = [Float](repeating: 0, count: 36 * kd * cout * cin)
        let plane = kd * cout * cin
        weight.withUnsafeBufferPointer { wp in
            u.withUnsafeMutableBufferPointer { up in
                let (wa, ua) = (UInt(bitPattern: wp.baseAddress!), UInt(bitPattern: up.baseAddress!))
                forEachChannel(cout, scratch: 18) { k, t in   // t = G g, 6 × 3
                    let wgt = UnsafePointer<Float>(bitPattern: wa)!, out = UnsafeMutablePointer<Float>(bitPattern: ua)!
                    for c in 0..<cin {
                        for kz in 0..<kd {
                            let gp = wgt + ((k * cin + c) * kd + kz) * 9
                            for j in 0..<3 {
                                let o = g6(gp[j], gp[3 + j], gp[6 + j])
                                t[j] = o.0; t[3 + j] = o.1; t[6 + j] = o.2; t[9 + j] = o.3; t[12 + j] = o.4; t[15 + j] = o.5
                            }
                            let dst = out + (kz * cout + k) * cin + c
                            for i in 0..<6 {
                                let o = g6(t[i * 3], t[i * 3 + 1], t[i * 3 + 2])   // (G g) Gᵀ
                                dst[(i * 6) * plane] = o.0; dst[(i * 6 + 1) * plane] = o.1; dst[(i * 6 + 2) * plane] = o.2
                                dst[(i * 6 + 3) * plane] = o.3; dst[(i * 6 + 4) * plane] = o.4; dst[(i * 6 + 5) * plane] = o.5
                            }
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
