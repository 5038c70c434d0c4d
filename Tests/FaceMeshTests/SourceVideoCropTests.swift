import Face
import FaceMesh
import Foundation
import Media
import Runtime
import Testing

/// LivePortrait's per-frame source-video crop (the official `Cropper.crop_source_video`): the face
/// followed by FaceMesh from the previous frame's points, each frame cut by the official rule on
/// its own points and turned by its own roll. Pinned to the official cropper run on the same
/// frames and the same points (`Tests/Fixtures/face/liveportrait-source-video-crop.json`, made by
/// `liveportrait_source_video_parity.py`, an official-code harness kept outside the repository).
@Suite(.serialized)
struct SourceVideoCropTests {
    struct Fixture: Decodable {
        struct Frame: Decodable {
            let tilt_degrees: Double
            let byte_sum: Int
            /// Our tracker's 468 points (x, y) when the fixture was made (CPU).
            let points: [[Float]]
            /// The official `crop_source_video`'s original → crop matrix on those points (its 68-point subset).
            let m_o2c: [[Double]]
            /// The official 512² crop shrunk to 256² (`img_crop_256x256`), then to 64² with INTER_AREA, RGB bytes in base64.
            let crop64: String
        }
        let method: String
        let frames: [Frame]
    }

    static let fixturePath = LivePortraitRotationTests.faceFixtures.appendingPathComponent("liveportrait-source-video-crop.json")
    /// Canvas side, frames, tilt per frame (degrees, counter-clockwise on the screen) and drift per frame (pixels).
    static let side = 384, count = 4, tiltStep = 7.0, drift = SIMD2<Double>(6, -4)

    /// The tilting source video: the bundled portrait at 3/4 size in a `side`² canvas, turned about
    /// its centre by `tiltStep`·k degrees and moved by `drift`·k, with OpenCV's `warpAffine`
    /// arithmetic (the harness makes the same bytes with `cv2.warpAffine`; `byte_sum` checks it).
    static func frames() throws -> [RGBImage] {
        let portrait = try PNGCodec.read(Support.root.appendingPathComponent("assets/astronaut-512.png").path)
        return try (0..<count).map { k in
            let angle = tiltStep * Double(k) * Double.pi / 180, scale = 0.75
            let (a, b) = (scale * cos(angle), scale * sin(angle))
            let centre = SIMD2(Double(side) / 2, Double(side) / 2) + drift * Double(k)
            let matrix = [a, b, centre.x - (a * 256 + b * 256), -b, a, centre.y - (-b * 256 + a * 256)]
            return try portrait.warpedLikeOpenCV(matrix: matrix, width: side, height: side)
        }
    }

