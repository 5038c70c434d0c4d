import Foundation
import Media
import Runtime

/// Varied synthetic pictures for watermark tests: smooth shading, a face-like blob, textures of
/// several grains, stripes, moving objects. Deterministic per (kind, seed).
enum Content {
    static let kinds = 6

    /// An RGB picture of `kind` (0..<kinds) drawn with `seed`; `phase` moves it (video frames).
    static func picture(kind: Int, seed: UInt64, width: Int, height: Int, phase: Int = 0) -> RGBImage {
        var g = SeededGenerator(seed: seed &* 7919 &+ UInt64(kind))
        let f1 = Float(g.uniform(0.02, 0.2)), f2 = Float(g.uniform(0.02, 0.2)), base = g.uniform(0.2, 0.7)
        let noise = (0..<((width / 4 + 2) * (height / 4 + 2))).map { _ in g.uniform(-1, 1) }
        var pixels = [Float](repeating: 0, count: width * height * 3)
        let cx = Float(width) * (0.5 + 0.1 * Float(sin(Double(phase) / 7))), cy = Float(height) * 0.45
        for y in 0..<height {
            for x in 0..<width {
                let fx = Float(x + phase), fy = Float(y)
                var v: Float
                switch kind {
                case 0: v = base + 0.3 * fx / Float(width) - 0.2 * fy / Float(height)                     // shading
                case 1: let d = ((fx - cx) * (fx - cx) + (fy - cy) * (fy - cy) * 0.7).squareRoot() / Float(height)
                        v = d < 0.3 ? 0.75 - d : 0.25 + 0.1 * sin(fy * f1)                               // face-like blob
                case 2: v = base + 0.25 * noise[(y / 4) * (width / 4 + 2) + (x + phase) / 4 % (width / 4 + 1)] // coarse texture
                case 3: v = 0.5 + 0.4 * sin(fx * f1 * 3) * sin(fy * f2 * 3)                               // gratings
                case 4: v = ((x + phase) / 16 + y / 16) % 2 == 0 ? 0.2 : 0.8                              // checkerboard
                default: v = base + 0.2 * sin(fx * f1) + 0.15 * noise[((y / 2) % (height / 4 + 1)) * (width / 4 + 2) + (x / 3) % (width / 4 + 1)]
                }
                let i = (y * width + x) * 3
                pixels[i] = min(max(v * 1.05, 0), 1)
                pixels[i + 1] = min(max(v, 0), 1)
                pixels[i + 2] = min(max(v * 0.9 + 0.05, 0), 1)
            }
        }
        return try! RGBImage(width: width, height: height, pixels: pixels)
    }
}
