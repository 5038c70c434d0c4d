import Foundation

extension Keypoints {
    /// The volume of the 3-D convex hull of `[K · 3]` points (what the official code asks scipy's
    /// Qhull for in the 'expression-friendly' multiplier), computed exactly by enumeration: every
    /// plane through three points that has all other points on one side is a hull facet; the
    /// volume is Σ facet area × its distance to the centroid / 3. A facet holding more than three
    /// points (coplanar within 1e-9 of the set's extent) is counted once, with the area of their
    /// 2-D hull. O(K⁴): ~30 k steps at K = 21. Fewer than 4 points, or all coplanar, give 0.
    public static func hullVolume(_ values: [Double]) -> Double {
        let n = values.count / 3
        guard n >= 4 else { return 0 }
        let p = (0..<n).map { SIMD3(values[3 * $0], values[3 * $0 + 1], values[3 * $0 + 2]) }
        let centroid = p.reduce(SIMD3<Double>.zero, +) / Double(n)
        let extent = p.map { ($0 - centroid).magnitude }.max() ?? 0
        guard extent > 0 else { return 0 }
        let eps = 1e-9 * extent
        var seen = Set<[Int]>()
        var volume = 0.0
        for i in 0..<n {
            for j in i + 1..<n {
                for k in j + 1..<n {
                    let normal = (p[j] - p[i]).cross(p[k] - p[i])
                    let length = normal.magnitude
                    guard length > eps * extent else { continue }          // (nearly) collinear
                    let unit = normal / length
                    var above = false, below = false
                    var onPlane: [Int] = []
                    for m in 0..<n {
                        let s = unit.dot(p[m] - p[i])
                        if s > eps { above = true } else if s < -eps { below = true } else { onPlane.append(m) }
                    }
                    if above && below { continue }
                    if !above && !below { return 0 }                             // all coplanar
                    var area = length / 2
                    if onPlane.count > 3 {
                        guard seen.insert(onPlane).inserted else { continue }
                        area = planarHullArea(onPlane.map { p[$0] }, normal: unit)
                    }
                    volume += area * abs(unit.dot(centroid - p[i])) / 3
                }
            }
        }
        return volume
    }

    /// Area of the 2-D convex hull of coplanar points (monotone chain in the plane's basis).
    private static func planarHullArea(_ points: [SIMD3<Double>], normal: SIMD3<Double>) -> Double {
        let u = (points[1] - points[0]) / (points[1] - points[0]).magnitude
        let v = normal.cross(u)
        let flat = points.map { SIMD2(u.dot($0 - points[0]), v.dot($0 - points[0])) }
            .sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        func turn(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var hull: [SIMD2<Double>] = []
        for pass in 0..<2 {
            let start = hull.count
            for q in pass == 0 ? flat : flat.reversed() {
                while hull.count >= start + 2, turn(hull[hull.count - 2], hull[hull.count - 1], q) <= 0 { hull.removeLast() }
                hull.append(q)
            }
            hull.removeLast()
        }
        return abs((0..<hull.count).reduce(0) { s, i in
            let (a, b) = (hull[i], hull[(i + 1) % hull.count])
            return s + a.x * b.y - a.y * b.x
        }) / 2
    }
}

private extension SIMD3 where Scalar == Double {
    var magnitude: Double { (self * self).sum().squareRoot() }
    func dot(_ o: SIMD3<Double>) -> Double { (self * o).sum() }
    func cross(_ o: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }
}
