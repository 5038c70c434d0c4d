import Foundation
import Media

/// Shared helpers: a private temporary folder per test process and synthetic content.
enum TestSupport {
    /// A fresh path in this process's temporary folder (the file does not exist yet).
    static func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portraitcl-media-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let unique = "\(UInt32.random(in: 0...UInt32.max))-\(name)"
        return folder.appendingPathComponent(unique).path
    }

    /// Names of the files in `path`'s folder that start with `.`+its name (leftover temporaries).
    static func leftovers(beside path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix("." + url.lastPathComponent) }
    }

    /// A smooth synthetic frame: diagonal gradients that move with `phase`, plus a bright
    /// square whose position depends on `phase` (so frames differ and codecs keep detail).
    static func frame(width: Int, height: Int, phase: Int = 0) -> RGBImage {
        var pixels = [Float](repeating: 0, count: width * height * 3)
        let box = (x: (phase * 3) % max(1, width - 8), y: (phase * 2) % max(1, height - 8))
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = Float(x + phase) / Float(width + phase)
                pixels[i + 1] = Float(y) / Float(height)
                pixels[i + 2] = 0.5 + 0.4 * Float(sin(Double(x + y + phase) / 9))
                if x >= box.x, x < box.x + 8, y >= box.y, y < box.y + 8 {
                    pixels[i] = 1; pixels[i + 1] = 1; pixels[i + 2] = 1
                }
            }
        }
        return try! RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A sine tone, mono, amplitude 0.5.
    static func tone(seconds: Double, sampleRate: Int = 48_000, frequency: Double = 440) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map { Float(0.5 * sin(2 * .pi * frequency * Double($0) / Double(sampleRate))) }
    }

    /// Writes a short generated video and returns its path.
    static func makeVideo(_ name: String, frames: Int, width: Int = 64, height: Int = 48,
                          rate: FrameRate, audioSeconds: Double? = nil) throws -> String {
        let path = temporaryPath(name)
        let writer = try VideoWriter(path: path, width: width, height: height, frameRate: rate,
                                     options: .init(crf: 18, preset: "veryfast"))
        if let audioSeconds { try writer.addAudio(monoSamples: tone(seconds: audioSeconds), sampleRate: 48_000) }
        for i in 0..<frames { try writer.write(frame(width: width, height: height, phase: i)) }
        try writer.finish()
        return path
    }

    /// Largest absolute channel difference and mean absolute difference of two same-size images.
    static func difference(_ a: RGBImage, _ b: RGBImage) -> (max: Float, mean: Float) {
        var largest: Float = 0, total: Float = 0
        for (p, q) in zip(a.pixels, b.pixels) {
            let d = abs(p - q)
            largest = max(largest, d)
            total += d
        }
        return (largest, total / Float(max(1, a.pixels.count)))
    }
}