    static func tensor(_ image: RGBImage) -> Tensor {
        Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW())
    }

    /// The 468 points of every frame as `portrait render` follows a source video's face: found on
    /// the first frame, then FaceMesh on the region of the previous frame's points; every frame
    /// must keep the face (presence ≥ 0.5).
    static func tracked(_ frames: [RGBImage], with landmarker: DenseLandmarker) throws -> [[SIMD3<Float>]] {
        let first = try landmarker.find(in: tensor(frames[0]), options: DenseLandmarkOptions(refineEyes: false))
        var points = [try #require(first.first, "no face on the first frame").points]
        for frame in frames.dropFirst() {
            let (presence, next) = try landmarker.track(in: tensor(frame), previous: points[points.count - 1])
            #expect(presence >= 0.5, "the face was lost (presence \(presence))")
            points.append(next)
        }
        return points
    }

    static func byteSum(_ image: RGBImage) -> Int {
        image.pixels.reduce(0) { $0 + Int(($1 * 255).rounded()) }
    }

    /// Writes the frames (PNG) and our tracked points for the harness, when
    /// `PORTRAIT_LP_SOURCE_VIDEO_OUT` names a folder; skipped otherwise.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_LP_SOURCE_VIDEO_OUT"] != nil))
    func makeHarnessInputs() throws {
        let folder = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["PORTRAIT_LP_SOURCE_VIDEO_OUT"]))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let frames = try Self.frames()
        let points = try Self.tracked(frames, with: try #require(Support.cpuLandmarker))
        for (k, frame) in frames.enumerated() { try PNGCodec.write(frame, to: folder.appendingPathComponent(String(format: "frame-%02d.png", k)).path) }
        let entries = zip(frames, points).enumerated().map { k, pair in
            ["tilt_degrees": Self.tiltStep * Double(k), "byte_sum": Self.byteSum(pair.0), "points": pair.1.map { [$0.x, $0.y] }] as [String: Any]
        }
        try JSONSerialization.data(withJSONObject: ["frames": entries]).write(to: folder.appendingPathComponent("tracked.json"))
    }

    @Test("CPU: the tracked points are the fixture's, each frame's crop matrix is the official one within 0.05 px, the crops' pixels the official ones, every crop level")
    func cpuCropsAreTheOfficialOnes() throws {
        try check(try #require(Support.cpuLandmarker), pointTolerance: 0.01, matrixTolerance: 0.05)
    }

    @Test("OpenCL: the same track and crops (FaceMesh on the device: points within 0.01 px of the CPU's fixture, matrices within 0.05 px)")
    func openclCropsAreTheOfficialOnes() throws {
        guard let landmarker = Support.openclLandmarker else {
            if Support.openclRequired { Issue.record("no OpenCL device (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)") }
            return
        }
        try check(landmarker, pointTolerance: 0.01, matrixTolerance: 0.05)
    }

    func check(_ landmarker: DenseLandmarker, pointTolerance: Float, matrixTolerance: Double) throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.fixturePath))
        #expect(fixture.frames.count == Self.count)
        let frames = try Self.frames()
        let points = try Self.tracked(frames, with: landmarker)
        var angles: [Double] = []
        let verbose = ProcessInfo.processInfo.environment["LP_TEST_VERBOSE"] == "1"
        for (k, (frame, official)) in zip(frames, fixture.frames).enumerated() {
            #expect(Self.byteSum(frame) == official.byte_sum, "frame \(k) is not the harness's")
            // The tracker follows the face as when the fixture was made.
            let fixed = official.points.map { SIMD2($0[0], $0[1]) }
            let ours = points[k].map { SIMD2($0.x, $0.y) }
            let drift = zip(ours, fixed).map { a, b in ((a - b) * (a - b)).sum().squareRoot() }.max() ?? .infinity
            #expect(drift < pointTolerance, "frame \(k): tracked points moved \(drift) px from the fixture's")
            // The official matrix on the fixture's points, and on the points tracked now.
            let theirs = official.m_o2c.flatMap { $0 }
            for (label, mesh, tolerance) in [("fixture points", fixed, 0.05), ("tracked points", ours, matrixTolerance)] {
                let matrix = try LivePortraitCrop(mesh: mesh).cropMatrix(outputSide: 512)
                let worst = try MeshLandmarks68.points(from: fixed).map { p in
                    let d = LivePortraitRotationTests.apply(matrix, p) - LivePortraitRotationTests.apply(theirs, p)
                    return (d * d).sum().squareRoot()
                }.max() ?? .infinity
                #expect(worst < tolerance, "frame \(k), \(label): the 68 points land \(worst) px (of 512) from the official matrix's")
                if verbose { print("frame \(k) \(label): worst point \(worst) px of 512 from the official matrix's; tracked points moved \(drift) px") }
            }
            let crop = try LivePortraitCrop(mesh: ours)
            angles.append(crop.angle)
            // The network's 256² input as the official cropper cuts it (compared at 64², INTER_AREA).
            let input = try frame.framedLikeOpenCV(size: 256, cropMatrix: crop.cropMatrix(outputSide: 512))
            let small = try input.resizedLikeOpenCV(width: 64, height: 64, interpolation: .area)
            let expected = [UInt8](try #require(Data(base64Encoded: official.crop64)))
            #expect(expected.count == 64 * 64 * 3)
            let worstLevel = zip(small.pixels, expected).map { abs(Int(($0 * 255).rounded()) - Int($1)) }.max() ?? .max
            #expect(worstLevel <= 1, "frame \(k): the crop differs from the official one by \(worstLevel) levels")
            // The roll left in the crop is small: FaceMesh finds the face level there.
            let inCrop = try landmarker.find(in: Self.tensor(input), options: DenseLandmarkOptions(refineEyes: false))
            let left = try LivePortraitCrop(mesh: try #require(inCrop.first, "frame \(k): no face in the crop").points.map { SIMD2($0.x, $0.y) }).angle
            #expect(abs(left) < 0.05, "frame \(k): \(left) rad of roll left in the crop")
            if verbose { print("frame \(k): crop within \(worstLevel) levels of the official one at 64²; roll left \(left) rad; turned \(crop.angle * 180 / .pi)°") }
        }
        // Each frame's crop turns with its head: the official angle falls by the tilt step per frame.
        for k in 1..<angles.count {
            let turn = (angles[k] - angles[0]) * 180 / .pi
            #expect(abs(turn + Self.tiltStep * Double(k)) < 1.5, "frame \(k): crop turned \(turn)° from frame 0's, the head \(-Self.tiltStep * Double(k))°")
        }
    }
}
