import Face
import Testing

/// The causal crop smoother `portrait live` frames a streamed face with.
struct OnlineCropSmootherTests {
    @Test("the mean of the last frames only; a still face gives a still crop; nil keeps the last crop")
    func causalMean() {
        var smoother = OnlineCropSmoother(window: 3)
        #expect(smoother.update(nil) == nil)
        #expect(smoother.update(FaceFrame(centerX: 100, centerY: 100, side: 200)) == FaceFrame(centerX: 100, centerY: 100, side: 200))
        #expect(smoother.update(FaceFrame(centerX: 103, centerY: 100, side: 200)) == FaceFrame(centerX: 101.5, centerY: 100, side: 200))
        #expect(smoother.update(FaceFrame(centerX: 106, centerY: 97, side: 206)) == FaceFrame(centerX: 103, centerY: 99, side: 202))
        // The first frame leaves the window.
        #expect(smoother.update(FaceFrame(centerX: 109, centerY: 97, side: 206)) == FaceFrame(centerX: 106, centerY: 98, side: 204))
        #expect(smoother.update(nil) == FaceFrame(centerX: 106, centerY: 98, side: 204))
    }

    @Test("a jump of more than half the side (a cut) restarts the average instead of sliding across")
    func jumpRestarts() {
        var smoother = OnlineCropSmoother(window: 5)
        for _ in 0..<5 { _ = smoother.update(FaceFrame(centerX: 100, centerY: 100, side: 100)) }
        let far = FaceFrame(centerX: 400, centerY: 100, side: 120)
        #expect(smoother.update(far) == far)
        // A small move after it is averaged with the new position only.
        #expect(smoother.update(FaceFrame(centerX: 404, centerY: 100, side: 120)) == FaceFrame(centerX: 402, centerY: 100, side: 120))
    }
}
