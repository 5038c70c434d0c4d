import Disclosure
import Foundation
import Media
import Runtime
import Testing

/// How visible the mark is before (uniform strength) and after perceptual shaping, per region, and
/// how well it is found on pasted-back pictures; printed as Markdown for docs/disclosure.md. Runs
/// only with PORTRAIT_WATERMARK_BENCH=1 (Benchmarks/watermark_robustness.sh).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_WATERMARK_BENCH"] == "1"))
struct VisibilityBenchmark {
    static let payload = WatermarkPayload(renderID: 0x1234_ABCD)

    /// Synthetic flat and textured pictures, 256².
    static func synthetic() throws -> [(String, RGBImage)] {
        var g = SeededGenerator(seed: 11)
        let grain = (0..<(256 * 256)).map { _ in g.uniform(-1, 1) }
        return [
            ("uniform grey", try VisibilityTests.picture(256, 256) { _, _ in 0.5 }),
            ("white wall (±0.3 level grain)", try VisibilityTests.picture(256, 256) { x, y in 0.93 + 0.3 / 255 * grain[y * 256 + x] }),
            ("sky (gradient)", try VisibilityTests.picture(256, 256) { x, y in 0.55 + 0.25 * Float(y) / 256 - 0.05 * Float(x) / 256 }),
            ("fine texture (σ ≈ 15 levels)", try VisibilityTests.picture(256, 256) { x, y in 0.5 + 0.1 * grain[y * 256 + x] }),
        ]
    }

    static func cells(_ v: Visibility) -> String {
        String(format: "%.1f | %.2f %% | %.1f %% | %.4f | %.1f", v.maxChange, 100 * v.overJND, 100 * v.overOneLevel, v.ssim, v.psnr)
    }

    @Test func perceptualTable() throws {
        let portrait = try ImageReader.read(Harness.assets.appendingPathComponent("astronaut-512.png").path)
        var rows: [(String, RGBImage, Visibility.Region)] = Harness.portraitRegions.map { ("portrait: \($0.name)", portrait, $0) }
        rows += try Self.synthetic().map { ($0.0, $0.1, Visibility.Region.whole($0.1, $0.0)) }
        print("\n| picture, region | before: max Δ | > JND | > 1 level | SSIM | PSNR | after: max Δ | > JND | > 1 level | SSIM | PSNR |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for (name, picture, region) in rows {
            let before = try Harness.uniformMark([picture], payload: Self.payload)[0]
            let after = try Harness.mark([picture], payload: Self.payload)[0]
            print("| \(name) | \(Self.cells(Visibility(original: picture, marked: before, region: region))) | \(Self.cells(Visibility(original: picture, marked: after, region: region))) |")
        }
        if let path = ProcessInfo.processInfo.environment["PORTRAIT_WATERMARK_DIFF"] {
            // Before | after, difference ×20 around mid-grey, portrait x 256..<512, y 32..<288.
            let before = try Harness.uniformMark([portrait], payload: Self.payload)[0], after = try Harness.mark([portrait], payload: Self.payload)[0]
            let o = portrait.rgbBytes()
            var pixels = [Float](repeating: 0, count: 512 * 256 * 3)
            for (panel, marked) in [before, after].enumerated() {
                let m = marked.rgbBytes()
                for y in 0..<256 {
                    for x in 0..<256 {
                        let i = ((y + 32) * 512 + x + 256) * 3
                        let d = (0.2126 * (Float(m[i]) - Float(o[i])) + 0.7152 * (Float(m[i + 1]) - Float(o[i + 1])) + 0.0722 * (Float(m[i + 2]) - Float(o[i + 2])))
                        let v = min(max(128 + 20 * d, 0), 255) / 255
                        for c in 0..<3 { pixels[(y * 512 + panel * 256 + x) * 3 + c] = v }
                    }
                }
            }
            try PNGCodec.write(try RGBImage(width: 512, height: 256, pixels: pixels), to: path)
        }
    }

    /// A 1280×720 picture (a gradient wall, the portrait at 640² in it) whose 360² face square is
    /// "rendered" and pasted back, 10 frames with the face moving a little. Marked over the whole
    /// picture (what `render` does), over the face square only, and as before (uniform, whole picture).
    @Test func pastedBackDetection() throws {
        var written: [String] = []
        defer { for path in written { try? FileManager.default.removeItem(atPath: path) } }
        let portrait = try ImageReader.read(Harness.assets.appendingPathComponent("astronaut-512.png").path).resized(width: 640, height: 640)
        let wall = try VisibilityTests.picture(1280, 720) { x, y in 0.62 + 0.12 * Float(x) / 1280 - 0.08 * Float(y) / 720 }
        let face = (x: 440 + 120, y: 80 + 70, size: 360)
        var frames: [RGBImage] = []
        for i in 0..<10 {
            var picture = wall
            let moved: RGBImage = try portrait.cropped(x: 8 + i % 4, y: 8, width: 624, height: 624)
            for y in 0..<624 { for x in 0..<624 { picture[440 + x, 80 + y] = moved[x, y] } }
            frames.append(picture)
        }
        let whole = try Harness.mark(frames, payload: Self.payload)
        var faceOnly: [RGBImage] = []
        for (original, marked) in zip(frames, whole) {
            var out = original
            for y in face.y..<(face.y + face.size) { for x in face.x..<(face.x + face.size) { out[x, y] = marked[x, y] } }
            faceOnly.append(out)
        }
        let uniform = try Harness.uniformMark(frames, payload: Self.payload)
        let wallRegion = Visibility.Region(name: "wall", x: 40, y: 40, width: 360, height: 640)
        print("\npasted-back 1280×720, 10 frames; wall region: before \(Self.cells(Visibility(original: frames[0], marked: uniform[0], region: wallRegion))), after \(Self.cells(Visibility(original: frames[0], marked: whole[0], region: wallRegion)))\n")
        print("| pasted-back picture, marked | PNG | H.264 CRF 23 | H.264 CRF 28 | scale 50 % |")
        print("|---|---|---|---|---|")
        for (name, marked) in [("before: uniform, whole picture", uniform), ("after: shaped, whole picture", whole), ("after: shaped, face square only", faceOnly)] {
            let still = WatermarkDetector(); still.add(Harness.luma(marked[0]))
            var cells = [Self.verdict(still.detect())]
            let path = try Harness.writeVideo(marked)
            written.append(path)
            for attack in [Attack.h264(crf: 23), .h264(crf: 28), .scale(0.5)] {
                let attacked = try attack.apply(to: path)
                written.append(attacked)
                cells.append(Self.verdict(try Harness.detect(video: attacked)))
            }
            print("| \(name) | \(cells.joined(separator: " | ")) |")
        }
    }

    static func verdict(_ d: WatermarkDetection) -> String {
        String(format: "%@ %.1fσ", d.found && d.payload == payload ? "yes" : "**no**", d.syncScore)
    }
}
