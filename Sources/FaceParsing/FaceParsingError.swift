import Runtime

/// Errors from loading face-parsing weights or calling `FaceParser` with unusable input.
public enum FaceParsingError: Error, CustomStringConvertible, Sendable {
    /// A tensor the network needs is not in the weights.
    case missingTensor(name: String, expectedShape: [Int])
    /// A tensor has a shape that does not fit the widths read from the weights.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// The weights hold a tensor that is not part of the layout (a different network?).
    case unexpectedTensor(name: String)
    /// The image tensor is not `[N, 3, H, W]`, or the network size is unusable.
    case badInput(String)
    /// A mask label outside the network's classes.
    case badLabel(Int, classes: Int)

    /// What went wrong, what was expected and what to do.
    public var description: String {
        switch self {
        case .missingTensor(let name, let shape):
            return "face-parsing weights have no tensor '\(name)' (expected shape \(shape)); convert the checkpoint with reference/convert_face_parsing.py"
        case .wrongShape(let name, let expected, let found):
            return "face-parsing tensor '\(name)' has shape \(found), expected \(expected) (the widths are read from resnet.conv1, the stage convs, context.arm16.conv, fusion.block and output.*)"
        case .unexpectedTensor(let name):
            return "face-parsing weights hold an unexpected tensor '\(name)'; is this a BiSeNet file written by reference/convert_face_parsing.py?"
        case .badInput(let what):
            return "face parsing: \(what)"
        case .badLabel(let label, let classes):
            return "face parsing: mask label \(label) is not a class of this network (0..<\(classes))"
        }
    }
}
