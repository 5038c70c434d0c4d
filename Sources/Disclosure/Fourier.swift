import Foundation

/// A small radix-2 complex FFT for the detector's square tiles (sides a power of two).
enum Fourier {
    /// In-place iterative Cooley–Tukey transform of `n` complex values (`re`, `im`) starting at
    /// `offset` with `stride`; `inverse` flips the twiddle sign (no 1/n scaling).
    static func transform(_ re: inout [Double], _ im: inout [Double], offset: Int, stride: Int, n: Int, inverse: Bool) {
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j {
                re.swapAt(offset + i * stride, offset + j * stride)
                im.swapAt(offset + i * stride, offset + j * stride)
            }
        }
        var length = 2
        while length <= n {
            let angle = (inverse ? 2.0 : -2.0) * Double.pi / Double(length)
            for start in Swift.stride(from: 0, to: n, by: length) {
                for k in 0..<(length / 2) {
                    let (wr, wi) = (cos(angle * Double(k)), sin(angle * Double(k)))
                    let a = offset + (start + k) * stride, b = offset + (start + k + length / 2) * stride
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            length <<= 1
        }
    }

    /// 2-D transform of an `n`×`n` row-major array.
    static func transform2D(_ re: inout [Double], _ im: inout [Double], side n: Int, inverse: Bool) {
        for row in 0..<n { transform(&re, &im, offset: row * n, stride: 1, n: n, inverse: inverse) }
        for column in 0..<n { transform(&re, &im, offset: column, stride: n, n: n, inverse: inverse) }
    }

    /// Circular cross-correlation `result[dy·n + dx] = Σ_j g[(j + d) mod n] · t[j]` by FFT
    /// (`n` a power of two).
    static func circularCorrelation(_ g: [Float], _ t: [Float], side n: Int) -> [Float] {
        var gr = g.map(Double.init), gi = [Double](repeating: 0, count: n * n)
        var tr = t.map(Double.init), ti = [Double](repeating: 0, count: n * n)
        transform2D(&gr, &gi, side: n, inverse: false)
        transform2D(&tr, &ti, side: n, inverse: false)
        // G · conj(T)
        var pr = [Double](repeating: 0, count: n * n), pi = pr
        for k in 0..<(n * n) {
            pr[k] = gr[k] * tr[k] + gi[k] * ti[k]
            pi[k] = gi[k] * tr[k] - gr[k] * ti[k]
        }
        transform2D(&pr, &pi, side: n, inverse: true)
        let scale = 1 / Double(n * n)
        return pr.map { Float($0 * scale) }
    }
}
