/// One face found by `FaceDetector`, in the pixels of the image it was given.
public struct DetectedFace: Sendable, Equatable {
    /// Left edge, in pixels from the image's left.
    public var x: Float
    /// Top edge, in pixels from the image's top.
    public var y: Float
    /// Box width in pixels.
    public var width: Float
    /// Box height in pixels.
    public var height: Float
    /// Confidence in [0, 1]: √(sigmoid(class) · sigmoid(objectness)), as libfacedetection scores.
    public var score: Float
    /// Five landmarks `(x, y)` in YuNet's order: the two eyes, the nose tip, the two mouth
    /// corners (image-left point of each pair first for an upright, frontal face).
    public var landmarks: [SIMD2<Float>]

    /// Creates a face.
    public init(x: Float, y: Float, width: Float, height: Float, score: Float, landmarks: [SIMD2<Float>]) {
        self.x = x; self.y = y; self.width = width; self.height = height
        self.score = score; self.landmarks = landmarks
    }

    /// Box area in square pixels.
    public var area: Float { width * height }

    /// The box as `[x, y, width, height]`.
    public var box: [Float] { [x, y, width, height] }

    /// This face with its box and landmarks multiplied by `factor` (a detection made on a
    /// picture resized by `1 / factor`, brought back to the original's pixels).
    public func scaled(by factor: Float) -> DetectedFace {
        DetectedFace(x: x * factor, y: y * factor, width: width * factor, height: height * factor, score: score,
                     landmarks: landmarks.map { $0 * factor })
    }

    /// Intersection over union of the two boxes (0 when they do not overlap), as libfacedetection's
    /// `JaccardOverlap`.
    public func overlap(_ other: DetectedFace) -> Float {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(x + width, other.x + other.width), bottom = min(y + height, other.y + other.height)
        guard right > left, bottom > top else { return 0 }
        let intersection = (right - left) * (bottom - top)
        return intersection / (area + other.area - intersection)
    }

    /// The share of the smaller box that the two boxes have in common (1 when one box lies inside
    /// the other, 0 when they do not overlap): a face found twice, as the face and as the whole
    /// head around it, has a low IoU but a high `nesting`.
    public func nesting(_ other: DetectedFace) -> Float {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(x + width, other.x + other.width), bottom = min(y + height, other.y + other.height)
        guard right > left, bottom > top, min(area, other.area) > 0 else { return 0 }
        return (right - left) * (bottom - top) / min(area, other.area)
    }
}

/// Settings of the post-processing, with libfacedetection's values as defaults (except the
/// score threshold, which that library leaves to its caller: it returns everything ≥ 0.2).
public struct FaceDetectionOptions: Sendable, Equatable {
    /// Faces scoring below this are dropped (libfacedetection keeps ≥ 0.2 and its example
    /// draws them all). The default 0.6 reports no cat at any scale of the measured set and half
    /// the non-human false positives of 0.5; every face of the held-out photos is still found, 2 of
    /// 1000 upscaled 25 px LFW thumbnails are not (docs/face-detection.md,
    /// reference/face_detection_eval.py).
    public var scoreThreshold: Float
    /// Non-maximum suppression drops a box whose IoU with a better one exceeds this (0.45).
    public var overlapThreshold: Float
    /// Suppression also drops a box that shares more than this share of the smaller box with a
    /// better one (`DetectedFace.nesting`): one face found twice at two scales, e.g. the face and
    /// the whole head around it, which IoU alone keeps. 1 turns the rule off (libfacedetection
    /// has none).
    public var nestingThreshold: Float
    /// Candidates kept before NMS, best first (1000).
    public var candidateLimit: Int
    /// Faces kept after NMS (512).
    public var faceLimit: Int

    /// Creates options; the defaults are libfacedetection's, with a 0.6 score threshold and
    /// nested boxes suppressed at 0.6.
    public init(scoreThreshold: Float = 0.6, overlapThreshold: Float = 0.45, nestingThreshold: Float = 0.6,
                candidateLimit: Int = 1000, faceLimit: Int = 512) {
        self.scoreThreshold = scoreThreshold; self.overlapThreshold = overlapThreshold
        self.nestingThreshold = nestingThreshold
        self.candidateLimit = candidateLimit; self.faceLimit = faceLimit
    }

    /// libfacedetection's own settings: everything scoring ≥ 0.2, IoU suppression only.
    public static let libfacedetection = FaceDetectionOptions(scoreThreshold: 0.2, nestingThreshold: 1)

    func validate() throws {
        guard (0...1).contains(scoreThreshold), (0...1).contains(overlapThreshold), (0...1).contains(nestingThreshold),
              candidateLimit >= 1, faceLimit >= 1 else {
            throw FaceError.badOption("score threshold \(scoreThreshold), overlap threshold \(overlapThreshold) and nesting threshold \(nestingThreshold) must lie in [0, 1] and the limits (\(candidateLimit), \(faceLimit)) be ≥ 1")
        }
    }
}
