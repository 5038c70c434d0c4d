import Foundation
import Runtime

/// The pure-Swift resampling: PyTorch's index/weight tables per axis, then one pass per plane
/// (planes in parallel), evaluating in PyTorch's order (`upsample_generic_Nd_kernel_impl`:
/// innermost axis first, each level `t0·l0 + t1·l1`).
enum ResampleCPU {
    /// Runs `body(plane)` for every plane, in parallel when there is enough work.
    private static func forEachPlane(_ planes: Int, work: Int, _ body: @Sendable (Int) -> Void) {
        if planes > 1 && work > 1 << 14 {
            DispatchQueue.concurrentPerform(iterations: planes, execute: body)
        } else {
            for p in 0..<planes { body(p) }
        }
    }

    /// Nearest resampling of `planes` H×W planes to Ho×Wo with PyTorch's per-axis scales `sh`, `sw`.
    /// An output row whose source row is the previous output row's is a copy of that row (every
    /// upsampling repeats rows), and the column gather reads index tables through pointers; every
    /// output value is written, so the result is not zero-filled first.
    static func nearest2d(_ x: [Float], planes: Int, h: Int, w: Int, ho: Int, wo: Int, sh: Float, sw: Float) -> [Float] {
        let rows = (0..<ho).map { ResampleAxis.nearest($0, input: h, output: ho, scale: sh) }
        let cols = (0..<wo).map { ResampleAxis.nearest($0, input: w, output: wo, scale: sw) }
        guard planes * ho * wo > 0, !x.isEmpty else { return [Float](repeating: 0, count: planes * ho * wo) }
        return [Float](unsafeUninitializedCapacity: planes * ho * wo) { op, count in
            x.withUnsafeBufferPointer { xp in
                rows.withUnsafeBufferPointer { rp in
                    cols.withUnsafeBufferPointer { cp in
                        let (src, dst) = (GridSampleCPU.Shared(xp.baseAddress!), GridSampleCPU.Shared(op.baseAddress!))
                        let (rowIndex, colIndex) = (GridSampleCPU.Shared(rp.baseAddress!), GridSampleCPU.Shared(cp.baseAddress!))
                        forEachPlane(planes, work: ho * wo) { p in
                            for oy in 0..<ho {
                                let o = dst.pointer + (p * ho + oy) * wo
                                if oy > 0 && rowIndex.pointer[oy] == rowIndex.pointer[oy - 1] {
                                    o.update(from: o - wo, count: wo)
                                    continue
                                }
                                let row = src.pointer + (p * h + rowIndex.pointer[oy]) * w
                                let c = colIndex.pointer
                                for ox in 0..<wo { o[ox] = row[c[ox]] }
                            }
                        }
                    }
                }
            }
            count = planes * ho * wo
        }
    }

    /// Bilinear resize of `planes` planes from `input` [H, W] to `output` [Ho, Wo] with the given
    /// per-axis index/weight tables (`ResampleAxis.linear` or `linearAligned` per output index).
    static func bilinear2d(_ x: [Float], planes: Int, input: [Int], output: [Int],
                           rows ys: [(Int, Int, Float, Float)], columns xs: [(Int, Int, Float, Float)]) -> [Float] {
        let (h, w, ho, wo) = (input[0], input[1], output[0], output[1])
        var out = [Float](repeating: 0, count: planes * ho * wo)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                let (src, dst) = (GridSampleCPU.Shared(xp.baseAddress!), GridSampleCPU.Shared(op.baseAddress!))
                forEachPlane(planes, work: ho * wo) { p in
                    let s = src.pointer + p * h * w
                    for oy in 0..<ho {
                        let (h0, h1, lh0, lh1) = ys[oy]
                        let (r0, r1) = (s + h0 * w, s + h1 * w)
                        let o = dst.pointer + (p * ho + oy) * wo
                        for ox in 0..<wo {
                            let (w0, w1, lw0, lw1) = xs[ox]
                            let t0 = r0[w0] * lw0 + r0[w1] * lw1
                            let t1 = r1[w0] * lw0 + r1[w1] * lw1
                            o[ox] = t0 * lh0 + t1 * lh1
                        }
                    }
                }
            }
        }
        return out
    }

    /// Trilinear resize (align_corners=False) of `planes` volumes from `input` [D, H, W] to `output`.
    static func trilinear3d(_ x: [Float], planes: Int, input: [Int], output: [Int], scales: [Float]) -> [Float] {
        let (d, h, w) = (input[0], input[1], input[2])
        let (od, oh, ow) = (output[0], output[1], output[2])
        let zs = ResampleAxis.linearTable(input: d, output: od, scale: scales[0])
        let ys = ResampleAxis.linearTable(input: h, output: oh, scale: scales[1])
        let xs = ResampleAxis.linearTable(input: w, output: ow, scale: scales[2])
        var out = [Float](repeating: 0, count: planes * od * oh * ow)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                let (src, dst) = (GridSampleCPU.Shared(xp.baseAddress!), GridSampleCPU.Shared(op.baseAddress!))
                forEachPlane(planes, work: od * oh * ow) { p in
                    let s = src.pointer + p * d * h * w
                    var o = dst.pointer + p * od * oh * ow
                    for oz in 0..<od {
                        let (d0, d1, ld0, ld1) = zs[oz]
                        for oy in 0..<oh {
                            let (h0, h1, lh0, lh1) = ys[oy]
                            let (r00, r01) = (s + (d0 * h + h0) * w, s + (d0 * h + h1) * w)
                            let (r10, r11) = (s + (d1 * h + h0) * w, s + (d1 * h + h1) * w)
                            for ox in 0..<ow {
                                let (w0, w1, lw0, lw1) = xs[ox]
                                let t0 = (r00[w0] * lw0 + r00[w1] * lw1) * lh0 + (r01[w0] * lw0 + r01[w1] * lw1) * lh1
                                let t1 = (r10[w0] * lw0 + r10[w1] * lw1) * lh0 + (r11[w0] * lw0 + r11[w1] * lw1) * lh1
                                o[ox] = t0 * ld0 + t1 * ld1
                            }
                            o += ow
                        }
                    }
                }
            }
        }
        return out
    }
}
