import Face
import Testing

/// `FaceTrack`: which face is followed, gaps, smoothing and determinism across clip prefixes.
struct FaceTrackTests {
    /// A face whose landmarks make `FaceFrame.emoPortraits` centre it near (cx, cy) with scale `s`.
    static func face(_ cx: Float, _ cy: Float, _ s: Float = 20) -> DetectedFace {
        let eyes: [SIMD2<Float>] = [SIMD2(cx - s / 2, cy), SIMD2(cx + s / 2, cy)]
        let nose = SIMD2(cx, cy + s / 2)
        let mouth: [SIMD2<Float>] = [SIMD2(cx - s / 3, cy + s), SIMD2(cx + s / 3, cy + s)]
        return DetectedFace(x: cx - s, y: cy - s, width: 2 * s, height: 3 * s, score: 0.9, landmarks: eyes + [nose] + mouth)
    }

    /// A clip of `n` frames: a face wandering with a deterministic jitter, a second small face still.
    static func clip(_ n: Int) -> [[DetectedFace]] {
        (0..<n).map { i in
            let jitter = Float((i * 7919) % 13) / 13 - 0.5
            return [face(200 + Float(i) * 2 + 4 * jitter, 150 - 3 * jitter, 20 + jitter), face(40, 40, 8)]
        }
    }

    @Test("any prefix of a clip gets the same crops for the frames it renders, with radius frames of look-ahead")
    func prefixesAgree() throws {
        let radius = 5
        let full = try FaceTrack(detections: Self.clip(60), smoothingRadius: radius).frames
        for rendered in [1, 7, 23, 40] {
            let part = try FaceTrack(detections: Array(Self.clip(60).prefix(rendered + radius)), smoothingRadius: radius).frames
            #expect(Array(part.prefix(rendered)) == Array(full.prefix(rendered)), "first \(rendered) frames differ")
        }
    }

    @Test("smoothing reduces frame-to-frame jitter; radius 0 keeps each frame's own framing")
    func smoothingReducesJitter() throws {
        let detections = Self.clip(40)
        let raw = try FaceTrack(detections: detections, smoothingRadius: 0).frames
        #expect(raw == detections.map { FaceFrame.emoPortraits(for: $0[0]) })
        let smooth = try FaceTrack(detections: detections, smoothingRadius: 5).frames
        func roughness(_ f: [FaceFrame]) -> Double {
            zip(f.dropFirst(), f).map { abs(($0.centerX - $1.centerX) - 2) + abs($0.centerY - $1.centerY) }.reduce(0, +)
        }
        #expect(roughness(smooth) < roughness(raw) / 3, "raw \(roughness(raw)), smoothed \(roughness(smooth))")
    }

    @Test("the largest face by default, --face 1 the other; the followed face is kept by overlap")
    func faceChoice() throws {
        let detections = Self.clip(10)
        let first = try FaceTrack(detections: detections, smoothingRadius: 0).frames
        let second = try FaceTrack(detections: detections, face: 1, smoothingRadius: 0).frames
        #expect(first.allSatisfy { $0.centerX > 150 })
        #expect(second.allSatisfy { abs($0.centerX - FaceFrame.emoPortraits(for: Self.face(40, 40, 8)).centerX) < 1e-9 })
        // If the small face grows to be the largest, the track still follows the face it started on.
        var swapped = detections
        for i in 5..<10 { swapped[i] = [Self.face(40, 40, 30), detections[i][0]] }
        let followed = try FaceTrack(detections: swapped, smoothingRadius: 0).frames
        #expect(followed.allSatisfy { $0.centerX > 150 })
    }

    @Test("frames without the face keep the previous crop (before the first face: the first one) and are counted")
    func gapsKeepTheLastCrop() throws {
        var detections = Self.clip(12)
        for i in [0, 1, 6, 7, 8] { detections[i] = [] }
        let track = try FaceTrack(detections: detections, smoothingRadius: 0)
        #expect(track.missingFrames == 5)
        #expect(track.frames[0] == track.frames[2] && track.frames[1] == track.frames[2])
        #expect(track.frames[6] == track.frames[5] && track.frames[8] == track.frames[5])
        #expect(track.frames[9] == FaceFrame.emoPortraits(for: detections[9][0]))
    }

    @Test("no face anywhere, or a face index no frame has, throws noFace")
    func noFace() {
        #expect(throws: FaceError.self) { try FaceTrack(detections: [[], []], smoothingRadius: 2) }
        #expect(throws: FaceError.self) { try FaceTrack(detections: Self.clip(3), face: 2, smoothingRadius: 2) }
        #expect(throws: FaceError.self) { try FaceTrack(detections: Self.clip(3), face: -1, smoothingRadius: 2) }
    }
}
