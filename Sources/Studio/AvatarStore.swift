import Foundation

/// A saved avatar: the per-source state `portrait avatar` wrote for one source and config.
public struct SavedAvatar: Codable, Sendable {
    /// The server-made id.
    public let id: String
    /// The config it was made for (a render with it must use the same).
    public let config: String
    /// The source's display name.
    public let name: String
}

/// The avatars in the work folder's `avatars/`, by id; made by avatar jobs, listed again at start.
public final class AvatarStore: @unchecked Sendable {
    private let lock = NSLock()
    private var avatars: [String: SavedAvatar] = [:]
    private let folder: WorkFolder

    /// The avatars already in `folder` (their metadata from the `.json` beside each).
    public init(folder: WorkFolder) {
        self.folder = folder
        let dir = folder.root.appendingPathComponent("avatars")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            guard Identifier.isWellFormed(id), FileManager.default.fileExists(atPath: folder.avatar(id).path),
                  let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path),
                  let avatar = try? JSONDecoder().decode(SavedAvatar.self, from: data), avatar.id == id else { continue }
            avatars[id] = avatar
        }
    }

    /// Every avatar, newest names first as listed.
    public var all: [SavedAvatar] {
        lock.lock(); defer { lock.unlock() }
        return avatars.values.sorted { $0.name < $1.name }
    }

    /// Records a finished avatar job's file (its metadata written beside it).
    func add(_ avatar: SavedAvatar) throws {
        let data = try JSONEncoder().encode(avatar)
        try data.write(to: folder.avatar(avatar.id).deletingPathExtension().appendingPathExtension("json"), options: .atomic)
        lock.lock(); defer { lock.unlock() }
        avatars[avatar.id] = avatar
    }

    /// The avatar `id`, or a 404.
    func avatar(_ id: String) throws -> SavedAvatar {
        lock.lock(); defer { lock.unlock() }
        guard Identifier.isWellFormed(id), let avatar = avatars[id] else {
            throw StudioError.notFound("no saved avatar with id '\(id.prefix(40))'; save one from a source first")
        }
        return avatar
    }

    /// Where avatar `id`'s file lies.
    func path(_ id: String) -> String { folder.avatar(id).path }
}
