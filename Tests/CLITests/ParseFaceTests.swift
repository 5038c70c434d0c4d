import Foundation
import Media
import Runtime
import Testing

/// `portrait parse-face` run as a user would, on the tiny face-parsing fixture.
struct ParseFaceTests {
    static let weights = CLIRunner.fixtures.appendingPathComponent("face-parsing/tiny-weights.safetensors").path

    /// The fixture's 40×48 image written as a PNG.
    static func imagePNG(in dir: URL) throws -> String {
        let io = try SafeTensorsFile(path: CLIRunner.fixtures.appendingPathComponent("face-parsing/tiny-io.safetensors").path)
        let image = try io.tensor("image")
        let rgb = try RGBImage(planarCHW: image.hostValues!, width: image.shape[3], height: image.shape[2])
        let path = dir.appendingPathComponent("face.png").path
        try PNGCodec.write(rgb, to: path)
        return path
    }

    @Test func writesABinaryMaskAtTheImageSize() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let image = try Self.imagePNG(in: dir)
        let out = dir.appendingPathComponent("mask.png").path
        let r = try CLIRunner.run(["parse-face", image, "--weights", Self.weights, "--network-size", "64", "-o", out, "--device", "cpu"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("48×40 mask"), "\(r.stdout)")
        let mask = try PNGCodec.read(out)
        #expect(mask.width == 48 && mask.height == 40)
        let bytes = mask.rgbBytes()
        #expect(bytes.allSatisfy { $0 == 0 || $0 == 255 })
        // Random weights still give both classes on this image (the fixture's mask covers ~53 %).
        #expect(bytes.contains(0) && bytes.contains(255))
        // Other labels give another mask.
        let other = dir.appendingPathComponent("other.png").path
        let r2 = try CLIRunner.run(["parse-face", image, "--weights", Self.weights, "--network-size", "64", "-o", other,
                                    "--labels", "16", "--device", "cpu"])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(try PNGCodec.read(other).rgbBytes() != bytes)
    }

    @Test func badInvocationsExitWithAMessage() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let image = try Self.imagePNG(in: dir)
        let out = dir.appendingPathComponent("mask.png").path
        let missing = try CLIRunner.run(["parse-face", image, "--weights", dir.appendingPathComponent("none.safetensors").path, "-o", out, "--device", "cpu"])
        #expect(missing.status == 2 && missing.stderr.contains("portrait: error:"), "\(missing.stderr)")
        let label = try CLIRunner.run(["parse-face", image, "--weights", Self.weights, "--network-size", "64", "-o", out, "--labels", "19", "--device", "cpu"])
        #expect(label.status == 2 && label.stderr.contains("mask label 19"), "\(label.stderr)")
        let text = try CLIRunner.run(["parse-face", image, "--weights", Self.weights, "-o", out, "--labels", "face"])
        #expect(text.status != 0 && text.stderr.contains("--labels"), "\(text.stderr)")
        let wrongWeights = try CLIRunner.run(["parse-face", image, "--weights", CLIRunner.fixtures.appendingPathComponent("model/tiny-weights.safetensors").path,
                                              "-o", out, "--device", "cpu"])
        #expect(wrongWeights.status == 2 && wrongWeights.stderr.contains("face-parsing"), "\(wrongWeights.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
