import Foundation
import Media
import Runtime
import Testing

/// `render`, `avatar`, `compare` and `profile` with the few-shot network (`--model fewshot`) at
/// the tiny config (`fewshot-tiny`, 128²) with the fixture weights: K source pictures, a
/// landmarks-file driver, and what is refused. Faces: the FaceMesh fixtures (LFW, 200²).
@Suite(.serialized)
struct FewShotCLITests {
    static let weights = CLIRunner.fixtures.appendingPathComponent("fewshot/tiny-weights.safetensors").path
    /// The network options (`avatar`).
    static let network = ["--model", "fewshot", "--config", "fewshot-tiny", "--weights", weights, "--device", "cpu"]
    /// The network options of a render, without the watermark (its render ID differs per run).
    static let model = network + ["--no-watermark"]
    static func face(_ name: String) -> String { CLIRunner.fixtures.appendingPathComponent("facemesh/\(name).png").path }
    static let sources = ["lfw-00", "lfw-03", "lfw-04"].map(face)
    static let driver = face("lfw-09")
    static let landmarkDriver = ModelJobsTests.source

    static func tensor(_ path: String, _ name: String) throws -> [Float] {
        try #require(try SafeTensorsFile(path: path).allTensors()[name]?.hostValues, "\(path) has no \(name)")
    }

