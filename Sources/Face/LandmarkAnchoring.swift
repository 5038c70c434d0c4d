/// Landmark-based crop smoothing for a clip: a face's official framing follows its detector's box,
/// whose size and place jitter from frame to frame more than the face's dense landmarks do
/// (docs/face-detection.md measures both). Here each frame's framing is rebuilt from a frame
/// computed from its landmarks (the anchor) and the framing's mean offset from the anchors: the
/// motion comes from the landmarks, the framing's proportions from the box, averaged.
public enum LandmarkAnchoring {
    /// Frame `i` becomes anchor `i` carried by the mean relative offset of `framings` from
    /// `anchors` over frames `0 … i + lookahead` (centre offset in anchor sides, side ratio), so
    /// that frame `i` depends only on those frames (a clip's prefix keeps its framing). Frames
    /// without an anchor (a face found without landmarks) keep their own framing and add nothing
    /// to the mean; `anchors` beyond its end count as nil.
    public static func anchored(_ framings: [FaceFrame], anchors given: [FaceFrame?], lookahead: Int) -> [FaceFrame] {
        let anchors = framings.indices.map { $0 < given.count ? given[$0] : nil }
        var sums: [SIMD3<Double>] = []
        var counts: [Int] = []
        var sum = SIMD3<Double>.zero, count = 0
        for (framing, anchor) in zip(framings, anchors) {
            if let anchor, anchor.side > 0 {
                sum += SIMD3((framing.centerX - anchor.centerX) / anchor.side, (framing.centerY - anchor.centerY) / anchor.side,
                             framing.side / anchor.side)
                count += 1
            }
            sums.append(sum)
            counts.append(count)
        }
        return framings.indices.map { i in
            let reach = min(framings.count - 1, i + max(0, lookahead))
            guard let anchor = anchors[i], anchor.side > 0, counts[reach] > 0 else { return framings[i] }
            let mean = sums[reach] / Double(counts[reach])
            return FaceFrame(centerX: anchor.centerX + mean.x * anchor.side, centerY: anchor.centerY + mean.y * anchor.side,
                             side: mean.z * anchor.side)
        }
    }
}
