import Foundation

/// Where the committed test fixtures and assets lie, found from this file's own path.
public enum FixturePaths {
    /// The repository's root folder.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<name>`.
    public static func folder(_ name: String) -> URL { root.appendingPathComponent("Tests/Fixtures/\(name)") }
}
