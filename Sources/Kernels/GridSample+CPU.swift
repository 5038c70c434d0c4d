import Foundation
import Runtime

/// The pure-Swift grid sampling family: the readable reference. It follows PyTorch's CPU
/// arithmetic step by step — the vectorised 2-D kernel (`GridSamplerKernel.cpp`: unnormalise as
/// (g + 1)·s − ½, weights from the fractional part) and the scalar 3-D kernel (`GridSampler.cpp`:
/// unnormalise as ((g + 1)·n − 1)/2, weights as products of distances, taps summed in the order
/// tnw, tne, tsw, tse, bnw, bne, bsw, bse) — so results match PyTorch to the last bit or so.
///
/// Work is split in two phases, as ncnn does: first the taps (offsets + weights) of every output
/// point, once; then every channel plane is gathered with them, channels in parallel.
enum GridSampleCPU {
    /// A raw pointer handed to `concurrentPerform` workers; each worker writes a disjoint range.
    struct Shared<T>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<T>
        init(_ p: UnsafeMutablePointer<T>) { pointer = p }
        init(_ p: UnsafePointer<T>) { pointer = UnsafeMutablePointer(mutating: p) }
    }

    /// The taps of every output point of one batch item: `taps` per point, offset −1 = outside
    /// (contributes nothing).
    struct Taps {
        var perPoint: Int
        var offsets: [Int32]
        var weights: [Float]
    }

    // MARK: Coordinates (PyTorch's two formulations)

    /// 2-D (vectorised kernel): unnormalise, then clamp for border (NaN → 0).
    @inline(__always)
    static func location2D(_ g: Float, size: Int, padding: GridPadding, alignCorners: Bool) -> Float {
        var x: Float
        if alignCorners {
            x = (g + 1) * (Float(size - 1) / 2)
        } else {
            x = (g + 1) * (Float(size) / 2) - 0.5
        }
        if padding == .border { x = x.isNaN ? 0 : min(Float(size - 1), max(0, x)) }
        return x
    }

    /// 3-D (scalar kernel): `grid_sampler_compute_source_index` for zeros and border (NaN → size − 1).
    @inline(__always)
    static func location3D(_ g: Float, size: Int, padding: GridPadding, alignCorners: Bool) -> Float {
        var x: Float
        if alignCorners {
            x = ((g + 1) / 2) * Float(size - 1)
        } else {
            x = ((g + 1) * Float(size) - 1) / 2
        }
        if padding == .border {
            let lower = x < 0 ? 0 : x              // std::max(in, 0) keeps NaN
            x = lower < Float(size - 1) ? lower : Float(size - 1)  // std::min(limit, ·) maps NaN to the limit
        }
        return x
    }

    /// ⌊x⌋ as an Int when it lies within [−1, size] (the only values whose taps can be inside), else nil.
    @inline(__always)
    static func cell(_ x: Float, size: Int) -> Int? {
        let f = x.rounded(.down)
        guard f >= -1, f <= Float(size) else { return nil }
        return Int(f)
    }

    // MARK: Taps

    /// Tap offsets and weights for batch item `n`.
    static func taps(grid: UnsafePointer<Float>, geometry g: GridSampleGeometry, mode: GridSampleMode,
                     padding: GridPadding, alignCorners: Bool) -> Taps {
        let (di, hi, wi) = (g.input[0], g.input[1], g.input[2])
        let points = g.outputVoxels
        let perPoint = mode == .nearest ? 1 : (g.volumetric ? 8 : 4)
        var offsets = [Int32](repeating: -1, count: points * perPoint)
        var weights = [Float](repeating: 0, count: points * perPoint)
        @inline(__always) func inside(_ v: Int, _ size: Int) -> Bool { v >= 0 && v < size }
        for p in 0..<points {
            let base = p * perPoint
            if !g.volumetric {
                let x = location2D(grid[2 * p], size: wi, padding: padding, alignCorners: alignCorners)
                let y = location2D(grid[2 * p + 1], size: hi, padding: padding, alignCorners: alignCorners)
                if mode == .nearest {
                    let rx = x.rounded(.toNearestOrEven), ry = y.rounded(.toNearestOrEven)
                    if rx >= 0, rx < Float(wi), ry >= 0, ry < Float(hi) {
                        offsets[base] = Int32(Int(ry) * wi + Int(rx))
                        weights[base] = 1
                    }
                    continue
                }
                guard let x0 = cell(x, size: wi), let y0 = cell(y, size: hi) else { continue }
                let fw = x - Float(x0), fe = 1 - fw, fn = y - Float(y0), fs = 1 - fn
                func put(_ k: Int, _ yy: Int, _ xx: Int, _ w: Float) {
                    guard inside(yy, hi), inside(xx, wi) else { return }
                    offsets[base + k] = Int32(yy * wi + xx)
                    weights[base + k] = w
                }
                put(0, y0, x0, fs * fe)
                put(1, y0, x0 + 1, fs * fw)
                put(2, y0 + 1, x0, fn * fe)
                put(3, y0 + 1, x0 + 1, fn * fw)
            } else {
                let x = location3D(grid[3 * p], size: wi, padding: padding, alignCorners: alignCorners)
                let y = location3D(grid[3 * p + 1], size: hi, padding: padding, alignCorners: alignCorners)
                let z = location3D(grid[3 * p + 2], size: di, padding: padding, alignCorners: alignCorners)
                if mode == .nearest {
                    let rx = x.rounded(.toNearestOrEven), ry = y.rounded(.toNearestOrEven), rz = z.rounded(.toNearestOrEven)
                    if rx >= 0, rx < Float(wi), ry >= 0, ry < Float(hi), rz >= 0, rz < Float(di) {
                        offsets[base] = Int32((Int(rz) * hi + Int(ry)) * wi + Int(rx))
                        weights[base] = 1
                    }
                    continue
                }
                guard let x0 = cell(x, size: wi), let y0 = cell(y, size: hi), let z0 = cell(z, size: di) else { continue }
                // Distances as PyTorch forms them: (x1 − x) for the low corner, (x − x0) for the high one.
                let dx = (Float(x0 + 1) - x, x - Float(x0))
                let dy = (Float(y0 + 1) - y, y - Float(y0))
                let dz = (Float(z0 + 1) - z, z - Float(z0))
                for k in 0..<8 {
                    let (kz, ky, kx) = (k >> 2, (k >> 1) & 1, k & 1)
                    let (zz, yy, xx) = (z0 + kz, y0 + ky, x0 + kx)
                    guard inside(zz, di), inside(yy, hi), inside(xx, wi) else { continue }
                    offsets[base + k] = Int32((zz * hi + yy) * wi + xx)
                    weights[base + k] = (kx == 0 ? dx.0 : dx.1) * (ky == 0 ? dy.0 : dy.1) * (kz == 0 ? dz.0 : dz.1)
                }
            }
        }
        return Taps(perPoint: perPoint, offsets: offsets, weights: weights)
    }

    // MARK: Sampling

    /// `grid_sample` over all batch items and channels (NCHW / NCDHW in and out).
    static func sample(_ input: [Float], grid: [Float], geometry g: GridSampleGeometry, mode: GridSampleMode,
                       padding: GridPadding, alignCorners: Bool) -> [Float] {
        let (vin, vout, channels) = (g.inputVoxels, g.outputVoxels, g.channels)
        var out = [Float](repeating: 0, count: g.batch * channels * vout)
        for n in 0..<g.batch {
            let taps = grid.withUnsafeBufferPointer { gp in
                Self.taps(grid: gp.baseAddress! + n * vout * g.coordinates, geometry: g, mode: mode,
                          padding: padding, alignCorners: alignCorners)
            }
            let k = taps.perPoint
            input.withUnsafeBufferPointer { ip in
                out.withUnsafeMutableBufferPointer { op in
                    taps.offsets.withUnsafeBufferPointer { offp in
                        taps.weights.withUnsafeBufferPointer { wp in
                            let src = Shared(ip.baseAddress! + g.inputItem(n) * channels * vin)
                            let dst = Shared(op.baseAddress! + n * channels * vout)
                            let offs = Shared(offp.baseAddress!), wts = Shared(wp.baseAddress!)
                            DispatchQueue.concurrentPerform(iterations: channels) { c in
                                let plane = src.pointer + c * vin, row = dst.pointer + c * vout
                                let (o, w) = (offs.pointer, wts.pointer)
                                for p in 0..<vout {
                                    var acc: Float = 0
                                    for t in p * k ..< (p + 1) * k where o[t] >= 0 {
                                        acc += plane[Int(o[t])] * w[t]
                                    }
                                    row[p] = acc
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: Grids

    /// `affine_grid`: theta `[N, 2, 3]` (or `[N, 3, 4]`) applied to the base grid (x, y[, z], 1).
    static func affineGrid(_ theta: [Float], batch: Int, spatial: [Int], volumetric: Bool, alignCorners: Bool) -> [Float] {
        let (d, h, w) = (spatial[0], spatial[1], spatial[2])
        let dims = volumetric ? 3 : 2
        let rowLength = dims + 1
        var out = [Float](repeating: 0, count: batch * d * h * w * dims)
        var i = 0
        for n in 0..<batch {
            let t = n * dims * rowLength
            for z in 0..<d {
                let bz = affineBaseCoordinate(z, steps: d, alignCorners: alignCorners)
                for y in 0..<h {
                    let by = affineBaseCoordinate(y, steps: h, alignCorners: alignCorners)
                    for x in 0..<w {
                        let bx = affineBaseCoordinate(x, steps: w, alignCorners: alignCorners)
                        for k in 0..<dims {
                            let r = t + k * rowLength
                            var v = bx * theta[r] + by * theta[r + 1]
                            if volumetric { v += bz * theta[r + 2] }
                            out[i] = v + theta[r + dims]
                            i += 1
                        }
                    }
                }
            }
        }
        return out
    }

    /// Identity (linspace(−1, 1) along W, H, D) plus offsets `[N, 3, D, H, W]`, as `[N, D, H, W, 3]`.
    static func deformationGrid(_ offsets: [Float], batch: Int, depth: Int, height: Int, width: Int) -> [Float] {
        let voxels = depth * height * width
        var out = [Float](repeating: 0, count: batch * voxels * 3)
        for n in 0..<batch {
            var v = 0
            for z in 0..<depth {
                let iz = linspaceMinusOneToOne(z, steps: depth)
                for y in 0..<height {
                    let iy = linspaceMinusOneToOne(y, steps: height)
                    for x in 0..<width {
                        let ix = linspaceMinusOneToOne(x, steps: width)
                        let o = (n * voxels + v) * 3, src = n * 3 * voxels + v
                        out[o] = ix + offsets[src]
                        out[o + 1] = iy + offsets[src + voxels]
                        out[o + 2] = iz + offsets[src + 2 * voxels]
                        v += 1
                    }
                }
            }
        }
        return out
    }
}
