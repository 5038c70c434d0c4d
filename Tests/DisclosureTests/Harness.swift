import Disclosure
import Foundation
import Kernels
import Media
import Runtime

/// The transformations a marked video must survive, each run with our libav* code (VideoReader
/// → transform → VideoWriter), as `ffmpeg` would run them.
enum Attack: CustomStringConvertible, Sendable {
    case h264(crf: Int)
    case vp9(crf: Int)
    case scale(Double)
    case crop(edge: Edge, fraction: Double)
    case brightness(Float)
    case contrast(Float)

    enum Edge: String, Sendable { case left, right, top, bottom }

    var description: String {
        switch self {
        case .h264(let crf): return "H.264 CRF \(crf)"
        case .vp9(let crf): return "VP9 CRF \(crf)"
        case .scale(let f): return "scale \(Int(f * 100)) %"
        case .crop(let edge, let f): return "crop \(Int(f * 100)) % \(edge.rawValue)"
        case .brightness(let d): return String(format: "brightness %+.0f %%", d * 100)
        case .contrast(let c): return String(format: "contrast %+.0f %%", (c - 1) * 100)
        }
    }

    /// The output of this attack on the video at `path`, in a new file.
    func apply(to path: String) throws -> String {
        let reader = try VideoReader(path: path)
        var frames: [RGBImage] = []
        while let f = try reader.next() { frames.append(try transform(f)) }
        let out = Harness.temporaryPath(self.isVP9 ? "attacked.webm" : "attacked.mp4")
        let options: VideoWriter.Options
        switch self {
        case .h264(let crf): options = .init(crf: crf, preset: "veryfast", encoder: "libx264")
        case .vp9(let crf): options = .init(crf: crf, encoder: "libvpx-vp9")
        default: options = .init(crf: 23, preset: "veryfast", encoder: "libx264")
        }
        let writer = try VideoWriter(path: out, width: frames[0].width, height: frames[0].height, frameRate: reader.frameRate, options: options)
        for f in frames { try writer.write(f) }
        try writer.finish()
        return out
    }

    private var isVP9: Bool { if case .vp9 = self { return true } else { return false } }

    private func transform(_ f: RGBImage) throws -> RGBImage {
        let even: (Double) -> Int = { max(2, Int($0 / 2) * 2) }
        switch self {
        case .h264, .vp9: return f
        case .scale(let s): return try f.swscaled(width: even(Double(f.width) * s), height: even(Double(f.height) * s))
        case .crop(let edge, let fraction):
            let cw = edge == .left || edge == .right ? even(Double(f.width) * (1 - fraction)) : f.width
            let ch = edge == .top || edge == .bottom ? even(Double(f.height) * (1 - fraction)) : f.height
            return try f.cropped(x: edge == .left ? f.width - cw : 0, y: edge == .top ? f.height - ch : 0, width: cw, height: ch)
        case .brightness(let d): return try RGBImage(width: f.width, height: f.height, pixels: f.pixels.map { min(max($0 + d, 0), 1) })
        case .contrast(let c): return try RGBImage(width: f.width, height: f.height, pixels: f.pixels.map { min(max(($0 - 0.5) * c + 0.5, 0), 1) })
        }
    }
}

enum Harness {
    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../assets").standardized

