import Face
import Foundation
import Testing

/// `LandmarkAnchoring` and `FaceTrack`'s landmark-based smoothing on synthetic tracks: a face moving
/// smoothly, its "box" framing noisy, its landmark anchor steady.
struct LandmarkAnchoringTests {
    /// The true motion of frame `i`: drifting right and growing.
    static func truth(_ i: Int) -> FaceFrame { FaceFrame(centerX: 200 + 2 * Double(i), centerY: 150 + 0.5 * Double(i), side: 100 + 0.3 * Double(i)) }

    /// A deterministic noise in −1…1.
    static func noise(_ i: Int, _ k: Int) -> Double { sin(Double(i * 7919 + k * 104_729)) }

    /// The box framing: 2.2× the truth, 10 % of it lower, with ±3 % jitter; the anchor: the truth with ±0.5 % jitter.
    static func framings(_ n: Int) -> (box: [FaceFrame], anchors: [FaceFrame]) {
        let box = (0..<n).map { i -> FaceFrame in
            let t = truth(i)
            let x: Double = t.centerX + 0.03 * t.side * noise(i, 0)
            let y: Double = t.centerY + 0.1 * t.side + 0.03 * t.side * noise(i, 1)
            let side: Double = 2.2 * t.side * (1 + 0.03 * noise(i, 2))
            return FaceFrame(centerX: x, centerY: y, side: side)
        }
        let anchors = (0..<n).map { i -> FaceFrame in
            let t = truth(i)
            let x: Double = t.centerX + 0.005 * t.side * noise(i, 3)
            let y: Double = t.centerY + 0.005 * t.side * noise(i, 4)
            return FaceFrame(centerX: x, centerY: y, side: t.side)
        }
        return (box, anchors)
    }

    /// Mean |second difference| of the centre and side, in % of the side.
    static func jitter(_ f: [FaceFrame]) -> Double {
        var total = 0.0
        for i in 1..<(f.count - 1) {
            let x: Double = abs(f[i + 1].centerX - 2 * f[i].centerX + f[i - 1].centerX)
            let y: Double = abs(f[i + 1].centerY - 2 * f[i].centerY + f[i - 1].centerY)
            let side: Double = abs(f[i + 1].side - 2 * f[i].side + f[i - 1].side)
            total += (x + y + side) / f[i].side * 100
        }
        return total / Double(f.count - 2)
    }

    @Test("each frame is its anchor carried by the mean offset so far; frames without an anchor keep their framing")
    func anchoredIsTheMeanOffset() {
        let (box, anchors) = Self.framings(30)
        var given: [FaceFrame?] = anchors
        given[10] = nil
        let out = LandmarkAnchoring.anchored(box, anchors: given, lookahead: 3)
        #expect(out[10] == box[10])
        // Frame 20 by hand: the mean over frames 0…23 that have an anchor.
        let used = (0...23).filter { $0 != 10 }
        func mean(_ f: (Int) -> Double) -> Double { used.map(f).reduce(0, +) / Double(used.count) }
        let dx = mean { (box[$0].centerX - anchors[$0].centerX) / anchors[$0].side }
        let dy = mean { (box[$0].centerY - anchors[$0].centerY) / anchors[$0].side }
        let ratio = mean { box[$0].side / anchors[$0].side }
        #expect(abs(out[20].centerX - (anchors[20].centerX + dx * anchors[20].side)) < 1e-9)
        #expect(abs(out[20].centerY - (anchors[20].centerY + dy * anchors[20].side)) < 1e-9)
        #expect(abs(out[20].side - ratio * anchors[20].side) < 1e-9)
        // The framing's proportions are kept on average: side ≈ 2.2 anchors, centre 0.1 sides lower.
        #expect(abs(ratio - 2.2) < 0.03 && abs(dy - 0.1) < 0.01)
        // Prefixes: frame i depends on frames 0 … i + lookahead only.
        let part = LandmarkAnchoring.anchored(Array(box.prefix(15)), anchors: Array(given.prefix(15)), lookahead: 3)
        #expect(Array(part.prefix(12)) == Array(out.prefix(12)))
    }

    @Test("a track smoothed by its landmarks jitters less than one smoothed by its box, and keeps the box's framing on average")
    func trackFollowsTheLandmarks() throws {
        let (box, anchors) = Self.framings(60)
        // One face per frame whose index is the frame: the framings look it up.
        struct Face: TrackedFace { let frame: Int; func overlap(_ other: Face) -> Float { 1 } }
        let detections = (0..<60).map { [Face(frame: $0)] }
        let byBox = try FaceTrack(following: detections, smoothingRadius: 5, framing: { box[$0.frame] }).frames
        let byMarks = try FaceTrack(following: detections, smoothingRadius: 5, framing: { box[$0.frame] }, anchor: { anchors[$0.frame] }).frames
        #expect(Self.jitter(byMarks) < Self.jitter(byBox) / 2, "landmarks \(Self.jitter(byMarks)) %, box \(Self.jitter(byBox)) %")
        let meanSide = { (f: [FaceFrame]) in f.map(\.side).reduce(0, +) / Double(f.count) }
        #expect(abs(meanSide(byMarks) / meanSide(byBox) - 1) < 0.02)
        // Radius 0 is the official per-frame crop: no anchoring.
        let raw = try FaceTrack(following: detections, smoothingRadius: 0, framing: { box[$0.frame] }, anchor: { anchors[$0.frame] }).frames
        #expect(raw == box)
    }
}
