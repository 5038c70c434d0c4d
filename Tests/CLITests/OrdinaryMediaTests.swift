import Foundation
import Media
import Testing

/// Ordinary inputs a phone or a careless copy produces: EXIF-rotated photos, variable-frame-rate
/// clips, truncated pictures and folders given as files.
@Suite(.serialized) struct OrdinaryMediaTests {
    static let model = ["--config", "tiny", "--random-weights", "3", "--device", "opencl"]

    /// The bundled portrait, 200 px, on a 240×200 grey canvas (not square: a sideways read shows
    /// in the size).
    static func upright() throws -> RGBImage {
        FaceCropRenderTests.paste(try FaceCropRenderTests.portrait(200), x: 20, y: 0,
                                  onto: try RGBImage(width: 240, height: 200, fill: (0.4, 0.4, 0.4)))
    }

    /// A JPEG file holding `image` with an APP1 Exif block whose Orientation is `value` (nil: none).
    static func jpeg(_ image: RGBImage, orientation value: UInt16?, at path: String) throws {
        let plain = try ExifCLISupport.jpeg(image)
        try (value.map { ExifCLISupport.withExif(plain, orientation: $0) } ?? plain).write(to: URL(fileURLWithPath: path))
    }

    /// The face box `portrait faces --json` reports.
    static func faceBox(_ path: String) throws -> [Double] {
        let r = try CLIRunner.run(["faces", path, "--json", "--device", "cpu"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let faces = try #require(object?["faces"] as? [[String: Any]], "\(r.stdout)")
        return try #require(faces.first?["box"] as? [Double])
    }

    @Test("a phone photo stored sideways with an EXIF tag is detected and rendered upright",
          arguments: [(6, ExifOrientation.rotated270), (8, .rotated90), (3, .rotated180), (2, .mirrored)] as [(UInt16, ExifOrientation)])
    func exifRotatedPhotoIsReadUpright(value: UInt16, storedAs: ExifOrientation) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let upright = try Self.upright()
        // Stored turned the other way, so that applying the tag gives the upright picture back.
        let stored = upright.oriented(storedAs)
        let tagged = dir.appendingPathComponent("phone.jpg").path, plain = dir.appendingPathComponent("upright.jpg").path
        try Self.jpeg(stored, orientation: value, at: tagged)
        try Self.jpeg(upright, orientation: nil, at: plain)
        let expected = try Self.faceBox(plain), found = try Self.faceBox(tagged)
        #expect(zip(expected, found).allSatisfy { abs($0 - $1) < 3 }, "upright \(expected), tagged \(found)")

        var regions: [[Int]] = []
        for source in [plain, tagged] {
            let out = dir.appendingPathComponent("out-\(regions.count).png").path
            let r = try CLIRunner.run(["render", "--source", source, "--pose", "0,0,0", "-o", out] + Self.model)
            #expect(r.status == 0, "\(r.stderr)")
            // "portrait: source face at X,Y,SIZE (x,y,size) in PATH": the numbers before the path.
            let line = r.stderr.split(separator: "\n").first { $0.contains("source face at") }.map(String.init) ?? ""
            let numbers = line.replacingOccurrences(of: source, with: "").split { !$0.isNumber && $0 != "-" }.compactMap { Int($0) }
            regions.append(numbers)
            let picture = try PNGCodec.read(out)
            #expect(picture.width == 240 && picture.height == 200, "pasted back at the upright size, got \(picture.width)x\(picture.height)")
        }
        #expect(regions[0].count >= 3 && regions[0].count == regions[1].count && zip(regions[0], regions[1]).allSatisfy { abs($0 - $1) <= 3 },
                "source face regions: upright \(regions[0]), tagged \(regions[1])")
    }

    /// A 64×64 clip of flat grey frames whose intervals alternate 2 and 4 ticks of 1/60 s, with
    /// 1.2 s of audio; frame i has grey level (16 + 10 i)/255.
    static func variableRateClip(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("phone.mp4").path
        let writer = try VideoWriter(path: path, width: 64, height: 64, frameRate: try FrameRate(60), options: .init(crf: 10, preset: "veryfast"))
        try writer.addAudio(monoSamples: (0..<57_600).map { sin(Float($0) * 0.05) * 0.3 }, sampleRate: 48_000)
        for i in 0..<16 {
            let grey = Float(16 + 10 * i) / 255
            try writer.write(try RGBImage(width: 64, height: 64, fill: (grey, grey, grey)), at: Int64(3 * i - i % 2))
        }
        try writer.finish()
        return path
    }

    /// The driver frame index shown in the left (driver) panel of each side-by-side frame.
    static func driverIndices(_ path: String) throws -> [Int] {
        try VideoReader(path: path, timing: .asDecoded).readAll().map { frame in
            var sum: Float = 0
            for y in 8..<56 { for x in 8..<56 { sum += frame[x, y].green } }
            return Int(((sum / (48 * 48) * 255 - 16) / 10).rounded())
        }
    }

