import Foundation
import Testing
import FaceMesh

/// The detector's post-processing on hand-made numbers: anchors, decoding, weighted NMS.
struct BlazeFaceDecodingTests {
    @Test("896 anchors: 16×16 cells × 2 then 8×8 cells × 6, centres at (x + 0.5) / side")
    func anchors() {
        let a = BlazeFaceDecoding.anchors
        #expect(a.count == 896)
        #expect(a[0] == SIMD2(0.5 / 16, 0.5 / 16) && a[1] == a[0])
        #expect(a[2] == SIMD2(1.5 / 16, 0.5 / 16))
        #expect(a[511] == SIMD2(15.5 / 16, 15.5 / 16))
        #expect(a[512] == SIMD2(0.5 / 8, 0.5 / 8) && a[517] == a[512] && a[518] == SIMD2(1.5 / 8, 0.5 / 8))
        #expect(a[895] == SIMD2(7.5 / 8, 7.5 / 8))
    }

    @Test("decoding: offsets and sizes in input pixels around the anchor, sigmoid scores clipped at ±100, threshold")
    func decoding() {
        var regressors = [Float](repeating: 0, count: 896 * 16), scores = [Float](repeating: -5, count: 896)
        // Anchor 600 (8×8 grid, cell (x 4, y 4)... index (600 − 512) / 6 = 14 → y 1, x 6).
        let anchor = BlazeFaceDecoding.anchors[600]
        scores[600] = 500   // clipped to 100: score 1
        regressors.replaceSubrange(600 * 16..<601 * 16, with: [12.8, -6.4, 32, 64, 1.28, 2.56] + [Float](repeating: 0, count: 10))
        let found = BlazeFaceDecoding.decode(regressors: regressors, scores: scores, threshold: 0.5)
        #expect(found.count == 1)
        let c = found[0]
        #expect(abs(c.score - 1) < 1e-6)
        #expect(abs((c.xmin + c.xmax) / 2 - (anchor.x + 0.1)) < 1e-6 && abs((c.ymin + c.ymax) / 2 - (anchor.y - 0.05)) < 1e-6)
        #expect(abs(c.xmax - c.xmin - 0.25) < 1e-6 && abs(c.ymax - c.ymin - 0.5) < 1e-6)
        #expect(abs(c.keypoints[0].x - (anchor.x + 0.01)) < 1e-6 && abs(c.keypoints[0].y - (anchor.y + 0.02)) < 1e-6)
        #expect(abs(BlazeFaceDecoding.score(-1000) - 1 / (1 + exp(Float(100)))) < 1e-30)
        #expect(BlazeFaceDecoding.decode(regressors: regressors, scores: scores, threshold: 1.01).isEmpty)
    }

    @Test("weighted NMS merges overlapping boxes by score and keeps the best score; separate faces stay apart")
    func weightedSuppression() {
        func box(_ x: Float, _ score: Float) -> BlazeFaceDecoding.Candidate {
            .init(xmin: x, ymin: 0, xmax: x + 1, ymax: 1, score: score, keypoints: [SIMD2(x, 0)])
        }
        let merged = BlazeFaceDecoding.weightedSuppression([box(0.2, 0.6), box(0, 0.9), box(5, 0.7), box(0.1, 0.3)])
        #expect(merged.count == 2)
        let expected: Float = (0 * 0.9 + 0.2 * 0.6 + 0.1 * 0.3) / 1.8
        #expect(abs(merged[0].xmin - expected) < 1e-6 && abs(merged[0].keypoints[0].x - expected) < 1e-6)
        #expect(merged[0].score == 0.9 && merged[1].score == 0.7 && merged[1].xmin == 5)
    }

    @Test("regions: the face's eyes level it, 1.5× the longer side; angles wrap into [−π, π)")
    func regions() {
        let d = BlazeFaceDetection(x: 10, y: 20, width: 40, height: 30, score: 0.9,
                                   keypoints: [SIMD2(20, 30), SIMD2(30, 40), .zero, .zero, .zero, .zero])
        let r = DenseLandmarker.faceRegion(d)
        #expect(r.centerX == 30 && r.centerY == 35 && r.width == 60 && r.height == 60)
        #expect(abs(r.rotation - Float.pi / 4) < 1e-6)
        #expect(abs(DenseLandmarker.normalizedAngle(3 * Float.pi / 2) + Float.pi / 2) < 1e-5)
        let e = DenseLandmarker.eyeRegion(from: SIMD3(10, 10, 0), to: SIMD3(30, 14, 0))
        #expect(e.centerX == 20 && e.centerY == 12 && abs(e.width - 46) < 1e-4)
    }
}
