import Foundation

/// What can go wrong loading or running the few-shot talking-heads network.
public enum FewShotError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The weights file lacks or misreads its `widths` metadata.
    case badWidths(path: String, found: String)
    /// A tensor the widths imply is missing.
    case missingTensor(name: String, expectedShape: [Int])
    /// A tensor has another shape than the widths imply.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// A tensor the layout does not know.
    case unexpectedTensor(name: String)
    /// An input image of the wrong shape.
    case badInput(what: String, expected: String, found: [Int])
    /// A saved identity that does not fit these weights.
    case identityMismatch(expected: Int, found: Int)
    /// A file that is no saved identity for these weights.
    case badIdentityFile(path: String, problem: String)
    /// A config that is no few-shot config.
    case badConfig(source: String, problem: String)
    /// Weights whose widths are not the config's.
    case widthsMismatch(path: String, config: String, expected: String, found: String)
    /// No face found where the landmarks were needed.
    case noFace(role: String)
    /// A way of driving the network that it cannot honour.
    case unsupported(String)

    /// One line: what was expected, what was found, what to do.
    public var description: String {
        switch self {
        case .badWidths(let path, let found):
            return "\(path): expected few-shot weights with 'widths' metadata like '64,128,256,512,512,512;64,128,256,512;256,128,64,32;5;9' (made by reference/convert_fewshot.py), found '\(found)'; convert the checkpoint with that script"
        case .missingTensor(let name, let shape):
            return "few-shot weights: missing tensor \(name) \(shape); reconvert the checkpoint with reference/convert_fewshot.py"
        case .wrongShape(let name, let expected, let found):
            return "few-shot weights: \(name) has shape \(found), expected \(expected) for the widths in the file's metadata; reconvert the checkpoint"
        case .unexpectedTensor(let name):
            return "few-shot weights: unexpected tensor \(name) (not the few-shot layout); convert the checkpoint with reference/convert_fewshot.py"
        case .badInput(let what, let expected, let found):
            return "few-shot network: \(what) must be \(expected), got \(found)"
        case .identityMismatch(let expected, let found):
            return "few-shot identity: expected a vector of \(expected) values for these weights, found \(found); rebuild the avatar with the same weights"
        case .badIdentityFile(let path, let problem):
            return "\(path): not a few-shot identity for these weights: \(problem)"
        case .badConfig(let source, let problem):
            return "few-shot config \(source): \(problem)"
        case .widthsMismatch(let path, let config, let expected, let found):
            return "\(path): its widths '\(found)' are not those of config \(config) ('\(expected)'); pass the config made for them (--config fewshot-tiny for the test layout, or a JSON config with these widths)"
        case .noFace(let role):
            return "few-shot network: no face found in the \(role) to take its 68 landmarks from; frame the face (--crop, --source-crop, --driver-crop) or drive with a landmarks file"
        case .unsupported(let what):
            return what
        }
    }
}
