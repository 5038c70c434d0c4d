import Foundation

/// One face followed through a clip: its framing on every frame, gaps filled and jitter smoothed.
///
/// Deterministic by construction: frame `i`'s framing depends only on the detections of frames
/// `0 … i + smoothingRadius`, so rendering any prefix of a clip (or the clip in pieces from one
/// track) gives the same crops, as long as the detections reach `smoothingRadius` frames past the
/// last frame rendered (or the clip's end).
public struct FaceTrack: Sendable, Equatable {
    /// The framing of every frame, in the frames' pixels.
    public let frames: [FaceFrame]
    /// Frames where the followed face was not found and the previous framing (or, before the face
    /// first appears, the first one found) was kept.
    public let missingFrames: Int
    /// Per frame, the index in that frame's detections of the face followed (nil where it was not
    /// found), e.g. to say which detector found it.
    public let picks: [Int?]

    /// Follows face `index` (0 = the largest, as `FaceDetector.detect` orders them) of the first
    /// frame that has that many faces; on later frames, the face overlapping the previous one the
    /// most (a frame where none overlaps counts as missing). Each framing is `framing(face)`,
    /// then averaged with Gaussian weights (σ = radius / 2) over the frames within
    /// `smoothingRadius` on each side; 0 keeps each frame's own framing, as the official inference.
    /// Throws `FaceError.noFace` when no frame has face `index`.
    public init(detections: [[DetectedFace]], face index: Int = 0, smoothingRadius: Int,
                framing: (DetectedFace) throws -> FaceFrame = FaceFrame.emoPortraits) throws {
        try self.init(following: detections, face: index, smoothingRadius: smoothingRadius, framing: framing)
    }

    /// `init(detections:face:smoothingRadius:framing:)` for any kind of found face (e.g. one that
    /// carries dense landmarks as well); rethrows what `framing` and `anchor` throw.
    ///
    /// With `anchor` (and a radius above 0), the smoothing follows the landmarks rather than the
    /// detector's box (`LandmarkAnchoring`): `anchor` gives a frame from a face's landmarks (nil for a
    /// face without them), steadier from frame to frame than `framing`'s box-based one; each frame's
    /// framing becomes its anchor carried by the mean offset of `framing` from the anchor over the
    /// frames so far, then smoothed as before.
    public init<Found: TrackedFace>(following detections: [[Found]], face index: Int = 0, smoothingRadius: Int,
                                    framing: (Found) throws -> FaceFrame, anchor: ((Found) throws -> FaceFrame?)? = nil) throws {
        guard index >= 0, smoothingRadius >= 0 else {
            throw FaceError.badOption("the face index (\(index)) and smoothing radius (\(smoothingRadius)) must not be negative")
        }
        guard let first = detections.firstIndex(where: { $0.count > index }) else {
            let most = detections.map(\.count).max() ?? 0
            throw FaceError.noFace(index == 0 ? "no face found in any of \(detections.count) frames"
                                              : "face \(index) asked for, but no frame has more than \(most) face\(most == 1 ? "" : "s") (0 is the largest)")
        }
        var picks = [Int?](repeating: nil, count: detections.count)
        var previous = detections[first][index]
        picks[first] = index
        for frame in (first + 1)..<max(first + 1, detections.count) {
            let found = detections[frame]
            let best = found.indices.max { previous.overlap(found[$0]) < previous.overlap(found[$1]) }
            if let best, previous.overlap(found[best]) > 0 {
                picks[frame] = best
                previous = found[best]
            }
        }
        self.picks = picks
        let picked = picks.indices.map { frame in picks[frame].map { detections[frame][$0] } }
        var raw: [FaceFrame] = []
        var anchors: [FaceFrame?] = []
        var last = try framing(detections[first][index])
        var lastAnchor = try anchor?(detections[first][index])
        for face in picked {
            if let face {
                last = try framing(face)
                lastAnchor = try anchor?(face)
            }
            raw.append(last)
            anchors.append(lastAnchor)
        }
        missingFrames = picked.filter { $0 == nil }.count
        if anchor != nil, smoothingRadius > 0 { raw = LandmarkAnchoring.anchored(raw, anchors: anchors, lookahead: smoothingRadius) }
        frames = Self.smoothed(raw, radius: smoothingRadius)
    }

    /// Each frame replaced by the Gaussian-weighted mean (σ = radius / 2) of the frames within
    /// `radius` of it, the window cut at the clip's ends.
    static func smoothed(_ raw: [FaceFrame], radius: Int) -> [FaceFrame] {
        guard radius > 0 else { return raw }
        let sigma = Double(radius) / 2
        let weights = (0...radius).map { d in exp(-Double(d * d) / (2 * sigma * sigma)) }
        return raw.indices.map { i in
            var (x, y, side, total) = (0.0, 0.0, 0.0, 0.0)
            for j in max(0, i - radius)...min(raw.count - 1, i + radius) {
                let w = weights[abs(j - i)]
                x += w * raw[j].centerX; y += w * raw[j].centerY; side += w * raw[j].side; total += w
            }
            return FaceFrame(centerX: x / total, centerY: y / total, side: side / total)
        }
    }
}

/// A face a `FaceTrack` can follow from frame to frame: it says how much it overlaps another.
public protocol TrackedFace {
    /// Intersection over union of the two faces' boxes (0 when they do not overlap).
    func overlap(_ other: Self) -> Float
}

extension DetectedFace: TrackedFace {}
