import Foundation

/// BlazeFace short-range's post-processing as MediaPipe configures it
/// (`face_detection_short_range.pbtxt` + `face_detection.pbtxt`): SSD anchors, box and keypoint
/// decoding, sigmoid scores with clipping, weighted non-maximum suppression. Coordinates here are
/// normalised to the 128² network input ([0, 1]).
public enum BlazeFaceDecoding {
    /// The network's input side.
    public static let inputSize = 128
    /// Values per anchor in the regressor output: box (4) and six keypoints (12).
    public static let coordinates = 16
    /// Keypoints per face.
    public static let keypointCount = 6
    /// Raw scores are clipped to ±100 before the sigmoid (`score_clipping_thresh`).
    public static let scoreClip: Float = 100
    /// Boxes overlapping a better one by more than this IoU are merged into it (`min_suppression_threshold`).
    public static let suppressionThreshold: Float = 0.3

    /// One decoded candidate, normalised to the network input.
    public struct Candidate: Sendable {
        /// Box corners.
        public var xmin: Float, ymin: Float, xmax: Float, ymax: Float
        /// Sigmoid score.
        public var score: Float
        /// The six keypoints.
        public var keypoints: [SIMD2<Float>]

        /// Creates a candidate.
        public init(xmin: Float, ymin: Float, xmax: Float, ymax: Float, score: Float, keypoints: [SIMD2<Float>]) {
            self.xmin = xmin; self.ymin = ymin; self.xmax = xmax; self.ymax = ymax; self.score = score; self.keypoints = keypoints
        }

        /// Intersection over union with `o` (0 when disjoint), as MediaPipe's `OverlapSimilarity`.
        public func overlap(_ o: Candidate) -> Float {
            let w = min(xmax, o.xmax) - max(xmin, o.xmin), h = min(ymax, o.ymax) - max(ymin, o.ymin)
            guard w > 0, h > 0 else { return 0 }
            let inter = w * h, union = (xmax - xmin) * (ymax - ymin) + (o.xmax - o.xmin) * (o.ymax - o.ymin) - inter
            return union > 0 ? inter / union : 0
        }
    }

    /// The 896 anchor centres of SsdAnchorsCalculator with the short-range options: 4 layers with
    /// strides 8, 16, 16, 16 on a 128² input, aspect ratio 1 plus the interpolated scale (2 anchors
    /// per layer), fixed anchor size (width = height = 1); layers of equal stride share one grid, so
    /// 16×16 cells × 2 anchors then 8×8 cells × 6, cells row-major, centres at (x + 0.5) / side.
    public static let anchors: [SIMD2<Float>] = {
        var out: [SIMD2<Float>] = []
        for (stride, perCell) in [(8, 2), (16, 6)] {
            let side = (inputSize + stride - 1) / stride
            for y in 0..<side {
                for x in 0..<side {
                    let centre = SIMD2(Float(x) + 0.5, Float(y) + 0.5) / Float(side)
                    out += Array(repeating: centre, count: perCell)
                }
            }
        }
        return out
    }()

    /// MediaPipe's sigmoid score of a raw classifier value, clipped to ±100 first.
    public static func score(_ raw: Float) -> Float { 1 / (1 + exp(-min(max(raw, -scoreClip), scoreClip))) }

    /// The candidates scoring at least `threshold`, from the regressors `[896 × 16]` (x, y, w, h
    /// then keypoint pairs, in input pixels relative to the anchor) and classifier logits `[896]`.
    public static func decode(regressors: [Float], scores: [Float], threshold: Float) -> [Candidate] {
        let scale = Float(inputSize)
        var out: [Candidate] = []
        for (i, anchor) in anchors.enumerated() {
            let s = score(scores[i])
            guard s >= threshold else { continue }
            let r = regressors[(i * coordinates)..<((i + 1) * coordinates)].map { $0 / scale }
            let cx = r[0] + anchor.x, cy = r[1] + anchor.y, w = r[2], h = r[3]
            guard w > 0, h > 0 else { continue }
            let keypoints = (0..<keypointCount).map { SIMD2(r[4 + 2 * $0] + anchor.x, r[5 + 2 * $0] + anchor.y) }
            out.append(Candidate(xmin: cx - w / 2, ymin: cy - h / 2, xmax: cx + w / 2, ymax: cy + h / 2, score: s, keypoints: keypoints))
        }
        return out
    }

    /// MediaPipe's weighted NMS: best score first; every remaining candidate whose IoU with it
    /// exceeds the threshold (itself included) is merged into one detection whose box corners and
    /// keypoints are the score-weighted means, keeping the best score; repeat on the rest.
    public static func weightedSuppression(_ candidates: [Candidate], threshold: Float = suppressionThreshold) -> [Candidate] {
        var remaining = candidates.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        var out: [Candidate] = []
        while let best = remaining.first {
            var merged: [Candidate] = [], rest: [Candidate] = []
            for c in remaining { if c.overlap(best) > threshold { merged.append(c) } else { rest.append(c) } }
            var result = best
            if !merged.isEmpty {
                let total = merged.reduce(0) { $0 + $1.score }
                func mean(_ f: (Candidate) -> Float) -> Float { merged.reduce(0) { $0 + f($1) * $1.score } / total }
                result.xmin = mean(\.xmin); result.ymin = mean(\.ymin); result.xmax = mean(\.xmax); result.ymax = mean(\.ymax)
                result.keypoints = (0..<best.keypoints.count).map { k in
                    SIMD2(mean { $0.keypoints[k].x }, mean { $0.keypoints[k].y })
                }
            }
            out.append(result)
            if rest.count == remaining.count { break }
            remaining = rest
        }
        return out
    }
}
