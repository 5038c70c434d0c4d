import Foundation

/// Samples a rotated region of an RGB image into a square network input the way MediaPipe's CPU
/// `ImageToTensorCalculator` does (OpenCV `warpPerspective`, bilinear): the region's corners map
/// to the corners of the `side × side` output, output pixel `(j, i)` reads the image at
/// `centre + R(rotation) · ((j / side − 0.5)·width, (i / side − 0.5)·height)` with pixel centres at
/// integer coordinates, and values go from [0, 1] to `[low, high]`.
struct RegionSampler {
    /// What lies outside the image: zeros (`BORDER_ZERO`, the detector) or the nearest edge
    /// pixel (`BORDER_REPLICATE`, the landmark networks).
    enum Border { case zero, replicate }

    /// The image `[3, H, W]` values in [0, 1], row-major planes.
    let pixels: [Float]
    let width: Int, height: Int

    /// `[1, 3, side, side]` values of `region`, mirrored left–right when `mirrored`.
    func sample(_ region: RotatedRegion, side: Int, border: Border, low: Float, high: Float, mirrored: Bool = false) -> [Float] {
        let (c, s) = (cos(region.rotation), sin(region.rotation))
        let plane = width * height
        var out = [Float](repeating: 0, count: 3 * side * side)
        for i in 0..<side {
            let ly = (Float(i) / Float(side) - 0.5) * region.height
            for j in 0..<side {
                let jj = mirrored ? side - 1 - j : j
                let lx = (Float(jj) / Float(side) - 0.5) * region.width
                let x = region.centerX + c * lx - s * ly, y = region.centerY + s * lx + c * ly
                let x0 = Int(floor(x)), y0 = Int(floor(y))
                let (fx, fy) = (x - Float(x0), y - Float(y0))
                for ch in 0..<3 {
                    func at(_ px: Int, _ py: Int) -> Float {
                        switch border {
                        case .replicate:
                            return pixels[ch * plane + min(max(py, 0), height - 1) * width + min(max(px, 0), width - 1)]
                        case .zero:
                            guard px >= 0, px < width, py >= 0, py < height else { return 0 }
                            return pixels[ch * plane + py * width + px]
                        }
                    }
                    let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
                    let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
                    let v = top * (1 - fy) + bottom * fy
                    out[(ch * side + i) * side + j] = low + v * (high - low)
                }
            }
        }
        return out
    }

    /// The image point of a network-input point `(u, v)` given in input pixels of a `side`² crop
    /// of `region` (the inverse of `sample`'s mapping; `mirrored` undoes a left–right flip).
    static func project(_ u: Float, _ v: Float, region: RotatedRegion, side: Int, mirrored: Bool = false) -> SIMD2<Float> {
        let un = mirrored ? 1 - u / Float(side) : u / Float(side)
        let lx = (un - 0.5) * region.width, ly = (v / Float(side) - 0.5) * region.height
        let (c, s) = (cos(region.rotation), sin(region.rotation))
        return SIMD2(region.centerX + c * lx - s * ly, region.centerY + s * lx + c * ly)
    }
}
