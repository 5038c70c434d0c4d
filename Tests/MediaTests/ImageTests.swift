import Foundation
import Media
import Testing

struct ImageTests {
    @Test func pngRoundTripIsExactFor8BitValues() throws {
        var bytes = [UInt8](repeating: 0, count: 7 * 5 * 3)
        for i in bytes.indices { bytes[i] = UInt8((i * 37 + 11) % 256) }
        let image = try RGBImage(width: 7, height: 5, rgbBytes: bytes)
        let path = TestSupport.temporaryPath("round.png")
        try PNGCodec.write(image, to: path)
        let back = try ImageReader.read(path)
        #expect(back.width == 7 && back.height == 5)
        #expect(back.rgbBytes() == bytes)
        #expect(back == image)
        #expect(TestSupport.leftovers(beside: path).isEmpty)
    }

    @Test func pngIsRecognisedByContentNotName() throws {
        let image = TestSupport.frame(width: 9, height: 4)
        let path = TestSupport.temporaryPath("actually-a-png.jpg")
        try PNGCodec.write(image, to: path)
        #expect(ImageReader.kind(of: try Data(contentsOf: URL(fileURLWithPath: path))) == .png)
        #expect(try ImageReader.read(path).rgbBytes() == image.rgbBytes())
    }

    @Test func corruptPNGIsATypedError() throws {
        let good = try PNGCodec.encode(TestSupport.frame(width: 16, height: 16))
        let path = TestSupport.temporaryPath("corrupt.png")
        // Keep the signature and header, damage the image data.
        var bad = good.prefix(good.count / 2)
        bad.append(Data(repeating: 0x5A, count: 40))
        try bad.write(to: URL(fileURLWithPath: path))
        #expect(throws: MediaError.self) { try ImageReader.read(path) }
        do {
            _ = try ImageReader.read(path)
        } catch {
            guard case .corrupt = error else { Issue.record("expected .corrupt, got \(error)"); return }
            #expect(error.description.contains(path))
        }
    }

    @Test func missingAndEmptyAndGarbageFilesAreTypedErrors() throws {
        #expect(throws: MediaError.fileNotFound(path: "/no/such/portrait.png")) {
            try ImageReader.read("/no/such/portrait.png")
        }
        let empty = TestSupport.temporaryPath("empty.png")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: MediaError.self) { try ImageReader.read(empty) }
        let garbage = TestSupport.temporaryPath("garbage.jpg")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: MediaError.self) { try ImageReader.read(garbage) }
        let text = TestSupport.temporaryPath("notes.png")
        try Data("just text, named like a picture".utf8).write(to: URL(fileURLWithPath: text))
        do {
            _ = try ImageReader.read(text)
            Issue.record("a text file was read as an image")
        } catch {
            guard case .unsupportedFormat = error else { Issue.record("expected .unsupportedFormat for a text file, got \(error)"); return }
            #expect(error.description.contains("not a supported image"), "\(error)")
        }
    }

    @Test func unwritablePNGPathThrowsAndLeavesNothing() throws {
        let blocker = TestSupport.temporaryPath("plain-file")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let path = blocker + "/out.png" // a "folder" that is a regular file
        #expect(throws: MediaError.self) { try PNGCodec.write(TestSupport.frame(width: 4, height: 4), to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func planarConversionRoundTripsInBothRanges() throws {
        let image = TestSupport.frame(width: 5, height: 3, phase: 2)
        let planar = image.planarCHW()
        #expect(planar.count == 45)
        // Channel-major: red plane first.
        #expect(planar[0] == image[0, 0].red)
        #expect(planar[15] == image[0, 0].green)
        #expect(planar[30 + 14] == image[4, 2].blue)
        #expect(try RGBImage(planarCHW: planar, width: 5, height: 3) == image)
        let symmetric = image.planarCHW(range: .symmetric)
        #expect(abs(symmetric[0] - (2 * image[0, 0].red - 1)) < 1e-6)
        let back = try RGBImage(planarCHW: symmetric, width: 5, height: 3, range: .symmetric)
        #expect(TestSupport.difference(back, image).max < 1e-6)
        #expect(throws: MediaError.self) { try RGBImage(planarCHW: [1, 2, 3], width: 2, height: 2) }
    }
}
