import CBLAS
import Dispatch
import Runtime

extension Engine {
    /// The largest im2col block, in floats (16 MB): the output is computed in chunks of whole
    /// output rows so memory stays bounded for big volumes (a full 3×3×3 im2col of a
    /// 64×32×64×64 input would be 0.9 GB).
    static let im2colBlockFloats = 4 << 20

    /// CPU convolution: im2col of a chunk of output rows into a [Cin·k, rows·Wo] matrix, then
    /// `cblas_sgemm` (weight [Cout, Cin·k] × columns) straight into the output, whose rows have
    /// been initialised with the bias. 1×1×1 convolutions with stride 1 and no padding skip
    /// im2col (the input already is the column matrix).
    static func convolutionCPU(_ g: ConvolutionGeometry, input: [Float], weight: [Float], bias: [Float]?) -> [Float] {
        let cout = g.outputChannels, k = g.reduction
        let outVoxels = g.outputVoxels, inVoxels = g.inputVoxels
        var output = [Float](repeating: 0, count: g.batch * cout * outVoxels)
        output.withUnsafeMutableBufferPointer { out in
            if let bias {
                for n in 0..<g.batch {
                    for o in 0..<cout {
                        let base = (n * cout + o) * outVoxels
                        out[base..<(base + outVoxels)].update(repeating: bias[o])
                    }
                }
            }
            let beta: Float = bias == nil ? 0 : 1
            input.withUnsafeBufferPointer { x in
                weight.withUnsafeBufferPointer { w in
                    let pointwise = g.kernelVoxels == 1 && g.stride == [1, 1, 1] && g.padding == [0, 0, 0]
                    if pointwise {
                        for n in 0..<g.batch {
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(outVoxels), Int32(k),
                                        1, w.baseAddress, Int32(k), x.baseAddress! + n * g.inputChannels * inVoxels, Int32(outVoxels),
                                        beta, out.baseAddress! + n * cout * outVoxels, Int32(outVoxels))
                        }
                        return
                    }
                    let wo = g.output[2]
                    let totalRows = g.output[0] * g.output[1]
                    let rowsPerChunk = max(1, min(totalRows, im2colBlockFloats / max(1, k * wo)))
                    var columns = [Float](repeating: 0, count: k * rowsPerChunk * wo)
                    columns.withUnsafeMutableBufferPointer { col in
                        for n in 0..<g.batch {
                            let xn = x.baseAddress! + n * g.inputChannels * inVoxels
                            var row0 = 0
                            while row0 < totalRows {
                                let rows = min(rowsPerChunk, totalRows - row0)
                                im2col(g, input: xn, rows: row0..<(row0 + rows), into: col.baseAddress!)
                                let width = rows * wo
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(width), Int32(k),
                                            1, w.baseAddress, Int32(k), col.baseAddress, Int32(width),
                                            beta, out.baseAddress! + n * cout * outVoxels + row0 * wo, Int32(outVoxels))
                                row0 += rows
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Fills `col` ([Cin·kd·kh·kw, rows.count·Wo], row-major) with the input taps of output rows
    /// `rows` (row index = oz·Ho + oy) of one batch element; taps in the padding are zero.
    /// Channels are split across threads.
    static func im2col(_ g: ConvolutionGeometry, input: UnsafePointer<Float>, rows: Range<Int>, into col: UnsafeMutablePointer<Float>) {
        let (kd, kh, kw) = (g.kernel[0], g.kernel[1], g.kernel[2])
        let (d, h, w) = (g.input[0], g.input[1], g.input[2])
        let (sd, sh, sw) = (g.stride[0], g.stride[1], g.stride[2])
        let (pd, ph, pw) = (g.padding[0], g.padding[1], g.padding[2])
        let ho = g.output[1], wo = g.output[2]
        let width = rows.count * wo
        let cin = g.inputChannels
        // Valid output x range per kx: ix = ox·sw − pw + kx ∈ [0, w).
        let validX: [(Int, Int)] = (0..<kw).map { kx in
            var lo = 0
            while lo < wo && lo * sw - pw + kx < 0 { lo += 1 }
            var hi = wo
            while hi > lo && (hi - 1) * sw - pw + kx >= w { hi -= 1 }
            return (lo, hi)
        }
        let inputAddress = UInt(bitPattern: input), colAddress = UInt(bitPattern: col)
        let workers = min(cin, 8)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let x = UnsafePointer<Float>(bitPattern: inputAddress)!
            let c = UnsafeMutablePointer<Float>(bitPattern: colAddress)!
            var ic = worker
            while ic < cin {
                for kz in 0..<kd {
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let kIndex = ((ic * kd + kz) * kh + ky) * kw + kx
                            let (lo, hi) = validX[kx]
                            var dst = c + kIndex * width
                            for row in rows {
                                let oz = row / ho, oy = row % ho
                                let iz = oz * sd - pd + kz, iy = oy * sh - ph + ky
                                if iz < 0 || iz >= d || iy < 0 || iy >= h || lo >= hi {
                                    dst.update(repeating: 0, count: wo)
                                } else {
                                    let src = x + ((ic * d + iz) * h + iy) * w - pw + kx
                                    if lo > 0 { dst.update(repeating: 0, count: lo) }
                                    if sw == 1 {
                                        (dst + lo).update(from: src + lo, count: hi - lo)
                                    } else {
                                        for ox in lo..<hi { dst[ox] = src[ox * sw] }
                                    }
                                    if hi < wo { (dst + hi).update(repeating: 0, count: wo - hi) }
                                }
                                dst += wo
                            }
                        }
                    }
                }
                ic += workers
            }
        }
    }
}
