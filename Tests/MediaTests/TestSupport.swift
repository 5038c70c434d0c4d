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

/// Pictures with EXIF blocks, made in memory: JPEG through the raw MJPEG muxer, and the EXIF
/// TIFF structure and its APP1 segment written byte by byte as the EXIF standard lays them out.
enum ExifSupport {
    /// `image` as baseline JPEG bytes (libavcodec's MJPEG encoder, high quality).
    static func jpeg(_ image: RGBImage) throws -> Data {
        let path = TestSupport.temporaryPath("picture.mjpeg")
        let writer = try VideoWriter(path: path, width: image.width, height: image.height, frameRate: try FrameRate(1),
                                     options: .init(crf: 2, encoder: "mjpeg"))
        try writer.write(image)
        try writer.finish()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A TIFF structure whose IFD0 holds a `Make` entry, then Orientation = `value` (SHORT).
    static func tiff(orientation value: UInt16, littleEndian: Bool = true) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { littleEndian ? (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } : (0..<4).reversed().map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var bytes: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        bytes += u16(42) + u32(8) + u16(2)
        bytes += u16(0x010F) + u16(2) + u32(4) + Array("Abc".utf8) + [0]    // Make, ASCII, inline
        bytes += u16(0x0112) + u16(3) + u32(1) + u16(value) + [0, 0]         // Orientation, SHORT
        return bytes + u32(0)                                               // no IFD1
    }

    /// JPEG bytes with an APP1 `Exif` segment holding `tiff` inserted after the SOI marker.
    static func withExif(_ jpeg: Data, tiff: [UInt8]) -> Data {
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return jpeg.prefix(2) + Data(segment) + jpeg.dropFirst(2)
    }

    /// PNG bytes with an `eXIf` chunk holding `tiff` inserted after `IHDR`.
    static func withExif(png: Data, tiff: [UInt8]) -> Data {
        let bytes = [UInt8](png)
        let ihdrEnd = 8 + 8 + 13 + 4
        let length = UInt32(tiff.count)
        let body = Array("eXIf".utf8) + tiff
        let crc = crc32(body)
        let chunk = (0..<4).reversed().map { UInt8((length >> (8 * $0)) & 0xFF) } + body + (0..<4).reversed().map { UInt8((crc >> (8 * $0)) & 0xFF) }
        return Data(bytes[..<ihdrEnd] + chunk + bytes[ihdrEnd...])
    }

    /// CRC-32 (ISO 3309, as PNG chunks use).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Writes `data` to a fresh temporary file and returns its path.
    static func file(_ data: Data, name: String) throws -> String {
        let path = TestSupport.temporaryPath(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}
