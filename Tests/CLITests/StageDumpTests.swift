import Foundation
import Media
import Runtime
import Testing

/// `--stages` float dumps, `-o OUT.safetensors` float images and `--source-mask`, run as a user would.
@Suite(.serialized)
struct StageDumpTests {
    static let tiny = ModelJobsTests.tiny

    /// A 512×512 grey PNG: white (keep) in the left half, black (drop) in the right half.
    static func halfMask(in dir: URL, width: Int = 512, height: Int = 512) throws -> String {
        var pixels = [Float](repeating: 0, count: width * height * 3)
        for y in 0..<height { for x in 0..<(width / 2) { for c in 0..<3 { pixels[(y * width + x) * 3 + c] = 1 } } }
        let path = dir.appendingPathComponent("mask-\(width)x\(height).png").path
        try PNGCodec.write(try RGBImage(width: width, height: height, pixels: pixels), to: path)
        return path
    }

    @Test func renderWritesStagesAndAFloatImage() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let stages = dir.appendingPathComponent("stages.safetensors").path
        let image = dir.appendingPathComponent("image.safetensors").path
        let mask = try Self.halfMask(in: dir)
        let r = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--source-mask", mask, "--driver", ModelJobsTests.source,
                                   "--stages", stages, "-o", image, "--no-watermark", "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        let dump = try SafeTensorsFile(path: stages)
        for name in ["source.image", "source.mask", "driver.image", "source.masked", "es", "volume.canonical", "warp.driver.grid", "driver.z", "image"] {
            #expect(dump.names.contains(name), "the stage dump lacks \(name)")
        }
        let masked = try dump.tensor("source.masked"), source = try dump.tensor("source.image")
        #expect(masked.shape == [1, 3, 64, 64])
        let m = masked.hostValues!, s = source.hostValues!
        // left columns keep the source, right columns are zeroed by the mask
        #expect(m[10 * 64 + 5] == s[10 * 64 + 5] && s[10 * 64 + 5] > 0)
        #expect(m[10 * 64 + 60] == 0 && s[10 * 64 + 60] > 0)
        let float = try SafeTensorsFile(path: image).tensor("image")
        #expect(float.shape == [1, 3, 64, 64])
        #expect(float.hostValues! == (try dump.tensor("image")).hostValues!, "-o .safetensors holds the network's float image (unmarked here)")
        #expect(try SafeTensorsFile(path: image).metadata["ai_generated"] != nil, "the float image carries the disclosure label")
    }

    @Test func faceParsingComputesTheSourceMask() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let stages = dir.appendingPathComponent("stages.safetensors").path
        let weights = CLIRunner.fixtures.appendingPathComponent("face-parsing/tiny-weights.safetensors").path
        var r = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--face-parsing", weights, "--driver", ModelJobsTests.source,
                                   "--stages", stages, "-o", dir.appendingPathComponent("a.png").path, "--crop", "none", "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        let parsed = try SafeTensorsFile(path: stages).tensor("source.mask").hostValues!
        #expect(parsed.allSatisfy { $0 == 0 || $0 == 1 }, "the face-parsing mask is binary")
        let kept = parsed.filter { $0 == 1 }.count
        #expect(kept > 0 && kept < parsed.count, "random parsing weights still split the image (\(kept) of \(parsed.count) kept)")

        // with --source-mask as well, the two multiply: the right half is dropped
        r = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--face-parsing", weights, "--source-mask", try Self.halfMask(in: dir),
                               "--driver", ModelJobsTests.source, "--stages", stages, "-o", dir.appendingPathComponent("b.png").path,
                               "--crop", "none", "--device", "cpu"] + Self.tiny)
        #expect(r.status == 0, "\(r.stderr)")
        let both = try SafeTensorsFile(path: stages).tensor("source.mask").hostValues!
        for y in 0..<64 {
            for x in 0..<64 { #expect(both[y * 64 + x] == (x < 32 ? parsed[y * 64 + x] : 0)) }
        }
    }

    @Test func maskOfAnotherSizeIsATypedError() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let mask = try Self.halfMask(in: dir, width: 100, height: 80)
        let out = dir.appendingPathComponent("x.png").path
        let r = try CLIRunner.run(["render", "--source", ModelJobsTests.source, "--source-mask", mask, "--driver", ModelJobsTests.source,
                                   "-o", out, "--device", "cpu"] + Self.tiny)
        #expect(r.status == 2)
        #expect(r.stderr.contains("100×80") && r.stderr.contains("512×512"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func compareWritesBothBackendsStages() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let stages = dir.appendingPathComponent("cmp.safetensors").path
        let r = try CLIRunner.run(["compare", "--a", "cpu", "--b", "cpu", "--stages", stages] + Self.tiny)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let dump = try SafeTensorsFile(path: stages)
        #expect(dump.names.contains("image") && dump.names.contains("b/image") && dump.names.contains("b/volume.canonical"))
        // a is the direct CPU reference (no Winograd), b the CPU fallback (Winograd): equal to float rounding.
        let a = try #require(try dump.tensor("image").hostValues), b = try #require(try dump.tensor("b/image").hostValues)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        #expect(a.count == b.count && worst <= 1e-4, "cpu reference vs cpu fallback differ by \(worst)")
    }
}
