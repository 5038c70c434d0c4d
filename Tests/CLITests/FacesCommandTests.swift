import Foundation
import Media
import Runtime
import Testing

/// `portrait faces` run as a user would, on the bundled portrait and demo video.
struct FacesCommandTests {
    static let assets = CLIRunner.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets")

    @Test func jsonListsTheFaceInSourcePixels() throws {
        let r = try CLIRunner.run(["faces", Self.assets.appendingPathComponent("astronaut-512.png").path, "--json", "--detector", "yunet", "--device", "cpu"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let faces = try #require(object?["faces"] as? [[String: Any]], "\(r.stdout)")
        #expect(faces.count == 1)
        let box = try #require(faces.first?["box"] as? [Double])
        let landmarks = try #require(faces.first?["landmarks"] as? [[Double]])
        let score = try #require(faces.first?["score"] as? Double)
        #expect(box.count == 4 && landmarks.count == 5 && landmarks.allSatisfy { $0.count == 2 })
        // libfacedetection finds [152, 127, 181, 224] (truncated) on this image.
        #expect(abs(box[0] - 152.4) < 1 && abs(box[1] - 127.8) < 1 && abs(box[2] - 181.6) < 1 && abs(box[3] - 224.9) < 1, "\(box)")
        #expect(score > 0.9 && score <= 1)
    }

    @Test func videoFirstFrameTableAndAnnotatedPNG() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("annotated.png").path
        let video = Self.assets.appendingPathComponent("driver-demo.mp4").path
        let r = try CLIRunner.run(["faces", video, "-o", out, "--device", "cpu"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1 face") && r.stdout.contains("0: box ["), "\(r.stdout)")
        let annotated = try PNGCodec.read(out)
        let original = try ImageReader.read(video)
        #expect(annotated.width == original.width && annotated.height == original.height)
        #expect(annotated.pixels != original.pixels, "nothing was drawn")
    }

    @Test func noFaceExitsTwoNamingTheFileAndSuggestingCrop() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let plain = dir.appendingPathComponent("plain.png").path
        try PNGCodec.write(try RGBImage(width: 120, height: 90, fill: (0.4, 0.5, 0.6)), to: plain)
        let r = try CLIRunner.run(["faces", plain, "--json", "--device", "cpu"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no face found in \(plain)") && r.stderr.contains("--crop"), "\(r.stderr)")
        #expect(r.stdout.contains("\"faces\" : ["), "\(r.stdout)")
        let missing = try CLIRunner.run(["faces", dir.appendingPathComponent("none.png").path, "--device", "cpu"])
        #expect(missing.status == 2 && missing.stderr.contains("portrait: error:"), "\(missing.stderr)")
        let badScore = try CLIRunner.run(["faces", plain, "--min-score", "2"])
        #expect(badScore.status != 0 && badScore.stderr.contains("--min-score"), "\(badScore.stderr)")
    }

    @Test("faces -o x.jpg writes a JPEG of the picture's size, each face's number drawn above its box; another extension is refused before any work")
    func annotatedJPEGWithNumbers() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try SeparateFramingTests.groupPhoto(in: dir)
        let listed = try CLIRunner.run(["faces", group, "--json", "--device", "cpu"])
        let object = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let boxes = try #require((object?["faces"] as? [[String: Any]])?.compactMap { $0["box"] as? [Double] }, "\(listed.stdout)")
        #expect(boxes.count == 2, "\(boxes)")
        let jpeg = dir.appendingPathComponent("faces.jpg").path, png = dir.appendingPathComponent("faces.png").path
        for out in [jpeg, png] {
            let r = try CLIRunner.run(["faces", group, "-o", out, "--device", "cpu"])
            // Nothing on stderr but, where MediaPipe's short-range detector misses the small face, one note saying YuNet found it.
            let lines = r.stderr.split(separator: "\n")
            #expect(r.status == 0 && (lines.isEmpty || (lines.count == 1 && lines[0].contains("MediaPipe's short-range face detector missed"))), "\(r.stderr)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: jpeg))
        #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF], "not a JPEG: \(Array(bytes.prefix(8)))")
        let decoded = try ImageReader.read(jpeg), lossless = try PNGCodec.read(png)
        #expect(decoded.width == 960 && decoded.height == 540)
        var error: Float = 0, count: Float = 0
        for y in stride(from: 0, to: 540, by: 3) { for x in stride(from: 0, to: 960, by: 3) {
            let a = decoded[x, y], b = lossless[x, y]
            error += (abs(a.red - b.red) + abs(a.green - b.green) + abs(a.blue - b.blue)) / 3
            count += 1
        } }
        #expect(error / count < 0.01, "the JPEG is not the annotated picture (mean error \(error / count))")
        // Above each box, a black label with the face's number in the box's colour (green 0, yellow 1).
        for (n, box) in boxes.enumerated() {
            let cell = max(2, Int(box[3].rounded()) / 30)
            let (x0, y0) = (Int(box[0].rounded()), Int(box[1].rounded()))
            var black = 0, ink = 0
            for y in max(0, y0 - 7 * cell)..<y0 { for x in x0..<(x0 + 5 * cell) {
                let p = lossless[x, y]
                if p.red == 0 && p.green == 0 && p.blue == 0 { black += 1 }
                if p.green == 1 && p.blue == 0 && p.red == (n == 0 ? 0 : 1) { ink += 1 }
            } }
            #expect(black > 10 * cell * cell && ink >= 7 * cell * cell, "face \(n): \(black) black, \(ink) ink pixels in its label")
        }
        let bad = try CLIRunner.run(["faces", group, "-o", dir.appendingPathComponent("faces.bmp").path, "--device", "cpu"])
        #expect(bad.status != 0 && bad.stderr.contains(".jpg"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("faces.bmp").path))
    }
}
