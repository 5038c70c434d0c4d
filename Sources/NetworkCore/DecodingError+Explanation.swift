import Foundation

extension DecodingError {
    /// A one-line reason for a config file that failed to decode, naming the field by its dotted
    /// path (`motion.num_kp`, `stitching.hidden_sizes.0`): missing, of the wrong type, null, or
    /// malformed JSON. Each network's config errors wrap it with the file's name.
    public var explanation: String { explanation(keyName: { $0 }) }

    /// `explanation` with each key spelled by `keyName` (e.g. camelCase → the file's snake_case
    /// when the decoder converts key names).
    public func explanation(keyName: (String) -> String) -> String {
        func path(_ c: [CodingKey]) -> String { c.map { $0.intValue.map(String.init) ?? keyName($0.stringValue) }.joined(separator: ".") }
        switch self {
        case .keyNotFound(let key, let ctx): return "missing field '\(path(ctx.codingPath + [key]))'"
        case .typeMismatch(let type, let ctx): return "field '\(path(ctx.codingPath))': expected \(type)"
        case .valueNotFound(let type, let ctx): return "field '\(path(ctx.codingPath))': expected \(type), found null"
        case .dataCorrupted(let ctx): return "malformed JSON at '\(path(ctx.codingPath))': \(ctx.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
