/// Errors of the LivePortrait configs, inputs and source files. Each message says what was
/// expected, what was found, and what to do.
public enum LivePortraitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No preset has this name and no file exists at that path.
    case unknownConfig(String, presets: [String])
    /// A config file is unreadable, lacks a field, or breaks a structural rule.
    case invalidConfig(source: String, reason: String)
    /// An input image tensor is unusable (`role`: `source` or `driver`).
    case invalidImage(role: String, expected: [Int], found: [Int], notFinite: Bool)
    /// A motion, keypoint set or option does not fit the network (wrong keypoint count, ratios...).
    case invalidInput(String)
    /// A source file could not be read or is not a LivePortrait source file.
    case sourceFile(path: String, reason: String)
    /// A source was made with another config than the network's.
    case incompatibleSource(sourceConfig: String, networkConfig: String)
    /// A source was made with other weights than the network's (fingerprints differ).
    case sourceWeightsMismatch(sourceWeights: String, networkWeights: String)
    /// A driving picture in relative mode needs the official neutral expression, and the config has none.
    case noNeutralExpression(config: String)

    /// A one-line message: what was expected, what was found, what to do.
    public var description: String {
        switch self {
        case .unknownConfig(let n, let p):
            return "no LivePortrait config preset named '\(n)' and no such file (presets: \(p.joined(separator: ", ")); or pass the config JSON the converter wrote)"
        case .invalidConfig(let s, let r): return "LivePortrait config \(s): \(r)"
        case .invalidImage(let role, let e, let f, let notFinite):
            if notFinite { return "\(role) image contains NaN or infinite values" }
            return "\(role) image: expected a tensor of shape \(e) (batch 1, RGB in [0, 1], the network's input size), found \(f); crop and resize it first"
        case .invalidInput(let r): return r
        case .sourceFile(let p, let r): return "\(p): not a usable LivePortrait source file: \(r); make it again with the same model"
        case .incompatibleSource(let s, let n):
            return "the source was made with config '\(s)' but the network runs '\(n)'; make the source again with this model"
        case .sourceWeightsMismatch(let s, let n):
            return "the source was made with other weights (fingerprint \(s)) than the network's (\(n)); make the source again with these weights"
        case .noNeutralExpression(let c):
            return "a driving picture (not a video) moves the source's expression relative to LivePortrait's neutral expression, which config '\(c)' lacks: convert the weights with `reference/convert.py --liveportrait DIR --lip-array LivePortrait/src/utils/resources/lip_array.pkl` and pass the config JSON it writes, or use --absolute-motion"
        }
    }
}