    @Test("a variable-frame-rate driver keeps its duration, audio and the frame on display at each output time")
    func variableRateDriverKeepsDuration() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let clip = try Self.variableRateClip(in: dir)
        let ticks = (0..<16).map { Double(3 * $0 - $0 % 2) / 60 }
        let input = try VideoReader(path: clip)
        let duration = try #require(input.duration)
        let source = dir.appendingPathComponent("source.png").path
        try PNGCodec.write(try FaceCropRenderTests.portrait(64), to: source)

        for fps in [nil, "12"] as [String?] {
            let out = dir.appendingPathComponent("out-\(fps ?? "auto").mp4").path
            let r = try CLIRunner.run(["render", "--source", source, "--driver", clip, "--crop", "none", "--side-by-side", "-o", out]
                                      + (fps.map { ["--fps", $0] } ?? []) + Self.model)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("variable frame rate") == (fps == nil), "\(r.stderr)")
            let output = try VideoReader(path: out, timing: .asDecoded)
            let rate = output.frameRate.framesPerSecond
            #expect(fps == nil ? abs(rate - 16 / duration) < 0.05 : rate == 12, "output rate \(rate)")
            #expect(output.hasAudio)
            let shown = try Self.driverIndices(out)
            #expect(shown.count == Int((duration * rate).rounded()), "\(shown.count) frames for \(duration) s at \(rate) fps")
            #expect(abs(Double(shown.count) / rate - duration) <= 1 / rate)
            let expected = (0..<shown.count).map { k in ticks.lastIndex { $0 < (Double(k) + 0.5) / rate - 1e-9 } ?? 0 }
            #expect(shown == expected, "driver frames shown \(shown), expected \(expected)")
        }
        // A plan counts the same frames.
        let plan = dir.appendingPathComponent("plan.json").path
        let p = try CLIRunner.run(["plan", "--driver", clip, "--crop", "none", "-o", plan])
        #expect(p.status == 0 && p.stdout.contains("\(Int((duration * input.frameRate.framesPerSecond).rounded())) frames"), "\(p.stdout)\(p.stderr)")
    }

    @Test("a truncated JPEG or PNG is reported as damaged, not as a picture without a face")
    func truncatedPicturesAreDamaged() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let whole = try ExifCLISupport.jpeg(try Self.upright())
        let png = try PNGCodec.encode(try Self.upright())
        for (name, data) in [("cut.jpg", whole.prefix(whole.count * 2 / 3)), ("cut.png", png.prefix(png.count / 2))] {
            let path = dir.appendingPathComponent(name).path
            try Data(data).write(to: URL(fileURLWithPath: path))
            for args in [["faces", path, "--device", "cpu"], ["render", "--source", path, "--pose", "0,0,0", "-o", dir.appendingPathComponent("o.png").path] + Self.model] {
                let r = try CLIRunner.run(args)
                #expect(r.status == 2, "\(args[0]) \(name): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("damaged or truncated") && !r.stderr.contains("no face"), "\(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            }
        }
    }

    @Test("a folder given as a picture or video says so")
    func folderIsNotAFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let folder = dir.appendingPathComponent("photos.jpg").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = dir.appendingPathComponent("source.png").path
        try PNGCodec.write(try FaceCropRenderTests.portrait(64), to: source)
        let runs = [["faces", folder, "--device", "cpu"],
                    ["render", "--source", folder, "--pose", "0,0,0", "-o", dir.appendingPathComponent("a.png").path] + Self.model,
                    ["render", "--source", source, "--driver", folder, "--crop", "none", "-o", dir.appendingPathComponent("b.mp4").path] + Self.model]
        for args in runs {
            let r = try CLIRunner.run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("is a folder, not a file") && !r.stderr.contains("Domain"), "\(r.stderr)")
        }
    }
}

/// JPEG bytes and EXIF APP1 segments for the CLI tests (see MediaTests' ExifSupport for the layout).
enum ExifCLISupport {
    static func jpeg(_ image: RGBImage) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-cli-\(UUID().uuidString).mjpeg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try VideoWriter(path: path, width: image.width, height: image.height, frameRate: try FrameRate(1),
                                     options: .init(crf: 2, encoder: "mjpeg"))
        try writer.write(image)
        try writer.finish()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// `jpeg` with an APP1 Exif segment (big-endian TIFF, IFD0 holding Orientation = `value`).
    static func withExif(_ jpeg: Data, orientation value: UInt16) -> Data {
        let tiff: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, UInt8(value >> 8), UInt8(value & 0xFF), 0, 0, 0, 0, 0, 0]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return jpeg.prefix(2) + Data([0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload) + jpeg.dropFirst(2)
    }
}
