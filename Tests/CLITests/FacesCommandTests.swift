import Foundation
import Media
import Runtime
import Testing

/// `portrait faces` run as a user would, on the bundled portrait and demo video.
struct FacesCommandTests {
    static let assets = CLIRunner.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("assets")

    @Test func jsonListsTheFaceInSourcePixels() throws {
        let r = try CLIRunner.run(["faces", Self.assets.appendingPathComponent("astronaut-512.png").path, "--json", "--device", "cpu"])
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
}
