import Foundation
import Media
import Testing

/// LivePortrait video-to-video with a source video whose head tilts and moves: each frame cut by
/// its own crop, turned by its own roll (the official `crop_source_video`), and pasted back into
/// its own frame where the face is; a source frame without a face is an error naming it.
@Suite(.serialized)
struct TiltingSourceVideoTests {
    static let side = 320, tiltStep = 10.0, drift = SIMD2<Double>(8, -5)

    /// The portrait → canvas matrix of frame `k`: the bundled portrait at 0.4× in a `side`² canvas,
    /// turned counter-clockwise on the screen by `tiltStep`·k degrees about its centre and moved by `drift`·k.
    static func matrix(_ k: Int) -> [Double] {
        let angle = tiltStep * Double(k) * .pi / 180, scale = 0.4
        let (a, b) = (scale * cos(angle), scale * sin(angle))
        let centre = SIMD2(Double(side) / 2, Double(side) / 2) + drift * Double(k)
        return [a, b, centre.x - (a * 256 + b * 256), -b, a, centre.y - (-b * 256 + a * 256)]
    }

    /// Writes the frames (`faceless`: those left black) to `path` as an H.264 clip; returns them as decoded.
    static func writeClip(_ path: String, frames: Int, faceless: Set<Int> = []) throws -> [RGBImage] {
        let portrait = try ImageReader.read(ModelJobsTests.source)
        let writer = try VideoWriter(path: path, width: side, height: side, frameRate: try FrameRate(25), options: .init(crf: 12))
        for k in 0..<frames {
            try writer.write(faceless.contains(k) ? try RGBImage(width: side, height: side) : try portrait.warpedLikeOpenCV(matrix: matrix(k), width: side, height: side))
        }
        try writer.finish()
        return try VideoReader(path: path).readAll()
    }

    /// The angles the render reports for the source crops, in degrees.
    static func turns(_ stderr: String) throws -> [Double] {
        let line = try #require(stderr.split(separator: "\n").first { $0.contains("source video: the face followed") }, "\(stderr)")
        let list = try #require(line.range(of: "(turned ").map { line[$0.upperBound...].prefix { $0 != ")" } }, "\(line)")
        return list.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "°", with: "")) }
    }

    @Test("a tilting source video: each frame's crop turns with the head, and each render is pasted where that frame's face is")
    func eachFrameIsCutTurnedAndPastedBack() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = dir.appendingPathComponent("tilting.mp4").path
        let frames = try Self.writeClip(source, frames: 3)
        let out = dir.appendingPathComponent("out").path + "/"
        let r = try CLIRunner.run(["render", "--source", source, "--driver", ModelJobsTests.driver, "--frames", "3", "-o", out,
                                   "--no-watermark", "--device", "cpu"] + LivePortraitCLITests.model)
        #expect(r.status == 0, "\(r.stderr)")
        // The official angle is minus the screen's counter-clockwise turn: it falls by the tilt step per frame.
        let turns = try Self.turns(r.stderr)
        #expect(turns.count == 3, "\(r.stderr)")
        for k in 1..<turns.count { #expect(abs(turns[k] - turns[0] + Self.tiltStep * Double(k)) < 2, "frame \(k): \(turns)") }
        let written = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".png") }.sorted()
        #expect(written.count == 3)
        var centres: [SIMD2<Double>] = []
        for (k, name) in written.enumerated() {
            let image = try PNGCodec.read(out + name)
            #expect(image.width == Self.side && image.height == Self.side)
            // The pixels the paste changed: their centre is the crop's.
            var sum = SIMD2<Double>.zero, changed = 0
            for y in 0..<Self.side {
                for x in 0..<Self.side {
                    let (a, b) = (image[x, y], frames[k][x, y])
                    guard max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue)) > 0.5 / 255 else { continue }
                    sum += SIMD2(Double(x), Double(y)); changed += 1
                }
            }
            #expect(changed > 2000, "frame \(k): only \(changed) pixels changed")
            centres.append(sum / Double(max(changed, 1)))
            // The canvas corners lie outside the turned crop: untouched.
            for (x, y) in [(1, 1), (Self.side - 2, 1), (1, Self.side - 2), (Self.side - 2, Self.side - 2)] { #expect(image[x, y] == frames[k][x, y]) }
        }
        // The face moves with the frame's matrix; so must each frame's paste: frame 0's centre carried by M_k · M_0⁻¹.
        let m0 = Self.matrix(0)
        let inPortrait = SIMD2((centres[0].x - m0[2]) / m0[0], (centres[0].y - m0[5]) / m0[4])
        for k in 1..<centres.count {
            let m = Self.matrix(k)
            let expected = SIMD2(m[0] * inPortrait.x + m[1] * inPortrait.y + m[2], m[3] * inPortrait.x + m[4] * inPortrait.y + m[5])
            let miss = ((centres[k] - expected) * (centres[k] - expected)).sum().squareRoot()
            #expect(miss < 4, "frame \(k): pasted around \(centres[k]), the face is around \(expected)")
        }
    }

    @Test("a source frame without a face is an error naming it (the official pipeline would misalign the rest); --frames before it renders")
    func facelessFrameIsNamed() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let source = dir.appendingPathComponent("gap.mp4").path
        _ = try Self.writeClip(source, frames: 3, faceless: [1])
        let out = dir.appendingPathComponent("out.mp4").path
        let args = ["render", "--source", source, "--driver", ModelJobsTests.driver, "-o", out, "--no-watermark", "--device", "cpu"] + LivePortraitCLITests.model
        let r = try CLIRunner.run(args + ["--frames", "3"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("no face in source frame 1") && r.stderr.contains("--frames 1"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let one = try CLIRunner.run(args + ["--frames", "1"])
        #expect(one.status == 0, "\(one.stderr)")
    }
}
