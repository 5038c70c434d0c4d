import Dispatch
import Runtime

/// The pure-Swift normalisation kernels: group statistics and the per-row affine pass.
enum NormalizationCPU {
    /// Elements summed per SIMD block before the block total is added in Double.
    static let block = 2048

    /// Σ x over `p[0..<n]`: SIMD8 float sums over blocks of `block`, blocks added in Double.
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
        var total = 0.0
        var start = 0
        while start < n {
            let end = min(start + block, n)
            var acc = SIMD8<Float>(repeating: 0)
            var i = start
            while i + 8 <= end {
                acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
                i += 8
            }
            var s = acc.sum()
            while i < end { s += p[i]; i += 1 }
            total += Double(s)
            start = end
        }
        return total
    }

    /// Σ (x − mean)² over `p[0..<n]`, blocked like `sum`.
    static func squaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, mean: Float) -> Double {
        var total = 0.0
        var start = 0
        let m = SIMD8<Float>(repeating: mean)
        while start < n {
            let end = min(start + block, n)
            var acc = SIMD8<Float>(repeating: 0)
            var i = start
            while i + 8 <= end {
                let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) - m
                acc.addProduct(d, d)
                i += 8
            }
            var s = acc.sum()
            while i < end { let d = p[i] - mean; s += d * d; i += 1 }
            total += Double(s)
            start = end
        }
        return total
    }

    /// Per (n, c) rows `(mean, rstd·γ, β)` of a group norm, two-pass statistics per group.
    /// The mean is subtracted in Double before rounding to float, so the residual error of
    /// the second pass is that of float rounding only.
    static func groupParams(_ x: [Float], _ shape: GroupNormShape, gamma: [Float]?, beta: [Float]?, perSample: Bool, eps: Float) -> [Float] {
        let groupCount = shape.batch * shape.groups
        let length = shape.groupLength
        var stats = [Double](repeating: 0, count: groupCount * 2)
        if length > 0 { x.withUnsafeBufferPointer { xp in
            stats.withUnsafeMutableBufferPointer { sp in
                let base = PoolingCPU.SharedPointer(pointer: UnsafeMutablePointer(mutating: xp.baseAddress!))
                let stats = PoolingCPU.SharedPointer(pointer: sp.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: groupCount) { g in
                    let p = UnsafePointer(base.pointer) + g * length
                    let out = stats.pointer
                    let mean = sum(p, length) / Double(length)
                    // Second pass around the float mean, corrected for its rounding residual.
                    let meanF = Float(mean)
                    let residual = mean - Double(meanF)
                    let m2 = squaredDeviations(p, length, mean: meanF) - Double(length) * residual * residual
                    out[2 * g] = mean
                    out[2 * g + 1] = 1 / (max(m2, 0) / Double(length) + Double(eps)).squareRoot()
                }
            }
        } }
        var params = [Float](repeating: 0, count: shape.batch * shape.channels * 3)
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let g = n * shape.groups + c / shape.channelsPerGroup
                let row = n * shape.channels + c
                let affine = perSample ? row : c
                params[3 * row] = Float(stats[2 * g])
                params[3 * row + 1] = Float(stats[2 * g + 1] * Double(gamma?[affine] ?? 1))
                params[3 * row + 2] = beta?[affine] ?? 0
            }
        }
        return params
    }

    /// `y[r, i] = (x[r, i] − mean) · scale + shift` with `(mean, scale, shift) = params[3·(r mod paramRows)]`.
    static func apply(_ x: [Float], params: [Float], spatial: Int, paramRows: Int) -> [Float] {
        let rows = spatial == 0 ? 0 : x.count / spatial
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                guard let srcBase = xp.baseAddress, let dstBase = yp.baseAddress else { return }
                let src = PoolingCPU.SharedPointer(pointer: UnsafeMutablePointer(mutating: srcBase))
                let dst = PoolingCPU.SharedPointer(pointer: dstBase)
                let chunks = max(1, min(rows, 64))
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for r in stride(from: chunk, to: rows, by: chunks) {
                        let p = 3 * (r % paramRows)
                        let mean = params[p], scale = params[p + 1], shift = params[p + 2]
                        let s = src.pointer + r * spatial, d = dst.pointer + r * spatial
                        for i in 0..<spatial { d[i] = (s[i] - mean) * scale + shift }
                    }
                }
            }
        }
        return y
    }
}
