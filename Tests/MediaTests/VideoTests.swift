import Foundation
import Media
import Testing

struct VideoTests {
    @Test func writeThenReadKeepsCountSizeRateAndPixels() throws {
        let rate = try FrameRate(30000, 1001)
        let path = try TestSupport.makeVideo("round.mp4", frames: 12, width: 64, height: 48, rate: rate)
        #expect(TestSupport.leftovers(beside: path).isEmpty)
        let reader = try VideoReader(path: path)
        #expect(reader.width == 64 && reader.height == 48)
        #expect(reader.frameRate == rate)
        #expect(reader.frameCountEstimate == 12)
        #expect(!reader.hasAudio)
        #expect(reader.codecName == "h264" || reader.codecName == "mpeg4")
        if let duration = reader.duration { #expect(abs(duration - 12 / rate.framesPerSecond) < 0.05) }
        var count = 0
        while let frame = try reader.next() {
            let original = TestSupport.frame(width: 64, height: 48, phase: count)
            let error = TestSupport.difference(frame, original)
            // CRF 18 H.264 of smooth content: small mean error; edges of the box cost more.
            #expect(error.mean < 0.02, "frame \(count) mean error \(error.mean)")
            #expect(error.max < 0.5, "frame \(count) max error \(error.max)")
            count += 1
        }
        #expect(count == 12)
        #expect(reader.framesRead == 12)
        #expect(try reader.next() == nil)
    }

    @Test func jpegStillDecodesThroughLibav() throws {
        // The raw MJPEG muxer writes one frame as a plain JPEG file.
        let mjpeg = TestSupport.temporaryPath("one.mjpeg")
        let writer = try VideoWriter(path: mjpeg, width: 32, height: 16, frameRate: try FrameRate(1),
                                     options: .init(crf: 2, encoder: "mjpeg"))
        try writer.write(TestSupport.frame(width: 32, height: 16))
        try writer.finish()
        let photo = TestSupport.temporaryPath("photo.png") // the wrong extension on purpose
        try FileManager.default.copyItem(atPath: mjpeg, toPath: photo)
        #expect(ImageReader.kind(of: try Data(contentsOf: URL(fileURLWithPath: photo))) == .jpeg)
        let image = try ImageReader.read(photo)
        #expect(image.width == 32 && image.height == 16)
        #expect(TestSupport.difference(image, TestSupport.frame(width: 32, height: 16)).mean < 0.03)
    }

    @Test func audioIsEncodedAndCopiedWithTheVideo() throws {
        let rate = try FrameRate(25)
        let source = try TestSupport.makeVideo("with-audio.mp4", frames: 10, rate: rate, audioSeconds: 2)
        let sourceReader = try VideoReader(path: source)
        #expect(sourceReader.hasAudio)

        let path = TestSupport.temporaryPath("copied.mp4")
        let writer = try VideoWriter(path: path, width: 32, height: 32, frameRate: rate, options: .init(preset: "ultrafast"))
        #expect(try writer.copyAudio(from: source))
        for i in 0..<10 { try writer.write(TestSupport.frame(width: 32, height: 32, phase: i)) }
        try writer.finish()
        let reader = try VideoReader(path: path)
        #expect(reader.hasAudio)
        #expect(try reader.readAll().count == 10)
        // Audio past the 0.4 s of video is dropped, so the file stays about 0.4 s long.
        if let duration = reader.duration { #expect(duration < 0.6) }

        // A source without audio adds nothing and says so.
        let silent = try TestSupport.makeVideo("silent.mp4", frames: 2, rate: rate)
        let other = try VideoWriter(path: TestSupport.temporaryPath("x.mp4"), width: 32, height: 32, frameRate: rate)
        #expect(try other.copyAudio(from: silent) == false)
        other.cancel()
    }

    @Test func truncatedVideoIsATypedError() throws {
        let path = try TestSupport.makeVideo("whole.mp4", frames: 20, rate: try FrameRate(25))
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = TestSupport.temporaryPath("cut.mp4")
        try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        #expect(throws: MediaError.self) {
            let reader = try VideoReader(path: cut)
            while try reader.next() != nil {}
        }
        // Header only: the index is gone too.
        let stub = TestSupport.temporaryPath("stub.mp4")
        try data.prefix(200).write(to: URL(fileURLWithPath: stub))
        #expect(throws: MediaError.self) { try VideoReader(path: stub) }
    }

    @Test func garbageEmptyAndAudioOnlyFilesAreTypedErrors() throws {
        let garbage = TestSupport.temporaryPath("garbage.mp4")
        try Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: MediaError.self) { try VideoReader(path: garbage) }

        let empty = TestSupport.temporaryPath("empty.mkv")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: MediaError.self) { try VideoReader(path: empty) }

