import Foundation
import Media
import Testing

/// Makes (when asked) and checks the bundled demo assets.
///
/// `scripts/make-demo-assets.sh` runs `makeDemoAssets` with `PORTRAIT_ASTRONAUT_PNG` pointing at
/// scikit-image's `skimage/data/astronaut.png`; normally it is skipped and only the committed
/// assets are checked.
struct DemoAssetsTests {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let portrait = root.appendingPathComponent("assets/astronaut-512.png").path
    static let driver = root.appendingPathComponent("assets/driver-demo.mp4").path
    /// The face-centred square of the 512×512 original: hair to shoulders, face ≈45 % wide.
    static let faceCrop = SquareCrop(x: 104, y: 0, size: 256)

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_ASTRONAUT_PNG"] != nil))
    func makeDemoAssets() throws {
        let original = try ImageReader.read(try #require(ProcessInfo.processInfo.environment["PORTRAIT_ASTRONAUT_PNG"]))
        try PNGCodec.write(try original.framed(size: 512, crop: Self.faceCrop, filter: .areaBilinear), to: Self.portrait)

        // 24 frames (1 s at 24 fps) of a slow push-in and sideways drift around the face,
        // 256×256, with a 1 s 220 Hz tone so audio pass-through can be seen working.
        let writer = try VideoWriter(path: Self.driver, width: 256, height: 256, frameRate: try FrameRate(24),
                                     options: .init(crf: 23, preset: "veryslow"))
        try writer.addAudio(monoSamples: TestSupport.tone(seconds: 1, sampleRate: 48_000, frequency: 220).map { $0 * 0.3 },
                            sampleRate: 48_000)
        for i in 0..<24 {
            let t = Double(i) / 23
            let size = Int(300 - 60 * t)                       // 300 → 240 px: zoom in
            let centreX = 232 + Int(24 * sin(2 * .pi * t))     // drift right, then left
            let centreY = 118 + Int(10 * t)
            let crop = SquareCrop(x: max(0, min(512 - size, centreX - size / 2)),
                                  y: max(0, min(512 - size, centreY - size / 2)), size: size)
            try writer.write(try original.framed(size: 256, crop: crop, filter: .areaBilinear))
        }
        try writer.finish()
    }

    @Test func bundledAssetsAreWhatTheDemoExpects() throws {
        guard FileManager.default.fileExists(atPath: Self.portrait) else { return } // not yet generated
        let portrait = try ImageReader.read(Self.portrait)
        #expect(portrait.width == 512 && portrait.height == 512)
        let size = try FileManager.default.attributesOfItem(atPath: Self.portrait)[.size] as? Int ?? 0
        #expect(size < 500_000)

        let reader = try VideoReader(path: Self.driver)
        #expect(reader.width == 256 && reader.height == 256)
        #expect(reader.frameRate == (try FrameRate(24)))
        #expect(reader.hasAudio)
        #expect(try reader.readAll().count == 24)
        let videoSize = try FileManager.default.attributesOfItem(atPath: Self.driver)[.size] as? Int ?? 0
        #expect(videoSize < 300_000)
    }
}

/// A long streaming round trip for checking that memory stays flat, run by hand:
/// `PORTRAIT_MEDIA_SOAK_FRAMES=3000 /usr/bin/time -v swift test ... --filter soak`.
struct SoakTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_MEDIA_SOAK_FRAMES"] != nil))
    func soak() throws {
        let frames = Int(ProcessInfo.processInfo.environment["PORTRAIT_MEDIA_SOAK_FRAMES"] ?? "") ?? 100
        let source = TestSupport.temporaryPath("soak-source.mp4")
        let writer = try VideoWriter(path: source, width: 512, height: 512, frameRate: try FrameRate(25),
                                     options: .init(preset: "ultrafast"))
        try writer.addAudio(monoSamples: TestSupport.tone(seconds: Double(frames) / 25), sampleRate: 48_000)
        let pattern = (0..<8).map { TestSupport.frame(width: 512, height: 512, phase: $0 * 5) }
        for i in 0..<frames { try writer.write(pattern[i % 8]) }
        try writer.finish()
        // Stream it back through a second writer with audio copy, as `render` would.
        let reader = try VideoReader(path: source)
        let output = TestSupport.temporaryPath("soak-output.mp4")
        let copy = try VideoWriter(path: output, width: 512, height: 512, frameRate: reader.frameRate,
                                   options: .init(preset: "ultrafast"))
        try copy.copyAudio(from: source)
        while let frame = try reader.next() { try copy.write(frame) }
        try copy.finish()
        #expect(reader.framesRead == frames)
        #expect(try VideoReader(path: output).hasAudio)
        try? FileManager.default.removeItem(atPath: source)
        try? FileManager.default.removeItem(atPath: output)
    }
}
