import Face
import Foundation
import Kernels
import Media
import Runtime
import Testing

/// `portrait landmarks`, `--detector`, and the LivePortrait flags that measure landmarks
/// (`--eye-retargeting auto`, `--lip-retargeting auto`, `--normalize-lip`,
/// `--source-video-eye-retargeting`), at tiny sizes.
@Suite(.serialized)
struct LandmarkCLITests {
    static let portrait = ModelJobsTests.source
    static let lp = LivePortraitCLITests.model

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test("landmarks --json: 468 points, both irises, the 68-point subset at the same places, open ratios; -o writes the annotated picture")
    func landmarksListsTheDenseLandmarks() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("marks.png").path
        let r = try CLIRunner.run(["landmarks", Self.portrait, "--json", "-o", out, "--device", "cpu"])
        #expect(r.status == 0, "\(r.stderr)")
        let faces = try #require(try Self.json(r.stdout)["faces"] as? [[String: Any]])
        #expect(faces.count == 1)
        let face = try #require(faces.first)
        let points = try #require(face["points"] as? [[Double]])
        #expect(points.count == 468 && points.allSatisfy { $0.count == 3 })
        let iris = try #require(face["iris"] as? [String: [[Double]]])
        #expect(iris["right"]?.count == 5 && iris["left"]?.count == 5)
        let dlib = try #require(face["dlib68"] as? [[Double]])
        #expect(dlib.count == 68)
        // dlib point 30 (the nose tip) is FaceMesh point 4; 8 (the chin) is 152.
        #expect(abs(dlib[30][0] - points[4][0]) < 0.011 && abs(dlib[8][1] - points[152][1]) < 0.011)
        // The astronaut's face: eyes open, smiling with the lips apart.
        let ratios = try #require(face["ratios"] as? [String: Any])
        let eyes = try #require(ratios["eyes"] as? [Double]), lip = try #require(ratios["lip"] as? Double)
        #expect(eyes.allSatisfy { $0 > 0.2 && $0 < 0.6 } && lip > 0.05 && lip < 0.5, "\(ratios)")
        let annotated = try PNGCodec.read(out)
        let original = try ImageReader.read(Self.portrait)
        #expect(annotated.width == original.width && annotated.height == original.height && annotated.pixels != original.pixels)
    }

    @Test("landmarks on a picture without a face exits 2 saying so; faces --detector mediapipe lists the same face as landmarks")
    func landmarksWithoutAFaceAndTheDetectorOption() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let blank = dir.appendingPathComponent("blank.png").path
        try PNGCodec.write(try RGBImage(width: 96, height: 96, fill: (0.3, 0.3, 0.3)), to: blank)
        let none = try CLIRunner.run(["landmarks", blank, "--device", "cpu"])
        #expect(none.status == 2 && none.stderr.contains("no face found"), "\(none.stderr)")
        let mp = try CLIRunner.run(["faces", Self.portrait, "--json", "--detector", "mediapipe", "--device", "cpu"])
        let yunet = try CLIRunner.run(["faces", Self.portrait, "--json", "--detector", "yunet", "--device", "cpu"])
        #expect(mp.status == 0 && yunet.status == 0, "\(mp.stderr)\(yunet.stderr)")
        let a = try #require((try Self.json(mp.stdout)["faces"] as? [[String: Any]])?.first?["box"] as? [Double])
        let b = try #require((try Self.json(yunet.stdout)["faces"] as? [[String: Any]])?.first?["box"] as? [Double])
        // Two detectors, one face: the box centres within a tenth of the box.
        #expect(abs((a[0] + a[2] / 2) - (b[0] + b[2] / 2)) < 0.1 * b[2] && abs((a[1] + a[3] / 2) - (b[1] + b[3] / 2)) < 0.1 * b[3], "\(a) vs \(b)")
        let bad = try CLIRunner.run(["render", "--source", Self.portrait, "--driver", Self.portrait, "--crop", "none", "--detector", "yunet",
                                     "-o", dir.appendingPathComponent("x.png").path, "--device", "cpu"] + Self.lp)
        #expect(bad.status == 2 && bad.stderr.contains("--detector yunet"), "\(bad.stderr)")
    }

    @Test("--eye-retargeting auto and --lip-retargeting auto render as the ratios they measure typed by hand")
    func autoRetargetingIsTheMeasuredRatios() throws {
        let dir = try CLIRunner.temporaryDirectory()
        // 64² pictures (the tiny config's input) framed with --crop none: the network sees exactly these pixels.
        let source = try LivePortraitCLITests.smallPicture(in: dir, name: "source.png", crop: SquareCrop(x: 96, y: 0, size: 320))
        let driver = try LivePortraitCLITests.smallPicture(in: dir, name: "driver.png", crop: SquareCrop(x: 120, y: 20, size: 280))
        func ratios(_ path: String) throws -> (eyes: [Double], lip: Double) {
            let r = try CLIRunner.run(["landmarks", path, "--json", "--device", "cpu"])
            #expect(r.status == 0, "\(r.stderr)")
            let face = try #require((try Self.json(r.stdout)["faces"] as? [[String: Any]])?.first)
            let ratios = try #require(face["ratios"] as? [String: Any])
            return (try #require(ratios["eyes"] as? [Double]), try #require(ratios["lip"] as? Double))
        }
        let (s, d) = (try ratios(source), try ratios(driver))
        func render(_ extra: [String], _ name: String) throws -> RGBImage {
            let out = dir.appendingPathComponent(name).path
            let r = try CLIRunner.run(["render", "--source", source, "--driver", driver, "--crop", "none", "-o", out, "--device", "cpu"] + Self.lp + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return try PNGCodec.read(out)
        }
        let auto = try render(["--eye-retargeting", "auto", "--lip-retargeting", "auto"], "auto.png")
        let typed = try render(["--eye-retargeting", "\(s.eyes[0]),\(s.eyes[1]),\(d.eyes[0])", "--lip-retargeting", "\(s.lip),\(d.lip)"], "typed.png")
        let plain = try render([], "plain.png")
        let same = Comparison(actual: auto.pixels, reference: typed.pixels, tolerance: Tolerance(absolute: 0, relative: 0))
        let other = Comparison(actual: auto.pixels, reference: plain.pixels, tolerance: Tolerance(absolute: 0, relative: 0))
        // The typed ratios are the measured ones rounded to 4 places.
        #expect(same.psnr(peak: 1) > 38, "auto vs typed: \(same.psnr(peak: 1)) dB")
        #expect(other.psnr(peak: 1) < same.psnr(peak: 1) - 3, "retargeting changes the render: \(other.psnr(peak: 1)) dB vs \(same.psnr(peak: 1))")
    }

    @Test("--normalize-lip renders; --source-video-eye-retargeting with a picture source, bad ratios and MegaPortraits are exit-2 errors")
    func measuredFlagsAndTheirErrors() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = try LivePortraitCLITests.smallPicture(in: dir, name: "source.png", crop: SquareCrop(x: 96, y: 0, size: 320))
        let out = dir.appendingPathComponent("out.png").path
        let base = ["render", "--source", source, "--driver", source, "--crop", "none", "-o", out, "--device", "cpu"]
        let plain = try CLIRunner.run(base + Self.lp)
        let plainImage = try PNGCodec.read(out)
        let normalized = try CLIRunner.run(base + Self.lp + ["--normalize-lip"])
        #expect(plain.status == 0 && normalized.status == 0, "\(plain.stderr)\(normalized.stderr)")
        // The astronaut's lips are apart (ratio ≈ 0.15 ≥ 0.03): the closing delta changes the render.
        #expect(try PNGCodec.read(out).pixels != plainImage.pixels)
        let eyes = try CLIRunner.run(base + Self.lp + ["--source-video-eye-retargeting"])
        #expect(eyes.status == 2 && eyes.stderr.contains("source video"), "\(eyes.stderr)")
        let typo = try CLIRunner.run(base + Self.lp + ["--eye-retargeting", "aut"])
        #expect(typo.status == 2 && typo.stderr.contains("3 comma-separated ratios between 0 and 2 (or auto"), "\(typo.stderr)")
        let mega = try CLIRunner.run(base + ["--config", "tiny", "--random-weights", "1", "--normalize-lip"])
        #expect(mega.status == 2 && mega.stderr.contains("--normalize-lip"), "\(mega.stderr)")
    }
}

