/// One face found by BlazeFace (MediaPipe's short-range face detector), in the pixels of the
/// image it was given.
public struct BlazeFaceDetection: Sendable, Equatable {
    /// Left edge, in pixels from the image's left.
    public var x: Float
    /// Top edge, in pixels from the image's top.
    public var y: Float
    /// Box width in pixels.
    public var width: Float
    /// Box height in pixels.
    public var height: Float
    /// Confidence in [0, 1]: the sigmoid of the (clipped) classifier logit, averaged by the
    /// weighted non-maximum suppression as MediaPipe does.
    public var score: Float
    /// BlazeFace's six keypoints `(x, y)` in MediaPipe's order: right eye, left eye, nose tip,
    /// mouth centre, right ear tragion, left ear tragion ("right"/"left" are the subject's: the
    /// right eye is on the image's left for an upright, frontal, unmirrored face).
    public var keypoints: [SIMD2<Float>]

    /// Creates a detection.
    public init(x: Float, y: Float, width: Float, height: Float, score: Float, keypoints: [SIMD2<Float>]) {
        self.x = x; self.y = y; self.width = width; self.height = height
        self.score = score; self.keypoints = keypoints
    }

    /// The box as `[x, y, width, height]`.
    public var box: [Float] { [x, y, width, height] }

    /// Intersection over union of the two boxes (0 when they do not overlap).
    public func overlap(_ other: BlazeFaceDetection) -> Float {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(x + width, other.x + other.width), bottom = min(y + height, other.y + other.height)
        guard right > left, bottom > top else { return 0 }
        let intersection = (right - left) * (bottom - top)
        return intersection / (width * height + other.width * other.height - intersection)
    }
}

/// A rotated rectangle in image pixels: the face region FaceMesh runs on, or an eye region.
public struct RotatedRegion: Sendable, Equatable {
    /// Centre, in pixels.
    public var centerX: Float, centerY: Float
    /// Side lengths in pixels, before rotation.
    public var width: Float, height: Float
    /// Rotation in radians, clockwise on the screen (y down), as MediaPipe's `NormalizedRect`.
    public var rotation: Float

    /// Creates a region.
    public init(centerX: Float, centerY: Float, width: Float, height: Float, rotation: Float) {
        self.centerX = centerX; self.centerY = centerY; self.width = width; self.height = height; self.rotation = rotation
    }
}

/// The dense landmarks of one face, as MediaPipe's FaceMesh + iris pipeline gives them, in the
/// pixels of the image it was given.
///
/// `x`, `y` are pixels from the image's top-left corner; `z` is depth in the same pixel scale as
/// `x` (MediaPipe's normalised z times the image width), smaller is nearer the camera, roughly
/// 0 at the face's centre.
public struct DenseFaceLandmarks: Sendable, Equatable {
    /// The BlazeFace detection the face was found from.
    public var detection: BlazeFaceDetection
    /// The rotated region FaceMesh ran on (from the detection: rotated so the eyes are level,
    /// enlarged 1.5×, square).
    public var region: RotatedRegion
    /// FaceMesh's face-presence flag through a sigmoid, in [0, 1]: low for a region that holds no
    /// face (a false detection).
    public var presence: Float
    /// The 468 FaceMesh points, in MediaPipe's canonical-mesh order.
    public var points: [SIMD3<Float>]
    /// The 71 eye-contour and brow points of the subject's right eye (the image-left one of an
    /// unmirrored frontal face; FaceMesh points 33/133 are its corners), from the iris network.
    public var rightEyeContour: [SIMD3<Float>]
    /// The 71 eye-contour and brow points of the subject's left eye (FaceMesh points 362/263).
    public var leftEyeContour: [SIMD3<Float>]
    /// The subject's right iris: centre, then four points on its rim.
    public var rightIris: [SIMD3<Float>]
    /// The subject's left iris: centre, then four points on its rim.
    public var leftIris: [SIMD3<Float>]

    /// Creates landmarks.
    public init(detection: BlazeFaceDetection, region: RotatedRegion, presence: Float, points: [SIMD3<Float>],
                rightEyeContour: [SIMD3<Float>], leftEyeContour: [SIMD3<Float>], rightIris: [SIMD3<Float>], leftIris: [SIMD3<Float>]) {
        self.detection = detection; self.region = region; self.presence = presence; self.points = points
        self.rightEyeContour = rightEyeContour; self.leftEyeContour = leftEyeContour
        self.rightIris = rightIris; self.leftIris = leftIris
    }

    /// The tight box `[x, y, width, height]` around the 468 points.
    public var pointsBox: [Float] {
        let xs = points.map(\.x), ys = points.map(\.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return [0, 0, 0, 0] }
        return [x0, y0, x1 - x0, y1 - y0]
    }
}
