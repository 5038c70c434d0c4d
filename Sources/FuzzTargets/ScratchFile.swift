import Foundation
import Media

/// The temporary file through which path-based readers (libpng, libavformat) see fuzz input: one
/// per process and target, in /dev/shm when there is one (each write stays in memory), removed
/// after each use.
enum ScratchFile {
    /// Writes `data` to the scratch file for `target`, runs `body` on its path, removes it.
    static func with<T>(_ data: Data, for target: String, _ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = (folder as NSString).appendingPathComponent("portrait-fuzz-\(getpid())-\(target)")
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            throw MediaError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        defer { unlink(path) }
        return try body(path)
    }
}
