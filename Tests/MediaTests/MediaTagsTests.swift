import Foundation
import Media
import Testing

/// Text labels in files: MP4 container tags and PNG text chunks, written and read back.
struct MediaTagsTests {
    @Test func pngTextRoundTripsAndTheImageStillDecodes() throws {
        let image = TestSupport.frame(width: 16, height: 12)
        let path = TestSupport.temporaryPath("labelled.png")
        try PNGCodec.write(image, to: path, text: ["ai_generated": "true", "model": "tiny", "note": "naïve — ünïcode ✓"])
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = try MediaTags.pngText(data)
        #expect(text == ["ai_generated": "true", "model": "tiny", "note": "naïve — ünïcode ✓"])
        #expect(try PNGCodec.read(path) == (try PNGCodec.decode(try PNGCodec.encode(image))), "pixels unchanged by the chunks")
        #expect(try MediaTags.pngText(try PNGCodec.encode(image)).isEmpty)
        #expect(throws: MediaError.self) { try MediaTags.pngWithText(data, ["": "empty key"]) }
        #expect(throws: MediaError.self) { try MediaTags.pngText(data.prefix(40) + Data([0, 0, 0xFF, 0xFF, 0x74, 0x45, 0x58, 0x74])) }
    }

    @Test func videoContainerTagsRoundTrip() throws {
        let path = TestSupport.temporaryPath("tagged.mp4")
        let writer = try VideoWriter(path: path, width: 32, height: 32, frameRate: try FrameRate(25),
                                     options: .init(preset: "veryfast", metadata: ["ai_generated": "true", "weights_fingerprint": "0123abcd",
                                                                                   "creation_time": "2026-08-02T10:00:00.000000Z"]))
        for i in 0..<3 { try writer.write(TestSupport.frame(width: 32, height: 32, phase: i)) }
        try writer.finish()
        let tags = try MediaTags.container(path)
        #expect(tags["ai_generated"] == "true" && tags["weights_fingerprint"] == "0123abcd")
        #expect(tags["creation_time"]?.hasPrefix("2026-08-02T10:00:00") == true)
        #expect(throws: MediaError.self) { try MediaTags.container(TestSupport.temporaryPath("missing.mp4")) }
    }
}
