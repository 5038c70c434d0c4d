import FewShot
import Foundation
import Media
import Runtime
import Testing

/// The landmark rasteriser against the public implementation's own matplotlib drawings of the
/// same points (make_landmark_fixtures.py (a harness kept outside the repository): its `generate_cropped_landmarks`
/// run with a stand-in aligner; points after its crop, drawing as PNG).
struct LandmarkImageTests {
    static func points(_ seed: Int) throws -> [SIMD2<Float>] {
        let t = try #require(try SafeTensorsFile(path: Support.fixture("landmarks-\(seed).safetensors")).allTensors()["points"])
        let v = try #require(t.hostValues)
        return (0..<68).map { SIMD2(v[2 * $0], v[2 * $0 + 1]) }
    }

    @Test("matches the public implementation's drawing", arguments: [1, 2, 3])
    func matchesPublicDrawing(_ seed: Int) throws {
        let drawn = try LandmarkImage.render(points: try Self.points(seed), size: 256)
        let expected = try PNGCodec.read(Support.fixture("landmarks-\(seed).png")).planarCHW()
        let ours = try #require(drawn.hostValues)
        #expect(ours.count == expected.count)
        var sum = 0.0, inked = 0, agreeing = 0
        for i in 0..<ours.count {
            let d = abs(Double(ours[i] - expected[i]))
            sum += d
            if expected[i] < 0.99 || ours[i] < 0.99 {
                inked += 1
                if d <= 0.1 { agreeing += 1 }
            }
        }
        let mean = sum / Double(ours.count), agreement = Double(agreeing) / Double(max(inked, 1))
        print("landmarks-\(seed): mean |Δ| \(String(format: "%.4f", mean)), inked values within 0.1: \(String(format: "%.3f", agreement)) of \(inked)")
        #expect(inked > 3000, "the drawing must have ink")
        #expect(mean < 0.002, "mean absolute difference \(mean)")
        #expect(agreement > 0.99, "only \(agreement) of the inked values agree within 0.1")
    }

    @Test("colours, order and refusals")
    func basics() throws {
        var points = try Self.points(1)
        let image = try #require(try LandmarkImage.render(points: points, size: 256).hostValues)
        // A jaw point's pixel is the jaw's green; the background is white.
        let (x, y) = (Int(points[8].x), Int(points[8].y))
        let plane = 256 * 256
        #expect(image[y * 256 + x] < 0.1 && abs(image[plane + y * 256 + x] - 128 / 255) < 0.05 && image[2 * plane + y * 256 + x] < 0.1)
        #expect(image[0] == 1 && image[plane] == 1 && image[2 * plane] == 1)
        points.removeLast()
        #expect(throws: FewShotError.self) { try LandmarkImage.render(points: points, size: 256) }
        #expect(throws: FewShotError.self) { try LandmarkImage.render(points: Array(repeating: SIMD2(Float.nan, 0), count: 68), size: 64) }
    }
}
