import Face
import Foundation
import Media
import Testing

/// `--detector auto`, the default: MediaPipe frames the face by the official crops; where its
/// short-range detector finds nothing, YuNet frames it by the fitted rule and stderr says so;
/// `--detector yunet` keeps YuNet's framing, `--detector mediapipe` refuses the fallback.
@Suite(.serialized)
struct DefaultDetectorTests {
    static let model = ["--config", "tiny", "--random-weights", "3", "--device", "cpu"]
    static let portrait = ModelJobsTests.source

    /// MediaPipe 0.10.21's own box on `name` (Tests/Fixtures/facemesh/mediapipe-0.10.21.json).
    static func mediaPipeBox(_ name: String) throws -> (box: [Double], width: Int, height: Int) {
        let url = CLIRunner.fixtures.appendingPathComponent("facemesh/mediapipe-0.10.21.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let pictures = try #require(object["pictures"] as? [[String: Any]])
        let picture = try #require(pictures.first { $0["name"] as? String == name }, "\(name) is not in the fixture")
        let detections = try #require(picture["detections"] as? [[String: Any]])
        let box = try #require(detections.first?["box"] as? [Double])
        return (box, try #require(picture["width"] as? Int), try #require(picture["height"] as? Int))
    }

    /// The `x,y,size` and the rest of render's "source face at" line.
    static func sourceCrop(_ stderr: String) throws -> (crop: [Int], line: String) {
        let line = try #require(stderr.split(separator: "\n").first { $0.contains("source face at") }, "\(stderr)")
        return (line.split(separator: " ")[4].split(separator: ",").compactMap { Int($0) }, String(line))
    }

    /// `SquareCrop.around` of `frame`, as `[x, y, size]`.
    static func cut(_ frame: FaceFrame, width: Int, height: Int) throws -> [Int] {
        let crop = try #require(SquareCrop.around(centerX: frame.centerX, centerY: frame.centerY, side: frame.side, width: width, height: height))
        return [crop.x, crop.y, crop.size]
    }

    /// The 1280×720 picture with the portrait shrunk to 300 px (its face about 120 px, a tenth of the
    /// picture's width): YuNet finds it, MediaPipe's short-range detector does not.
    static func smallFace(in dir: URL) throws -> String { try FaceCropRenderTests.source(in: dir) }

    @Test("the default frames MegaPortraits' source by the official EMOPortraits crop of MediaPipe's own box, and says so")
    func defaultIsTheOfficialCrop() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let tom = CLIRunner.fixtures.appendingPathComponent("facemesh/tom-hanks.png").path
        for (path, name) in [(Self.portrait, "astronaut-512"), (tom, "tom-hanks")] {
            let r = try CLIRunner.run(["render", "--source", path, "--pose", "0,0,0", "-o", dir.appendingPathComponent("\(name).png").path] + Self.model)
            #expect(r.status == 0, "\(r.stderr)")
            let (crop, line) = try Self.sourceCrop(r.stderr)
            #expect(line.contains("framed by MediaPipe, the official EMOPortraits crop"), "\(line)")
            #expect(!r.stderr.contains("YuNet"), "\(r.stderr)")
            // The official rule (pinned to the official code in LandmarkFramingTests) on MediaPipe's own
            // box; our BlazeFace's box agrees with it to IoU 0.9999 here: a pixel of slack.
            let (b, w, h) = try Self.mediaPipeBox(name)
            let official = try Self.cut(try EMOPortraitsCrop.frame(boxX: b[0], boxY: b[1], boxWidth: b[2], boxHeight: b[3], pictureWidth: w, pictureHeight: h),
                                        width: w, height: h)
            #expect(crop.count == 3 && zip(crop, official).allSatisfy { abs($0 - $1) <= 1 }, "\(name): \(crop) vs official \(official)")
        }
        // The bundled portrait's official crop, as the official infer.py cuts it: [8, 29] + 470 (side 471.2 → even).
        let r = try CLIRunner.run(["render", "--source", Self.portrait, "--pose", "0,0,0", "-o", dir.appendingPathComponent("again.png").path] + Self.model)
        let again = try Self.sourceCrop(r.stderr).crop
        #expect(again == [8, 29, 470], "\(r.stderr)")
    }

    @Test("--detector yunet keeps the fitted rule on YuNet's five landmarks, and says so")
    func yunetKeepsTheFittedRule() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let r = try CLIRunner.run(["render", "--source", Self.portrait, "--pose", "0,0,0", "--detector", "yunet", "-o", dir.appendingPathComponent("y.png").path] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        let (crop, line) = try Self.sourceCrop(r.stderr)
        #expect(line.contains("framed by YuNet, the EMOPortraits crop by the rule fitted"), "\(line)")
        #expect(!r.stderr.contains("missed"), "no fallback note when YuNet was asked for: \(r.stderr)")
        let listed = try CLIRunner.run(["faces", Self.portrait, "--json", "--detector", "yunet", "--device", "cpu"])
        let face = try #require((try LandmarkCLITests.json(listed.stdout)["faces"] as? [[String: Any]])?.first, "\(listed.stderr)")
        #expect(face["detector"] as? String == "yunet" && face["framing"] as? String == "fitted")
        let box = try #require(face["box"] as? [Double]), marks = try #require(face["landmarks"] as? [[Double]])
        let detected = DetectedFace(x: Float(box[0]), y: Float(box[1]), width: Float(box[2]), height: Float(box[3]), score: 1,
                                    landmarks: marks.map { SIMD2(Float($0[0]), Float($0[1])) })
        let fitted = try Self.cut(FaceFrame.emoPortraits(for: detected), width: 512, height: 512)
        #expect(zip(crop, fitted).allSatisfy { abs($0 - $1) <= 1 }, "\(crop) vs the fitted rule's \(fitted)")
        // The two framings differ on this picture (the fitted rule's centre is 1–3 % of the side off).
        #expect(crop != [8, 29, 470])
    }

    @Test("a face too small for MediaPipe: auto falls back to YuNet with a note (faces, render, plan); --detector mediapipe refuses")
    func smallFaceFallsBackToYuNet() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let small = try Self.smallFace(in: dir)
        let listed = try CLIRunner.run(["faces", small, "--json", "--device", "cpu"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let face = try #require((try LandmarkCLITests.json(listed.stdout)["faces"] as? [[String: Any]])?.first)
        #expect(face["detector"] as? String == "yunet" && face["framing"] as? String == "fitted", "\(face)")
        #expect(listed.stderr.contains("MediaPipe's short-range face detector missed the face in \(small)") && listed.stderr.contains("YuNet"), "\(listed.stderr)")
        #expect(listed.stderr.split(separator: "\n").count == 1, "one line: \(listed.stderr)")

        let r = try CLIRunner.run(["render", "--source", small, "--pose", "0,0,0", "-o", dir.appendingPathComponent("o.png").path] + Self.model)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("missed the face in \(small)"), "\(r.stderr)")
        let (crop, line) = try Self.sourceCrop(r.stderr)
        #expect(line.contains("framed by YuNet"), "\(line)")
        let yunet = try CLIRunner.run(["render", "--source", small, "--pose", "0,0,0", "--detector", "yunet", "-o", dir.appendingPathComponent("y.png").path] + Self.model)
        let yunetCrop = try Self.sourceCrop(yunet.stderr).crop
        #expect(yunetCrop == crop && !yunet.stderr.contains("missed"), "\(yunet.stderr)")

        let strict = try CLIRunner.run(["render", "--source", small, "--pose", "0,0,0", "--detector", "mediapipe", "-o", dir.appendingPathComponent("m.png").path] + Self.model)
        #expect(strict.status == 2 && strict.stderr.contains("no face found by MediaPipe's short-range detector"), "\(strict.stderr)")
        let strictFaces = try CLIRunner.run(["faces", small, "--detector", "mediapipe", "--device", "cpu"])
        #expect(strictFaces.status == 2, "\(strictFaces.stderr)")

        // A clip of the small face: the plan says which detector framed every frame.
        let clip = try FaceCropRenderTests.clip(in: dir, frames: 3)
        let plan = dir.appendingPathComponent("plan.json").path
        let p = try CLIRunner.run(["plan", "--driver", clip, "--crop-smoothing", "0", "-o", plan, "--device", "cpu"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stderr.contains("missed the face in 3 of 3 driver frames"), "\(p.stderr)")
        #expect(p.stdout.contains("3 frames framed by YuNet"), "\(p.stdout)")
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as? [String: Any])
        #expect(planned["cropDetectors"] as? [String] == ["yunet", "yunet", "yunet"], "\(planned)")
    }

    @Test("a face at the picture's edge: the default crop is the official one, shrunk to fit (remove_overflow), not padded")
    func edgeCropIsShrunkAsOfficial() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let canvas = try RGBImage(width: 640, height: 480, fill: (0.3, 0.35, 0.4))
        var crops: [[Int]] = []
        for (x, name) in [(110, "centre.png"), (-110, "edge.png")] {
            let path = dir.appendingPathComponent(name).path
            try PNGCodec.write(FaceCropRenderTests.paste(try FaceCropRenderTests.portrait(420), x: x, y: 20, onto: canvas), to: path)
            let r = try CLIRunner.run(["render", "--source", path, "--pose", "0,0,0", "-o", dir.appendingPathComponent("o-" + name).path] + Self.model)
            #expect(r.status == 0 && !r.stderr.contains("YuNet"), "\(r.stderr)")
            let crop = try Self.sourceCrop(r.stderr).crop
            let listed = try CLIRunner.run(["faces", path, "--json", "--device", "cpu"])
            let b = try #require((try LandmarkCLITests.json(listed.stdout)["faces"] as? [[String: Any]])?.first?["box"] as? [Double], "\(listed.stderr)")
            let official = try Self.cut(try EMOPortraitsCrop.frame(boxX: b[0], boxY: b[1], boxWidth: b[2], boxHeight: b[3], pictureWidth: 640, pictureHeight: 480),
                                        width: 640, height: 480)
            // The listed box is rounded to 0.01 px: a pixel of slack.
            #expect(crop.count == 3 && zip(crop, official).allSatisfy { abs($0 - $1) <= 1 }, "\(name): \(crop) vs \(official)")
            #expect(crop[0] >= 0 && crop[1] >= 0 && crop[0] + crop[2] <= 640 && crop[1] + crop[2] <= 480, "inside the picture: \(crop)")
            crops.append(crop)
        }
        // The official code shrinks the edge face's crop about its centre: a closer framing than the centred face's.
        #expect(crops.count == 2 && crops[1][2] < crops[0][2] * 9 / 10, "\(crops)")
    }

