import Foundation

/// Temporary-file-then-rename discipline for every file Media writes: readers see either no
/// file (or the previous one) or the complete new one, never a partial file.
enum AtomicOutput {
    /// A hidden temporary path in the same folder as `path` (so the final rename stays on one
    /// file system). Throws `cannotWrite` when the folder does not exist.
    static func temporaryPath(for path: String) throws(MediaError) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .cannotWrite(path: path, reason: "folder \(folder) does not exist")
        }
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(tag)").path
    }

    /// Renames the finished temporary file over `path`; removes it if the rename fails.
    static func commit(_ temporary: String, to path: String) throws(MediaError) {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
    }

    /// Writes `data` to `path` through a temporary file renamed over it when complete.
    static func write(_ data: Data, to path: String) throws(MediaError) {
        let temporary = try temporaryPath(for: path)
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            discard(temporary)
            throw .cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        try commit(temporary, to: path)
    }

    /// Removes a temporary file, ignoring a file that is already gone.
    static func discard(_ temporary: String) {
        unlink(temporary)
    }
}
