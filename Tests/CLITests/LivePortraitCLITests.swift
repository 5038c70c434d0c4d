import Foundation
import Kernels
import LivePortrait
import Media
import Runtime
import Testing

/// End-to-end tests of `render`, `avatar`, `compare`, `profile` and `inspect` with LivePortrait, at
/// the tiny config (64² in, 128² out) with the fixture weights (Tests/Fixtures/liveportrait, the
/// official code's weights converted by reference/convert.py), and of the errors a user can meet.
/// Each runs the built executable.
@Suite(.serialized)
struct LivePortraitCLITests {
    static let source = ModelJobsTests.source
    static let driver = ModelJobsTests.driver
    static let weights = CLIRunner.fixtures.appendingPathComponent("liveportrait/tiny-weights.safetensors").path
    /// MegaPortraits' tiny weights: the other network family's file.
    static let megaPortraitsWeights = CLIRunner.fixtures.appendingPathComponent("model/tiny-weights.safetensors").path
    static let model = ["--config", "liveportrait-tiny", "--weights", weights]

    /// The bundled portrait shrunk to 64² (the tiny config's input size) as a PNG in `dir`, framed
    /// from `crop` of the 512² original; PNG keeps its 8-bit values exactly.
    static func smallPicture(in dir: URL, name: String, crop: SquareCrop? = nil) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try PNGCodec.write(try ImageReader.read(source).framed(size: 64, crop: crop), to: path)
        return path
    }

    @Test("render: a 4-frame video at the pasted-back source's size, labelled and watermarked")
    func renderWritesALabelledWatermarkedVideo() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out.mp4").path
        let r = try CLIRunner.run(["render", "--source", Self.source, "--driver", Self.driver, "--frames", "4", "-o", out, "--device", "cpu"] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wrote \(out): 4 frames"), "\(r.stdout)")
        #expect(r.stderr.contains("liveportrait-tiny on"), "\(r.stderr)")
        let video = try VideoReader(path: out)
        #expect(try video.readAll().count == 4)
        // The 128² render is pasted back into the 512² portrait.
        #expect(video.width == 512 && video.height == 512)
        let v = try CLIRunner.run(["verify", out, "--json"])
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any])
        #expect(object["watermark_found"] as? Bool == true, "\(v.stdout)")
        let tags = try #require(object["metadata"] as? [String: String], "\(v.stdout)")
        #expect(tags["ai_generated"] == "true" && tags["model"] == "liveportrait-tiny", "\(tags)")
    }

    /// The network run in-process on the CPU fallback, as the CLI runs it: source state, then one
    /// frame driven by the picture `driver` against itself (a still driver is its own first frame,
    /// and the official picture rule applies: `options.stillDriver` is set).
    static func directImage(source: String, driver: String, options: LivePortraitOptions) throws -> [Float] {
        var options = options
        options.stillDriver = true
        let engine = Engine.cpu()
        let network = try LivePortraitNetwork(config: try LivePortraitConfig.load("liveportrait-tiny"), weightsPath: weights, engine: engine)
        func tensor(_ path: String) throws -> Tensor {
            let image = try PNGCodec.read(path)
            return Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW(range: .unit))
        }
        let state = try network.makeSource(image: try tensor(source))
        let motion = try network.motion(of: try tensor(driver))
        return try engine.values(try network.renderFrame(source: state, driverMotion: motion, firstDriverMotion: motion, options: options))
    }

    @Test("the .safetensors output of a 64² source with --crop none is the network's own image (max |Δ| ≤ 1e-5)",
          arguments: [false, true])
    func tensorOutputEqualsTheNetworksImage(absoluteMotion: Bool) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.smallPicture(in: dir, name: "source.png")
        let driver = try Self.smallPicture(in: dir, name: "driver.png", crop: SquareCrop(x: 60, y: 10, size: 420))
        let out = dir.appendingPathComponent("image.safetensors").path
        let r = try CLIRunner.run(["render", "--source", source, "--driver", driver, "--crop", "none", "--no-watermark", "-o", out, "--device", "cpu"]
                                  + Self.model + (absoluteMotion ? ["--absolute-motion"] : []))
        #expect(r.status == 0, "\(r.stderr)")
        let image = try SafeTensorsFile(path: out).tensor("image")
        #expect(image.shape == [1, 3, 128, 128])
        var options = LivePortraitOptions()
        options.relativeMotion = !absoluteMotion
        let expected = try Self.directImage(source: source, driver: driver, options: options)
        let rendered = try #require(image.hostValues)
        #expect(rendered.count == expected.count)
        // Same code on the same CPU fallback; the tolerance only allows for a different summation order.
        let maxError = zip(rendered, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(maxError <= 1e-5, "max |Δ| \(maxError) between the CLI's image and the network's")
        // The comparison can fail: the two motion modes give different images.
        var other = LivePortraitOptions()
        other.relativeMotion = absoluteMotion
        let otherImage = try Self.directImage(source: source, driver: driver, options: other)
        #expect(zip(rendered, otherImage).map { abs($0 - $1) }.max() ?? 0 > 1e-3, "relative and absolute motion rendered the same image")
    }

    @Test("three different driving pictures give three different outputs (the official picture rule, relative mode)")
    func differentDrivingPicturesDiffer() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.smallPicture(in: dir, name: "source.png")
        var images: [[Float]] = []
        for (index, crop) in [SquareCrop(x: 60, y: 10, size: 420), SquareCrop(x: 0, y: 0, size: 512), SquareCrop(x: 100, y: 80, size: 300)].enumerated() {
            let driver = try Self.smallPicture(in: dir, name: "driver\(index).png", crop: crop)
            let out = dir.appendingPathComponent("image\(index).safetensors").path
            let r = try CLIRunner.run(["render", "--source", source, "--driver", driver, "--crop", "none", "--no-watermark", "-o", out, "--device", "cpu"] + Self.model)
            #expect(r.status == 0, "\(r.stderr)")
            images.append(try #require(try SafeTensorsFile(path: out).tensor("image").hostValues))
        }
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let difference = zip(images[a], images[b]).map { abs($0 - $1) }.max() ?? 0
            #expect(difference > 1e-3, "driving pictures \(a) and \(b) rendered the same image (max |Δ| \(difference))")
        }
    }

    @Test("a driving picture with a config that has no neutral expression is an exit-2 error saying what to do")
    func drivingPictureWithoutNeutralExpressionIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.smallPicture(in: dir, name: "source.png")
        let driver = try Self.smallPicture(in: dir, name: "driver.png", crop: SquareCrop(x: 60, y: 10, size: 420))
        var json = try #require(try JSONSerialization.jsonObject(with: Data(try LivePortraitConfig.tiny.jsonString().utf8)) as? [String: Any])
        json["neutral_expression"] = nil
        let config = dir.appendingPathComponent("no-neutral.json").path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: config))
        let out = dir.appendingPathComponent("out.png").path
        let r = try CLIRunner.run(["render", "--source", source, "--driver", driver, "--crop", "none", "-o", out, "--device", "cpu",
                                   "--config", config, "--weights", Self.weights])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--lip-array") && r.stderr.contains("--absolute-motion"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let absolute = try CLIRunner.run(["render", "--source", source, "--driver", driver, "--crop", "none", "-o", out, "--device", "cpu",
                                          "--config", config, "--weights", Self.weights, "--absolute-motion"])
        #expect(absolute.status == 0, "\(absolute.stderr)")
    }

    @Test("--edit renders the edited source alone (no driver), --edit-csv one frame per row; MegaPortraits refuses them")
    func expressionEditsRender() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try Self.smallPicture(in: dir, name: "source.png")
        var images: [[Float]] = []
        for edit in ["smile=0", "smile=1.2,yaw=15,blink=-8"] {
            let out = dir.appendingPathComponent("edit\(images.count).safetensors").path
            let r = try CLIRunner.run(["render", "--source", source, "--edit", edit, "--crop", "none", "--no-watermark", "-o", out, "--device", "cpu"] + Self.model)
            #expect(r.status == 0, "\(r.stderr)")
            images.append(try #require(try SafeTensorsFile(path: out).tensor("image").hostValues))
        }
        #expect((zip(images[0], images[1]).map { abs($0 - $1) }.max() ?? 0) > 1e-3, "the edit changed nothing")
        let csv = dir.appendingPathComponent("edits.csv").path
        try "smile,yaw\n0,0\n0.6,-8\n1.2,-16\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let frames = dir.appendingPathComponent("frames/").path + "/"
        let r = try CLIRunner.run(["render", "--source", source, "--edit-csv", csv, "--crop", "none", "-o", frames, "--device", "cpu"] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 frames"), "\(r.stdout)")
        let mega = try CLIRunner.run(["render", "--source", Self.source, "--edit", "smile=1", "-o", dir.appendingPathComponent("m.png").path,
                                      "--device", "cpu", "--config", "tiny", "--weights", Self.megaPortraitsWeights])
        #expect(mega.status == 2 && mega.stderr.contains("LivePortrait"), "\(mega.status) \(mega.stderr)")
    }

    @Test("avatar, then render --avatar: the same frames as rendering from the source")
    func savedSourceRendersTheSameFrames() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let avatar = dir.appendingPathComponent("lp.safetensors").path
        var r = try CLIRunner.run(["avatar", "--source", Self.source, "-o", avatar, "--device", "cpu"] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wrote avatar \(avatar) (liveportrait-tiny"), "\(r.stdout)")
        let fixedID = ["PORTRAIT_RENDER_ID": "1a2b3c4d"]
        var runs: [[RGBImage]] = []
        for input in [["--source", Self.source], ["--avatar", avatar]] {
            let out = dir.appendingPathComponent("frames-\(runs.count)/")
            r = try CLIRunner.run(["render"] + input + ["--driver", Self.driver, "--frames", "3", "--no-paste-back", "-o", out.path + "/", "--device", "cpu"] + Self.model,
                                  environment: fixedID)
            #expect(r.status == 0, "\(input): \(r.stderr)")
            runs.append(try FaceCropRenderTests.frames(out))
        }
        #expect(runs[0].count == 3 && runs[1].count == 3)
        #expect(runs[0].first?.width == 128)
        for (a, b) in zip(runs[0], runs[1]) { #expect(a.pixels == b.pixels, "a frame from the saved source differs") }
        #expect(runs[0][0].pixels != runs[0][2].pixels, "the driver moves the face")
    }

    @Test("compare --model liveportrait passes and prints the image PSNR; profile has the per-frame stages")
    func compareAndProfile() throws {
        let c = try CLIRunner.run(["compare", "--model", "liveportrait"] + Self.model)
        #expect(c.status == 0, "\(c.stdout)\(c.stderr)")
        let imageRow = c.stdout.split(separator: "\n").first { $0.hasPrefix("image ") }
        #expect(imageRow?.contains("PSNR") == true && imageRow?.contains("pass") == true, "\(c.stdout)")
        #expect(c.stdout.contains("frame.warping.warp_out"), "the warping stage is compared: \(c.stdout)")

        let p = try CLIRunner.run(["profile", "--config", "liveportrait-tiny", "--random-weights", "1", "--frames", "1", "--json"])
        #expect(p.status == 0, "\(p.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any], "\(p.stdout)")
        #expect(object["config"] as? String == "liveportrait-tiny")
        let stages = Set((object["frame_stages"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(stages.isSuperset(of: ["frame/motion", "frame/warping", "frame/decoder"]), "\(stages)")
        let avatarStages = Set((object["avatar_stages"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(avatarStages.isSuperset(of: ["avatar/motion", "avatar/appearance"]), "\(avatarStages)")
    }

    @Test("--pose-sweep from a LivePortrait source renders one frame per pose")
    func poseSweepRendersThreeFrames() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("sweep/")
        let r = try CLIRunner.run(["render", "--source", Self.source, "--pose-sweep=-20:20", "--frames", "3", "--no-paste-back", "-o", out.path + "/", "--device", "cpu"] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        let frames = try FaceCropRenderTests.frames(out)
        #expect(frames.count == 3)
        #expect(frames.count == 3 && frames[0].pixels != frames[2].pixels, "yaw −20° and +20° render the same frame")
    }

    /// Runs `args`, expecting a one-line-headed error with status 2 that contains every one of
    /// `messages`, no crash and no output file at `out`.
    static func expectError(_ args: [String], _ messages: [String], out: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2, "\(args): status \(r.status), stderr \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("portrait: error:") && !r.stderr.contains("Fatal error"), "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        for message in messages { #expect(r.stderr.contains(message), "\(args): \(r.stderr)", sourceLocation: sourceLocation) }
        if let out { #expect(!FileManager.default.fileExists(atPath: out), "\(args) left \(out)", sourceLocation: sourceLocation) }
    }

    @Test("bad inputs are clear errors with exit status 2 and no output")
    func badInputsAreClearErrors() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("out.png").path
        let render = ["render", "--source", Self.source, "--pose", "0,0,0", "-o", out, "--device", "cpu"]
        try Self.expectError(render + Self.model + ["--source-mask", Self.source], ["--source-mask", "MegaPortraits"], out: out)
        // The other family's weights: one error listing every problem, headed by what the file is.
        try Self.expectError(render + ["--config", "liveportrait-tiny", "--weights", Self.megaPortraitsWeights],
                             ["holds MegaPortraits weights made for config 'tiny'; use it with --model megaportraits --config tiny",
                              "weights do not fit config 'liveportrait-tiny'", "problems:", "missing appearance.stem.conv.weight [4, 3, 3, 3]"], out: out)
        try Self.expectError(render + Self.model + ["--eye-retargeting", "1,2"], ["--eye-retargeting expects 3 comma-separated ratios", "'1,2'"], out: out)
        try Self.expectError(render + Self.model + ["--lip-retargeting", "0.1,nan"], ["--lip-retargeting expects 2"], out: out)
        try Self.expectError(render + Self.model + ["--driving-multiplier=-1"], ["--driving-multiplier must be"], out: out)
        // A LivePortrait option with a MegaPortraits network is refused, not ignored.
        try Self.expectError(render + ["--config", "tiny", "--random-weights", "3", "--eye-retargeting", "0.3,0.3,0.1"],
                             ["--eye-retargeting is a LivePortrait option", "tiny is a MegaPortraits config"], out: out)
        // Saved sources of the other family, both ways.
        let mega = dir.appendingPathComponent("mega.safetensors").path, live = dir.appendingPathComponent("live.safetensors").path
        #expect(try CLIRunner.run(["avatar", "--source", Self.source, "-o", mega, "--device", "cpu", "--config", "tiny", "--random-weights", "3"]).status == 0)
        #expect(try CLIRunner.run(["avatar", "--source", Self.source, "-o", live, "--device", "cpu"] + Self.model).status == 0)
        let posed = ["render", "--pose", "0,0,0", "-o", out, "--device", "cpu"]
        try Self.expectError(posed + ["--avatar", mega] + Self.model,
                             ["holds a MegaPortraits source (from `portrait avatar`) made for config 'tiny'; use it with --model megaportraits --config tiny"], out: out)
        try Self.expectError(posed + ["--avatar", live, "--config", "tiny", "--random-weights", "3"],
                             ["holds a LivePortrait source (from `portrait avatar`) made for config 'liveportrait-tiny'; use it with --model liveportrait"], out: out)
        // inspect: the LivePortrait weights against a MegaPortraits config, and against their own.
        try Self.expectError(["inspect", Self.weights, "--config", "tiny"],
                             ["holds LivePortrait weights made for config 'liveportrait-tiny'", "weights do not fit config 'tiny'"])
        let ok = try CLIRunner.run(["inspect", Self.weights, "--config", "liveportrait-tiny"])
        #expect(ok.status == 0 && ok.stdout.contains("285 tensors") && ok.stdout.contains("matches LivePortrait config liveportrait-tiny"), "\(ok.stdout)\(ok.stderr)")
    }
}
