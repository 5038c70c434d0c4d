import Face
import Foundation
import Media
import Runtime
import Testing

/// `--source-face/--driver-face` and `--source-crop/--driver-crop`: the source and the driver framed
/// apart (issue 18, item 4).
@Suite(.serialized) struct SeparateFramingTests {
    static let model = FaceCropRenderTests.model

    /// A 960×540 group photo: the portrait at 320 px on the right (face 0) and at 160 px on the left (face 1).
    static func groupPhoto(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("group.png").path
        let canvas = try RGBImage(width: 960, height: 540, fill: (0.5, 0.5, 0.5))
        let big = FaceCropRenderTests.paste(try FaceCropRenderTests.portrait(320), x: 560, y: 100, onto: canvas)
        try PNGCodec.write(FaceCropRenderTests.paste(try FaceCropRenderTests.portrait(160), x: 60, y: 300, onto: big), to: path)
        return path
    }

    /// The x of the "source face at x,y,size" line, nil without one.
    static func sourceCrop(_ stderr: String) -> SquareCrop? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("source face at") }) else { return nil }
        let n = line.split(separator: " ")[4].split(separator: ",").compactMap { Int($0) }
        return n.count == 3 ? SquareCrop(x: n[0], y: n[1], size: n[2]) : nil
    }

    @Test("the second person of a group photo animated by a one-person driver: --source-face 1 works, --face 1 asks for the driver's second face too")
    func secondPersonWithOnePersonDriver() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try Self.groupPhoto(in: dir), clip = try FaceCropRenderTests.clip(in: dir, frames: 4)
        let out = dir.appendingPathComponent("out/")
        let r = try CLIRunner.run(["render", "--source", group, "--driver", clip, "--source-face", "1", "--frames", "2",
                                   "--no-watermark", "-o", out.path + "/"] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        let crop = try #require(Self.sourceCrop(r.stderr), "\(r.stderr)")
        #expect((0...220).contains(crop.x) && crop.y > 200, "the small face on the left is at \(crop)")
        let frames = try FaceCropRenderTests.frames(out)
        #expect(frames.count == 2 && frames.allSatisfy { $0.width == 960 && $0.height == 540 })
        // Pasted back onto the second person, the first is untouched.
        let original = try PNGCodec.read(group)
        #expect(frames[0][crop.x + crop.size / 2, crop.y + crop.size / 2] != original[crop.x + crop.size / 2, crop.y + crop.size / 2])
        #expect(frames[0][720, 260] == original[720, 260])

        let both = try CLIRunner.run(["render", "--source", group, "--driver", clip, "--face", "1", "--frames", "2",
                                      "-o", dir.appendingPathComponent("both.mp4").path] + Self.model)
        #expect(both.status == 2 && both.stderr.contains("--driver-face"), "\(both.stderr)")
        // --driver-face 0 with --face 1: the specific option wins for the driver.
        let mixed = try CLIRunner.run(["render", "--source", group, "--driver", clip, "--face", "1", "--driver-face", "0", "--frames", "1",
                                       "--no-watermark", "-o", dir.appendingPathComponent("mixed.png").path] + Self.model)
        #expect(mixed.status == 0 && (0...220).contains(Self.sourceCrop(mixed.stderr)?.x ?? -1), "\(mixed.stderr)")
    }

    @Test("--source-crop x,y,size with --driver-crop auto: the source is the given square, the driver's face is still found and followed")
    func fixedSourceTrackedDriver() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try Self.groupPhoto(in: dir), clip = try FaceCropRenderTests.clip(in: dir, frames: 4)
        let stages = dir.appendingPathComponent("stages.safetensors").path
        let box = SquareCrop(x: 540, y: 80, size: 360)
        let r = try CLIRunner.run(["render", "--source", group, "--driver", clip, "--source-crop", box.description, "--driver-crop", "auto",
                                   "--frames", "1", "--stages", stages, "-o", dir.appendingPathComponent("o.png").path] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.sourceCrop(r.stderr) == nil, "a given source crop is not searched: \(r.stderr)")
        let dump = try SafeTensorsFile(path: stages)
        let source = try dump.tensor("source.image")
        let size = source.shape[3]
        let expected = try PNGCodec.read(group).framed(size: size, crop: box).planarCHW()
        let got = try #require(source.hostValues)
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "the source is not the given square")
        // The driver clip's face sits near (90…, 300…): the source's square would miss it; auto framing centres it.
        let driver = try dump.tensor("driver.image")
        let faces = try FaceDetector(engine: .cpu()).detect(driver, options: FaceDetectionOptions(scoreThreshold: 0.3))
        let face = try #require(faces.first, "no face in the model's driver input")
        let side = Float(driver.shape[3])
        #expect(abs(face.x + face.width / 2 - side / 2) < 0.1 * side && face.width > 0.3 * side, "\(face.box) in \(side) px")
    }

    @Test("options that cannot apply are refused: a face choice without auto framing, driver options on avatar, source options on plan")
    func unusableCombinations() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let group = try Self.groupPhoto(in: dir)
        let png = dir.appendingPathComponent("x.png").path
        let a = try CLIRunner.run(["render", "--source", group, "--pose", "0,0,0", "--source-crop", "none", "--source-face", "1", "-o", png] + Self.model)
        #expect(a.status != 0 && a.stderr.contains("--source-face") && a.stderr.contains("none"), "\(a.stderr)")
        let b = try CLIRunner.run(["avatar", "--source", group, "--driver-crop", "none", "-o", dir.appendingPathComponent("a.safetensors").path] + Self.model)
        #expect(b.status != 0 && b.stderr.contains("--driver-crop") && b.stderr.contains("avatar"), "\(b.stderr)")
        let c = try CLIRunner.run(["plan", "--driver", group, "--source-face", "1", "-o", dir.appendingPathComponent("p.json").path])
        #expect(c.status != 0 && c.stderr.contains("--source-face") && c.stderr.contains("plan"), "\(c.stderr)")
        #expect(!FileManager.default.fileExists(atPath: png))
    }
}