        #expect(throws: MediaError.fileNotFound(path: "/no/such/driver.mp4")) { try VideoReader(path: "/no/such/driver.mp4") }
    }

    @Test func zeroFrameVideoIsRejectedOnBothSides() throws {
        let path = TestSupport.temporaryPath("none.mp4")
        let writer = try VideoWriter(path: path, width: 16, height: 16, frameRate: try FrameRate(25))
        #expect(throws: MediaError.self) { try writer.finish() }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(TestSupport.leftovers(beside: path).isEmpty)
    }

    @Test func unwritableOutputThrowsAndLeavesNoFile() throws {
        let blocker = TestSupport.temporaryPath("not-a-folder")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let path = blocker + "/out.mp4"
        #expect(throws: MediaError.self) { try VideoWriter(path: path, width: 16, height: 16, frameRate: try FrameRate(25)) }
        #expect(throws: MediaError.self) {
            try VideoWriter(path: "/no/such/folder/out.mp4", width: 16, height: 16, frameRate: try FrameRate(25))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func cancelRemovesThePartialFile() throws {
        let path = TestSupport.temporaryPath("cancelled.mp4")
        let writer = try VideoWriter(path: path, width: 32, height: 32, frameRate: try FrameRate(25), options: .init(preset: "ultrafast"))
        for i in 0..<5 { try writer.write(TestSupport.frame(width: 32, height: 32, phase: i)) }
        #expect(TestSupport.leftovers(beside: path).count == 1)
        writer.cancel()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(TestSupport.leftovers(beside: path).isEmpty)
        #expect(throws: MediaError.self) { try writer.write(TestSupport.frame(width: 32, height: 32)) }
    }

    @Test func badArgumentsAreRejected() throws {
        let rate = try FrameRate(25)
        #expect(throws: MediaError.self) { try VideoWriter(path: TestSupport.temporaryPath("odd.mp4"), width: 15, height: 16, frameRate: rate) }
        #expect(throws: MediaError.self) { try FrameRate(0) }
        let writer = try VideoWriter(path: TestSupport.temporaryPath("size.mp4"), width: 16, height: 16, frameRate: rate)
        #expect(throws: MediaError.self) { try writer.write(TestSupport.frame(width: 18, height: 16)) }
        writer.cancel()
    }
}

struct ColourAccuracyTests {
    /// A steep ramp along one axis survives H.264 (CRF 0) within 2/255 away from the border:
    /// the encoder and decoder agree on matrix, range and chroma siting.
    @Test(arguments: [true, false]) func rampSurvivesAnEncodeDecodeRoundTrip(horizontal: Bool) throws {
        var image = try RGBImage(width: 32, height: 32, fill: (0.5, 0.5, 0.5))
        for y in 0..<32 {
            for x in 0..<32 {
                let t = Float(horizontal ? x : y) / 40 + 0.1
                image[x, y] = (t, 0.5, 1 - t)
            }
        }
        let path = TestSupport.temporaryPath("ramp.mp4")
        let writer = try VideoWriter(path: path, width: 32, height: 32, frameRate: try FrameRate(1), options: .init(crf: 0))
        try writer.write(image)
        try writer.finish()
        let back = try #require(try VideoReader(path: path).next())
        var worst: Float = 0
        for y in 2..<30 {
            for x in 2..<30 {
                let a = image[x, y], b = back[x, y]
                worst = max(worst, abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue))
            }
        }
        #expect(worst * 255 < 2.5, "worst channel error \(worst * 255)/255")
    }
}