    @Test("faces lists MediaPipe's box by default, with the detector and framing of each face")
    func facesSaysWhichDetector() throws {
        let r = try CLIRunner.run(["faces", Self.portrait, "--json", "--device", "cpu"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let face = try #require((try LandmarkCLITests.json(r.stdout)["faces"] as? [[String: Any]])?.first)
        #expect(face["detector"] as? String == "mediapipe" && face["framing"] as? String == "official", "\(face)")
        let box = try #require(face["box"] as? [Double])
        let (b, _, _) = try Self.mediaPipeBox("astronaut-512")
        #expect(zip(box, b).allSatisfy { abs($0 - $1) < 1 }, "\(box) vs MediaPipe's \(b)")
        let table = try CLIRunner.run(["faces", Self.portrait, "--device", "cpu"])
        #expect(table.stdout.contains("(mediapipe: official crops)"), "\(table.stdout)")
    }
}

/// LivePortrait's source crop of a tilted face: cut rotated as the official cropper cuts it, pasted
/// back through the inverse; `--detector yunet` keeps the axis-aligned estimate.
@Suite(.serialized)
struct RotatedSourceCropTests {
    @Test("a source tilted 20°: the render says the crop turned by about −20°, and only the turned square's pixels change")
    func tiltedSourceIsCutRotated() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let portrait = try ImageReader.read(ModelJobsTests.source)
        let a = 20 * Double.pi / 180
        let (c, s) = (cos(a), sin(a))
        // Counter-clockwise on the screen about the centre, on a 640² canvas (the face stays inside).
        let tx: Double = 320 - c * 256 - s * 256, ty: Double = 320 + s * 256 - c * 256
        let tilted = try portrait.warpedLikeOpenCV(matrix: [c, s, tx, -s, c, ty], width: 640, height: 640)
        let source = dir.appendingPathComponent("tilted.png").path
        try PNGCodec.write(tilted, to: source)
        let out = dir.appendingPathComponent("out.png").path
        let r = try CLIRunner.run(["render", "--source", source, "--pose", "0,0,0", "-o", out, "--no-watermark", "--device", "cpu"] + LivePortraitCLITests.model)
        #expect(r.status == 0, "\(r.stderr)")
        let line = try DefaultDetectorTests.sourceCrop(r.stderr).line
        #expect(line.contains("framed by MediaPipe, LivePortrait's official crop rule"), "\(line)")
        // The official angle is minus the screen's counter-clockwise roll; the photograph's own roll is a few degrees.
        let turned = try #require(line.range(of: "turned ").map { line[$0.upperBound...].prefix { "-0123456789.".contains($0) } }.flatMap { Double($0) }, "\(line)")
        #expect(abs(turned + 20) < 6, "\(line)")
        let written = try PNGCodec.read(out)
        #expect(written.width == 640 && written.height == 640)
        // The corners lie outside the turned square: untouched; the face's centre is the render.
        for (x, y) in [(2, 2), (637, 2), (2, 637), (637, 637)] { #expect(written[x, y] == tilted[x, y]) }
        #expect(written[320, 300] != tilted[320, 300])
        let yunet = try CLIRunner.run(["render", "--source", source, "--pose", "0,0,0", "-o", out, "--no-watermark", "--detector", "yunet", "--device", "cpu"] + LivePortraitCLITests.model)
        let yunetLine = try DefaultDetectorTests.sourceCrop(yunet.stderr).line
        #expect(yunet.status == 0 && !yunetLine.contains("turned"), "\(yunet.stderr)")
    }
}