    static func avatar(_ sources: [String], _ out: String) throws {
        let r = try CLIRunner.run(["avatar"] + sources.flatMap { ["--source", $0] } + ["-o", out] + network)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("K = 3 averages the single pictures' vectors, changes the frame, and its saved avatar renders the same frame")
    func threeSourcesAverageAndRoundTrip() throws {
        let dir = try CLIRunner.temporaryDirectory()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        for (i, source) in Self.sources.enumerated() { try Self.avatar([source], path("one-\(i).safetensors")) }
        try Self.avatar(Self.sources, path("three.safetensors"))
        let singles = try (0..<3).map { try Self.tensor(path("one-\($0).safetensors"), "e_hat") }
        let three = try Self.tensor(path("three.safetensors"), "e_hat")
        let mean = (0..<three.count).map { i in singles.reduce(Float(0)) { $0 + $1[i] } / 3 }
        let scale = mean.map(abs).max() ?? 1
        #expect(zip(three, mean).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "ê of K = 3 is the mean of the three")

        let render = ["render", "--driver", Self.driver]
        let one = try CLIRunner.run(render + ["--source", Self.sources[0], "-o", path("one.safetensors")] + Self.model)
        let direct = try CLIRunner.run(render + Self.sources.flatMap { ["--source", $0] } + ["-o", path("three-direct.safetensors")] + Self.model)
        let saved = try CLIRunner.run(render + ["--avatar", path("three.safetensors"), "-o", path("three-saved.safetensors"),
                                                "--weights", Self.weights, "--device", "cpu", "--no-watermark"])
        #expect(one.status == 0 && direct.status == 0 && saved.status == 0, "\(one.stderr)\(direct.stderr)\(saved.stderr)")
        #expect(direct.stderr.contains("source face at") && direct.stderr.contains("lfw-04"), "\(direct.stderr)")
        let a = try Self.tensor(path("one.safetensors"), "image"), b = try Self.tensor(path("three-direct.safetensors"), "image")
        let c = try Self.tensor(path("three-saved.safetensors"), "image")
        #expect(a.count == 3 * 128 * 128 && b.count == a.count)
        #expect(zip(a, b).map { abs($0 - $1) }.max() ?? 0 > 1e-3, "K changes the frame")
        #expect(b == c, "the saved avatar renders the direct render's frame")

        // Paste-back: a PNG has the first source's size.
        let png = try CLIRunner.run(render + Self.sources.flatMap { ["--source", $0] } + ["-o", path("pasted.png")] + Self.model)
        #expect(png.status == 0, "\(png.stderr)")
        let written = try PNGCodec.read(path("pasted.png"))
        #expect(written.width == 200 && written.height == 200)
    }

    @Test("a landmarks file drives it: `portrait landmarks --json` output and a bare list of frames; refused for the other networks and when malformed")
    func landmarksFileDriver() throws {
        let dir = try CLIRunner.temporaryDirectory()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        // MediaPipe's short-range detector needs a face of a tenth of the picture: the astronaut, not LFW's small faces.
        let marks = try CLIRunner.run(["landmarks", Self.landmarkDriver, "--json", "--device", "cpu"])
        #expect(marks.status == 0, "\(marks.stderr)")
        try Data(marks.stdout.utf8).write(to: URL(fileURLWithPath: path("driver.json")))
        let fromFile = try CLIRunner.run(["render", "--source", Self.sources[0], "--driver", path("driver.json"), "-o", path("file.safetensors")] + Self.model)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")

        // Two frames: the points, and the points with the mouth opened 6 px; each is its own frame.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(marks.stdout.utf8)) as? [String: Any])
        let points = try #require(((object["faces"] as? [[String: Any]])?.first?["dlib68"]) as? [[Double]])
        let opened = points.enumerated().map { $0.offset >= 56 && $0.offset <= 58 || $0.offset >= 65 ? [$0.element[0], $0.element[1] + 6] : $0.element }
        try JSONSerialization.data(withJSONObject: [points, opened]).write(to: URL(fileURLWithPath: path("two.json")))
        let two = try CLIRunner.run(["render", "--source", Self.sources[0], "--driver", path("two.json"), "--no-paste-back", "-o", path("frames") + "/"] + Self.model)
        #expect(two.status == 0 && two.stdout.contains("2 frames"), "\(two.stdout)\(two.stderr)")
        let frames = try FileManager.default.contentsOfDirectory(atPath: path("frames")).filter { $0.hasSuffix(".png") }.sorted()
        #expect(frames.count == 2)
        if frames.count == 2 {
            let x = try Data(contentsOf: URL(fileURLWithPath: path("frames/" + frames[0]))), y = try Data(contentsOf: URL(fileURLWithPath: path("frames/" + frames[1])))
            #expect(x != y)
        }

        let mega = try CLIRunner.run(["render", "--source", Self.sources[0], "--driver", path("driver.json"), "-o", path("m.png"), "--config", "tiny",
                                      "--random-weights", "1", "--device", "cpu"])
        #expect(mega.status == 2 && mega.stderr.contains("landmarks file drives the few-shot network"), "\(mega.stderr)")
        try Data("[[[1, 2]]]".utf8).write(to: URL(fileURLWithPath: path("bad.json")))
        let bad = try CLIRunner.run(["render", "--source", Self.sources[0], "--driver", path("bad.json"), "-o", path("b.png")] + Self.model)
        #expect(bad.status == 2 && bad.stderr.contains("68 [x, y] points"), "\(bad.stderr)")
    }

    @Test("refused: several --source for a one-shot network, head poses for the few-shot one, a picture without a face")
    func refusals() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let twice = try CLIRunner.run(["render", "--source", Self.sources[0], "--source", Self.sources[1], "--driver", Self.driver,
                                       "-o", dir.appendingPathComponent("x.png").path, "--config", "tiny", "--random-weights", "1", "--device", "cpu"])
        #expect(twice.status == 2 && twice.stderr.contains("one-shot network") && twice.stderr.contains("got 2"), "\(twice.stderr)")
        let avatarTwice = try CLIRunner.run(["avatar", "--source", Self.sources[0], "--source", Self.sources[1], "-o", dir.appendingPathComponent("a.safetensors").path,
                                             "--model", "liveportrait", "--config", "liveportrait-tiny", "--random-weights", "1", "--device", "cpu"])
        #expect(avatarTwice.status == 2 && avatarTwice.stderr.contains("one-shot network"), "\(avatarTwice.stderr)")
        let pose = try CLIRunner.run(["render", "--source", Self.sources[0], "--pose", "10,0,0", "-o", dir.appendingPathComponent("p.png").path] + Self.model)
        #expect(pose.status == 2 && pose.stderr.contains("driven by face landmarks"), "\(pose.stderr)")
        let blank = dir.appendingPathComponent("blank.png").path
        try PNGCodec.write(try RGBImage(width: 128, height: 128, fill: (0.3, 0.3, 0.3)), to: blank)
        let noFace = try CLIRunner.run(["render", "--source", Self.sources[0], "--driver", blank, "--crop", "none", "-o", dir.appendingPathComponent("n.png").path] + Self.model)
        #expect(noFace.status == 2 && noFace.stderr.contains("no face found in the driving frame"), "\(noFace.stderr)")
    }

    @Test("compare (CPU vs OpenCL, stage by stage, synthetic pictures with the stand-in face) and profile work for --model fewshot")
    func compareAndProfile() throws {
        let c = try CLIRunner.run(["compare", "--model", "fewshot", "--config", "fewshot-tiny", "--random-weights", "1"])
        #expect(c.status == 0, "\(c.stdout)\(c.stderr)")
        #expect(c.stdout.contains("generator.attention_up") && c.stdout.contains("PSNR"), "\(c.stdout)")
        let p = try CLIRunner.run(["profile", "--model", "fewshot", "--config", "fewshot-tiny", "--random-weights", "1", "--frames", "1", "--json"])
        #expect(p.status == 0, "\(p.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any], "\(p.stdout)")
        let stages = (object["frame_stages"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(object["config"] as? String == "fewshot-tiny" && stages.contains("frame/generator"), "\(p.stdout)")
    }
}
