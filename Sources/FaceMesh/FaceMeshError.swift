/// Errors from loading MediaPipe's converted networks or calling `DenseLandmarker` with unusable input.
public enum FaceMeshError: Error, CustomStringConvertible, Sendable {
    /// The weights file or its layer table is unusable (`what` says how).
    case badWeights(String)
    /// The image tensor is not `[3, H, W]` / `[1, 3, H, W]` with values, or is empty.
    case badImage(String)
    /// An option is out of range.
    case badOption(String)

    /// What went wrong, what was expected and what to do.
    public var description: String {
        switch self {
        case .badWeights(let what):
            return "MediaPipe face networks: \(what); regenerate them with reference/convert_mediapipe.py from the mediapipe 0.10.21 .tflite files"
        case .badImage(let what):
            return "face landmarks: \(what)"
        case .badOption(let what):
            return "face landmarks: \(what)"
        }
    }
}
