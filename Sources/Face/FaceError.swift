import Runtime

/// Errors from loading the detector's weights or calling `FaceDetector` with unusable input.
public enum FaceError: Error, CustomStringConvertible, Sendable {
    /// A tensor the network needs is not in the weights.
    case missingTensor(name: String, expectedShape: [Int])
    /// A weight tensor has the wrong shape.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// The weights hold an unexpected or non-finite array.
    case badWeights(String)
    /// The image tensor is not `[3, H, W]` / `[1, 3, H, W]`, or is empty.
    case badImage(String)
    /// A detection option is out of range.
    case badOption(String)
    /// Landmarks handed to a framing or ratio function are not the layout it reads (too few points,
    /// or a degenerate face: eyes on top of each other).
    case badLandmarks(String)
    /// No usable face in a picture or a whole clip (`what` names it and the face asked for).
    case noFace(String)

    /// What went wrong, what was expected and what to do.
    public var description: String {
        switch self {
        case .missingTensor(let name, let shape):
            return "YuNet weights have no tensor '\(name)' (expected shape \(shape)); use libfacedetection's weights as shipped in Sources/YuNetWeights"
        case .wrongShape(let name, let expected, let found):
            return "YuNet tensor '\(name)' has shape \(found), expected \(expected)"
        case .badWeights(let what):
            return "YuNet weights: \(what); use libfacedetection's weights as shipped in Sources/YuNetWeights"
        case .badImage(let what):
            return "face detection: \(what)"
        case .badOption(let what):
            return "face detection: \(what)"
        case .badLandmarks(let what):
            return "face landmarks: \(what)"
        case .noFace(let what):
            return "\(what); frame the face yourself with --crop x,y,size, or use --crop none for the centred square"
        }
    }
}
