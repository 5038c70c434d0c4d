import Foundation

/// The ids the server makes for uploads and jobs: 32 lowercase hex digits. A client's id is only
/// ever looked up in the server's own tables after this check; it never becomes part of a path.
public enum Identifier {
    /// A new random id.
    public static func make() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Whether `text` has the form of an id the server makes.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
