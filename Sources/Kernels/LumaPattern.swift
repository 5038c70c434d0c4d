import Foundation
import Runtime

/// A tiled cell pattern to add to an image's luma: `cellsPerSide`² cell values laid on a tile of
/// `period` pixels, repeated over the whole frame, bilinear between cell centres (wrapping round
/// the tile). `Disclosure` builds the cells from a key and a payload; this op only draws them.
public struct LumaPattern: Sendable {
    /// Cell values, row-major, `cellsPerSide`² of them.
    public let cells: [Float]
    /// Cells along each side of the tile.
    public let cellsPerSide: Int
    /// Tile period in pixels (the same horizontally and vertically).
    public let period: Int

    /// A pattern; throws `shapeMismatch` unless there are `cellsPerSide`² cells and
    /// `period ≥ cellsPerSide` (a cell at least one pixel wide).
    public init(cells: [Float], cellsPerSide: Int, period: Int) throws {
        guard cellsPerSide > 0, cells.count == cellsPerSide * cellsPerSide else {
            throw RuntimeError.shapeMismatch("luma pattern: \(cells.count) cells is not \(cellsPerSide)² ")
        }
        guard period >= cellsPerSide else {
            throw RuntimeError.shapeMismatch("luma pattern: a \(period) px tile cannot hold \(cellsPerSide) cells per side; use a period of at least \(cellsPerSide) px")
        }
        self.cells = cells
        self.cellsPerSide = cellsPerSide
        self.period = period
    }

    /// The pattern's value at pixel (x, y), before scaling (the CPU reference; the OpenCL kernel
    /// `luma_pattern_add` evaluates the same expression in the same order).
    @inline(__always)
    public func value(x: Int, y: Int) -> Float { value(column: tap(x), row: tap(y)) }

    /// The two neighbouring cell indices and the interpolation weight of the second one for pixel
    /// coordinate `t` (cell i's centre is at tile position (i + 0.5)·period/cells).
    @inline(__always)
    func tap(_ t: Int) -> (first: Int, second: Int, weight: Float) {
        let c = cellsPerSide
        let u = (Float(t % period) + 0.5) * (Float(c) / Float(period)) - 0.5
        let fu = u.rounded(.down)
        let i0 = (Int(fu) + c) % c
        return (i0, (i0 + 1) % c, u - fu)
    }

    @inline(__always)
    func value(column u: (first: Int, second: Int, weight: Float), row v: (first: Int, second: Int, weight: Float)) -> Float {
        let c = cellsPerSide
        let top = cells[v.first * c + u.first] * (1 - u.weight) + cells[v.first * c + u.second] * u.weight
        let bottom = cells[v.second * c + u.first] * (1 - u.weight) + cells[v.second * c + u.second] * u.weight
        return top * (1 - v.weight) + bottom * v.weight
    }
}

extension Engine {
    /// `image + strength · pattern` on every channel of an `[N, 3, H, W]` image: an equal offset
    /// on R, G and B, which moves luma (BT.601 and BT.709 weights sum to 1) and leaves chroma
    /// alone. No clamping: values may leave [0, 1] by up to `strength`. `residentCells`, the
    /// pattern's cells already on this engine (`resident(Tensor(shape: [n], values: cells))`),
    /// saves their upload per frame on OpenCL.
    public func addLumaPattern(_ image: Tensor, _ pattern: LumaPattern, strength: Float, residentCells: Tensor? = nil) throws -> Tensor {
        guard image.rank == 4, image.shape[1] == 3 else {
            throw RuntimeError.shapeMismatch("addLumaPattern: expected an RGB image [N, 3, H, W], got \(image.shapeDescription)")
        }
        return try run(LumaPatternAddOp(pattern: pattern, strength: strength, outputShape: image.shape), [image] + [residentCells].compactMap { $0 })
    }
}

/// `image + strength · pattern` on every channel (kernel `luma_pattern_add`). Inputs: the image,
/// then optionally the pattern's cells already resident on the engine.
struct LumaPatternAddOp: EngineOp {
    let pattern: LumaPattern
    let strength: Float
    let outputShape: [Int]
    var h: Int { outputShape[2] }
    var w: Int { outputShape[3] }
    var planes: Int { outputShape[0] * 3 }

    var name: String { "luma_pattern_add" }
    var cost: KernelCost { KernelCost(flops: Double(h * w * (20 + planes)), bytes: Double(outputShape.reduce(1, *) * 8)) }
    /// One multiply-add per value (EmbedTests asserts ≤ 1e-6).
    var tolerance: Tolerance { Tolerance(absolute: 1e-6, relative: 1e-6) }

    func cpu(_ inputs: [[Float]]) -> [Float] {
        var out = inputs[0]
        let (h, w, planes) = (h, w, planes)
        let columns = (0..<w).map(pattern.tap), rows = (0..<h).map(pattern.tap)
        out.withUnsafeMutableBufferPointer { values in
            for y in 0..<h {
                for x in 0..<w {
                    let d = strength * pattern.value(column: columns[x], row: rows[y])
                    for p in 0..<planes { values[(p * h + y) * w + x] += d }
                }
            }
        }
        return out
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let cells = l.inputs.count > 1 ? try l.input(1) : try l.context.upload(pattern.cells)
        try l.context.launch("luma_pattern_add", global: [w, h], local: [16, 16],
                             arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .buffer(cells),
                                         .i(pattern.cellsPerSide), .i(pattern.period), .i(h), .i(w), .i(planes), .float(strength)],
                             cost: l.cost)
    }
}