/// The default detector with MegaPortraits: the plan's face track is the official EMOPortraits
/// crop of the BlazeFace box `portrait faces --detector mediapipe` reports.
@Suite(.serialized)
struct MediaPipeFramingCLITests {
    @Test("plan --crop-smoothing 0 (default detector): every crop is EMOPortraitsCrop of the listed BlazeFace box, and the plan says MediaPipe framed it")
    func planTrackIsTheOfficialCrop() throws {
        let dir = try CLIRunner.temporaryDirectory()
        // A 640×480 clip of the portrait (420 px, its face about 170 px) drifting right: a face
        // MediaPipe's short-range detector takes (it misses faces under about a tenth of the picture).
        let clip = dir.appendingPathComponent("clip.mp4").path
        let writer = try VideoWriter(path: clip, width: 640, height: 480, frameRate: try FrameRate(25), options: .init(crf: 12))
        let face = try FaceCropRenderTests.portrait(420), background = try RGBImage(width: 640, height: 480, fill: (0.2, 0.2, 0.2))
        for i in 0..<3 { try writer.write(FaceCropRenderTests.paste(face, x: 110 + 4 * i, y: 20, onto: background)) }
        try writer.finish()
        let plan = dir.appendingPathComponent("plan.json").path
        let r = try CLIRunner.run(["plan", "--driver", clip, "--crop-smoothing", "0", "-o", plan, "--device", "cpu"])
        #expect(r.status == 0 && !r.stderr.contains("YuNet"), "\(r.stderr)")
        #expect(r.stdout.contains("3 frames framed by MediaPipe, the official EMOPortraits crop"), "\(r.stdout)")
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as? [String: Any])
        let crops = try #require(planned["crops"] as? [[Int]])
        #expect(crops.count == 3)
        #expect(planned["cropDetectors"] as? [String] == ["mediapipe", "mediapipe", "mediapipe"], "\(planned)")
        // The first frame's listed box, through the official rule.
        let listed = try CLIRunner.run(["faces", clip, "--json", "--detector", "mediapipe", "--device", "cpu"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let box = try #require((try LandmarkCLITests.json(listed.stdout)["faces"] as? [[String: Any]])?.first?["box"] as? [Double])
        let frame = try EMOPortraitsCrop.frame(boxX: box[0], boxY: box[1], boxWidth: box[2], boxHeight: box[3], pictureWidth: 640, pictureHeight: 480)
        let expected = [Int(frame.centerX) - Int(frame.side) / 2, Int(frame.centerY) - Int(frame.side) / 2, Int(frame.side)]
        // The listed box is rounded to 0.01 px: a pixel of slack.
        #expect(zip(crops[0], expected).allSatisfy { abs($0 - $1) <= 1 }, "\(crops[0]) vs \(expected)")
        // Inside the picture, as the official crop always is.
        #expect(crops.allSatisfy { $0[0] >= 0 && $0[1] >= 0 && $0[0] + $0[2] <= 640 && $0[1] + $0[2] <= 480 })
    }
}
