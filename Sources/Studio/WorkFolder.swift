import Foundation

/// The folder the server owns: every file it reads or writes lies under it, under a name the
/// server made (`uploads/ID.EXT`, `jobs/ID/...`, `avatars/ID.safetensors`). Nothing a client sends
/// is ever joined to a path.
public struct WorkFolder: Sendable {
    /// The folder itself (absolute, standardised).
    public let root: URL

    /// Uses `path`, making it and its subfolders when missing.
    public init(path: String) throws {
        root = URL(fileURLWithPath: path).standardizedFileURL
        for sub in ["uploads", "jobs", "avatars"] {
            do {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
            } catch {
                throw StudioError(status: 500, "cannot make the work folder \(root.appendingPathComponent(sub).path): \(error.localizedDescription); pass a writable --work DIR")
            }
        }
    }

    /// Where upload `id` of `kind` lives.
    func upload(_ id: String, kind: MediaKind) -> URL {
        root.appendingPathComponent("uploads").appendingPathComponent("\(id).\(kind.fileExtension)")
    }

    /// Job `id`'s own folder (made when missing).
    func jobFolder(_ id: String) throws -> URL {
        let url = root.appendingPathComponent("jobs").appendingPathComponent(id)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Where saved avatar `id` lives.
    func avatar(_ id: String) -> URL {
        root.appendingPathComponent("avatars").appendingPathComponent("\(id).safetensors")
    }

    /// A temporary name beside the uploads, for a file still arriving.
    func partialUpload() -> URL {
        root.appendingPathComponent("uploads").appendingPathComponent(".partial-\(Identifier.make())")
    }
}
