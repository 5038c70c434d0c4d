import Foundation
import Runtime

/// The landmark image the few-shot network was trained on, drawn as the public implementation
/// draws it (vincent-thevenin/Realistic-Neural-Talking-Head-Models, matplotlib on a white
/// canvas of the image's size at 100 dpi): 68 dlib-order points as nine open polylines — jaw
/// green, brows orange, nose bridge and nostrils blue, eyes red, outer lip purple, inner lip
/// pink — each 2 pt wide (2·100/72 px), projecting caps, round joins, anti-aliased by exact
/// coverage, composited in that order over white and stored as 8-bit values (/255).
///
/// Coverage is estimated on a 16×16 sample grid per pixel (Agg computes it exactly), and a
/// polyline whose segments are all horizontal or vertical is snapped to pixel centres as
/// matplotlib snaps it; points outside the canvas are clipped (matplotlib would rescale the
/// whole view instead). Against the public code's own drawings the mean absolute difference is
/// about 1e-4 of full scale and every inked value is within 0.1 (LandmarkImageTests).
public enum LandmarkImage {
    /// Point index ranges and RGB colours of the nine polylines, in drawing order.
    public static let parts: [(range: Range<Int>, color: (UInt8, UInt8, UInt8))] = [
        (0..<17, (0, 128, 0)), (17..<22, (255, 165, 0)), (22..<27, (255, 165, 0)),
        (27..<31, (0, 0, 255)), (31..<36, (0, 0, 255)), (36..<42, (255, 0, 0)), (42..<48, (255, 0, 0)),
        (48..<60, (128, 0, 128)), (60..<68, (255, 192, 203)),
    ]
    /// Half the stroke width in pixels (lw = 2 pt at 100 dpi).
    static let halfWidth: Float = 100.0 / 72.0
    /// Samples per pixel side.
    static let grid = 16

    /// The `[1, 3, size, size]` landmark image (values k/255 in [0, 1], normal orientation) of 68
    /// points `(x, y)` in pixel coordinates (pixel (i, j)'s centre is (i, j), as matplotlib's
    /// `imshow` places it).
    public static func render(points: [SIMD2<Float>], size: Int) throws -> Tensor {
        guard points.count == 68 else {
            throw FewShotError.badInput(what: "the landmarks", expected: "68 points (dlib order)", found: [points.count])
        }
        guard points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw FewShotError.badInput(what: "the landmarks", expected: "finite coordinates", found: [points.count])
        }
        guard size >= 1, size <= 8192 else { throw FewShotError.badInput(what: "the landmark image", expected: "a side of 1...8192", found: [size]) }
        var canvas = [UInt8](repeating: 255, count: 3 * size * size)
        for part in parts {
            let coverage = polylineCoverage(Array(points[part.range]), size: size)
            let color = [part.color.0, part.color.1, part.color.2]
            for (pixel, alpha) in coverage where alpha > 0 {
                for c in 0..<3 {
                    let index = c * size * size + pixel
                    let old = Float(canvas[index])
                    canvas[index] = UInt8((old + (Float(color[c]) - old) * alpha).rounded())
                }
            }
        }
        return Tensor(shape: [1, 3, size, size], values: canvas.map { Float($0) / 255 })
    }

    /// Covered fraction of each touched pixel (index y·size + x) by one stroked open polyline.
    static func polylineCoverage(_ data: [SIMD2<Float>], size: Int) -> [Int: Float] {
        // Data coordinates → pixel-edge coordinates; snap rectilinear paths (stroke ≈ 3 px, odd).
        var p = data.map { $0 + SIMD2(0.5, 0.5) }
        let rectilinear = zip(data, data.dropFirst()).allSatisfy { $0.x == $1.x || $0.y == $1.y }
        if rectilinear { p = p.map { SIMD2(($0.x + 0.5).rounded(.down) + 0.5, ($0.y + 0.5).rounded(.down) + 0.5) } }
        let h = halfWidth
        var masks: [Int: [Bool]] = [:]
        let n = grid, samples = grid * grid
        func mark(minX: Float, maxX: Float, minY: Float, maxY: Float, inside: (SIMD2<Float>) -> Bool) {
            let x0 = max(0, Int(minX.rounded(.down))), x1 = min(size - 1, Int(maxX.rounded(.down)))
            let y0 = max(0, Int(minY.rounded(.down))), y1 = min(size - 1, Int(maxY.rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { return }
            for py in y0...y1 {
                for px in x0...x1 {
                    let key = py * size + px
                    var mask = masks[key] ?? [Bool](repeating: false, count: samples)
                    var touched = false
                    for sy in 0..<n {
                        for sx in 0..<n where !mask[sy * n + sx] {
                            let s = SIMD2(Float(px) + (Float(sx) + 0.5) / Float(n), Float(py) + (Float(sy) + 0.5) / Float(n))
                            if inside(s) { mask[sy * n + sx] = true; touched = true }
                        }
                    }
                    if touched { masks[key] = mask }
                }
            }
        }
        let last = p.count - 1
        for i in 0..<last {
            let (a, b) = (p[i], p[i + 1])
            let d = b - a
            let length = (d * d).sum().squareRoot()
            guard length > 0 else { continue }
            let u = d / length
            let start: Float = i == 0 ? -h : 0, end: Float = i + 1 == last ? length + h : length
            let reach = h * 1.5 + 1
            mark(minX: min(a.x, b.x) - reach, maxX: max(a.x, b.x) + reach, minY: min(a.y, b.y) - reach, maxY: max(a.y, b.y) + reach) { s in
                let v = s - a
                let along = (v * u).sum(), across = abs(v.x * u.y - v.y * u.x)
                return across <= h && along >= start && along <= end
            }
            if i > 0 {  // round join at the segment's start (an interior vertex)
                mark(minX: a.x - h, maxX: a.x + h, minY: a.y - h, maxY: a.y + h) { s in
                    let v = s - a
                    return (v * v).sum() <= h * h
                }
            }
        }
        return masks.mapValues { Float($0.lazy.filter { $0 }.count) / Float(samples) }
    }
}