    static func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portraitcl-disclosure-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(UInt32.random(in: 0...UInt32.max))-\(name)").path
    }

    /// A talking-head-like clip: a window moving slowly over the astronaut portrait, `size`².
    static func sourceFrames(count: Int, size: Int) throws -> [RGBImage] {
        let portrait = try ImageReader.read(assets.appendingPathComponent("astronaut-512.png").path)
        return try (0..<count).map { i in
            let shift = Int(12 * sin(Double(i) / 5)) + 16
            return try portrait.cropped(x: shift, y: 16 + i % 3, width: 448, height: 448).resized(width: size, height: size)
        }
    }

    /// Regions of assets/astronaut-512.png: the smooth studio backdrop, the face (skin, eyes,
    /// mouth), the hair, and the whole picture.
    static let portraitRegions: [Visibility.Region] = [
        .init(name: "backdrop (flat)", x: 410, y: 10, width: 96, height: 220),
        .init(name: "face (skin)", x: 170, y: 150, width: 150, height: 170),
        .init(name: "hair (textured)", x: 150, y: 45, width: 200, height: 90),
        .init(name: "whole picture", x: 0, y: 0, width: 512, height: 512),
    ]

    /// `frames` marked with `payload` on `engine`.
    static func mark(_ frames: [RGBImage], payload: WatermarkPayload, engine: Engine = .cpu()) throws -> [RGBImage] {
        let embedder = WatermarkEmbedder(payload: payload, engine: engine)
        return try frames.map { f in
            let t = Tensor(shape: [1, 3, f.height, f.width], values: f.planarCHW())
            let v = try engine.values(try embedder.mark(t)).map { min(max($0, 0), 1) }
            return try RGBImage(planarCHW: v, width: f.width, height: f.height)
        }
    }

    /// `frames` marked as before perceptual shaping (until December 2026): the same tile at a
    /// uniform 1.85 levels RMS everywhere. The unit tile is read off the current embedder on flat
    /// mid-grey, where its peak amplitude is exactly one level.
    static func uniformMark(_ frames: [RGBImage], payload: WatermarkPayload) throws -> [RGBImage] {
        try frames.map { f in
            let plane = f.width * f.height
            let grey = Tensor(shape: [1, 3, f.height, f.width], values: [Float](repeating: 0.5, count: 3 * plane))
            let tile = try WatermarkEmbedder(payload: payload, engine: .cpu()).mark(grey).hostValues!.prefix(plane).map { ($0 - 0.5) * 255 }
            let rms = (tile.reduce(0) { $0 + $1 * $1 } / Float(plane)).squareRoot()
            var pixels = f.pixels
            for i in 0..<plane { for c in 0..<3 { pixels[3 * i + c] = min(max(pixels[3 * i + c] + tile[i] * 1.85 / rms / 255, 0), 1) } }
            return try RGBImage(width: f.width, height: f.height, pixels: pixels)
        }
    }

    /// Writes frames as the renderer does (H.264 CRF 18) and returns the path.
    static func writeVideo(_ frames: [RGBImage], name: String = "marked.mp4") throws -> String {
        let path = temporaryPath(name)
        let writer = try VideoWriter(path: path, width: frames[0].width, height: frames[0].height, frameRate: try FrameRate(25),
                                     options: .init(crf: 18, preset: "veryfast", encoder: "libx264"))
        for f in frames { try writer.write(f) }
        try writer.finish()
        return path
    }

    /// Removes this process's temporary folder (benchmarks call it when done).
    static func removeTemporaries() {
        try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("portraitcl-disclosure-tests-\(getpid())"))
    }

    /// The detector's verdict on a video file, from up to `limit` frames.
    static func detect(video path: String, limit: Int = 25) throws -> WatermarkDetection {
        let detector = WatermarkDetector()
        for f in try VideoReader(path: path).readAll(limit: limit) { detector.add(luma(f)) }
        return detector.detect()
    }

    /// BT.709 luma in 8-bit levels (`LumaFrame(width:height:rgb:)`, as `portrait verify` computes it).
    static func luma(_ img: RGBImage) -> LumaFrame {
        LumaFrame(width: img.width, height: img.height, rgb: img.pixels)!
    }

    /// PSNR in dB between two images of one size (8-bit scale).
    static func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
        let ba = a.rgbBytes(), bb = b.rgbBytes()
        var sum = 0.0
        for i in ba.indices { let d = Double(ba[i]) - Double(bb[i]); sum += d * d }
        return 10 * log10(255 * 255 / max(sum / Double(ba.count), 1e-12))
    }

    /// Fraction of the 124 code bits that agree with `expected`'s encoding (1 when decoded exactly).
    static func payloadBitAccuracy(_ d: WatermarkDetection, _ expected: WatermarkPayload) -> Double {
        guard let p = d.payload else { return 0 }
        let diff = (UInt64(p.toolID) << 32 | UInt64(p.renderID)) ^ (UInt64(expected.toolID) << 32 | UInt64(expected.renderID))
        return 1 - Double(diff.nonzeroBitCount) / 40
    }
}
