import Foundation
#if canImport(Media)
import Media
#endif

/// Output problems found before any decoding or network work: an extension no writer handles, a
/// folder meant but written without its trailing slash, a missing or unwritable folder, an output
/// path that is a folder. Called by every command's `preflight` (see `CommandFiles.swift`);
/// `OutputSink` still checks what it opens, this only moves the failure to the start.
enum OutputPreflight {
    /// The video containers a render or `merge` writes (H.264).
    static let videoExtensions = ["mp4", "mov", "mkv", "m4v"]

    /// What a render writes at a path: the same rules as `OutputSink`.
    enum RenderKind: Equatable {
        case video, png, directory, tensor
    }

    /// The render output kind of `path` (a trailing `/` or an existing folder: numbered PNGs).
    static func renderKind(_ path: String, option: String = "-o") throws -> RenderKind {
        if path.hasSuffix("/") || isFolder(path) { return .directory }
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "png" { return .png }
        if ext == "safetensors" { return .tensor }
        if videoExtensions.contains(ext) { return .video }
        let kinds = "OUT.mp4 (or .mov, .mkv, .m4v: H.264 video), OUT.png (one frame), DIR/ (numbered PNGs) or OUT.safetensors (one float frame)"
        if ext.isEmpty {
            throw OutputProblem(path: path, option: option,
                                reason: "unknown output kind (no extension): for a folder of numbered PNGs end it with a slash (\(path)/), for a video add .mp4; outputs are \(kinds)")
        }
        throw OutputProblem(path: path, option: option, reason: "unknown output kind '.\(ext)': use \(kinds)")
    }

    /// Checks a render output: its kind, its folder, and for a video that the audio of
    /// `audioSource` (when given) fits the container. Returns the kind.
    @discardableResult
    static func checkRender(_ path: String, option: String = "-o", audioSource: String?) throws -> RenderKind {
        let kind = try renderKind(path, option: option)
        if kind == .directory { try checkFolderCreatable(path, option: option) } else { try checkParent(path, option: option) }
        #if canImport(Media)
        if kind == .video, let audioSource { try checkAudio(from: audioSource, into: path, option: option) }
        #endif
        return kind
    }

    /// Checks a single-file output: it is not a folder, its extension is one of `extensions`
    /// (any when nil), and its folder exists and is writable.
    static func checkFile(_ path: String, option: String, extensions: [String]?) throws {
        if path.hasSuffix("/") || isFolder(path) {
            throw OutputProblem(path: path, option: option, reason: "is a folder; this output is one file: give a file name")
        }
        if let extensions {
            let ext = (path as NSString).pathExtension.lowercased()
            guard extensions.contains(ext) else {
                throw OutputProblem(path: path, option: option,
                                    reason: "\(ext.isEmpty ? "has no extension" : "'.\(ext)' is not written here"); give a file ending in .\(extensions.joined(separator: " or ."))")
            }
        }
        try checkParent(path, option: option)
    }

    /// Throws unless the folder that will hold `path` exists and is writable.
    static func checkParent(_ path: String, option: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw OutputProblem(path: path, option: option, reason: "cannot write: its folder \(folder) does not exist; create it first (mkdir -p \(folder))")
        }
        guard isDirectory.boolValue else { throw OutputProblem(path: path, option: option, reason: "cannot write: \(folder) is a file, not a folder") }
        guard access(folder, W_OK) == 0 else { throw OutputProblem(path: path, option: option, reason: "cannot write: its folder \(folder) is not writable") }
    }

    /// Throws unless the folder `path` exists or can be made: its nearest existing ancestor is a
    /// writable folder.
    static func checkFolderCreatable(_ path: String, option: String) throws {
        var current = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current.isEmpty ? "." : current, isDirectory: &isDirectory) {
                let existing = current.isEmpty ? "." : current
                guard isDirectory.boolValue else {
                    throw OutputProblem(path: path, option: option, reason: "cannot write: \(existing) is a file, not a folder")
                }
                guard access(existing, W_OK) == 0 else { throw OutputProblem(path: path, option: option, reason: "cannot write: the folder \(existing) is not writable") }
                return
            }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current { return }
            current = parent
        }
    }

    #if canImport(Media)
    /// Throws when the audio of `source` cannot be copied into the container of `path`.
    static func checkAudio(from source: String, into path: String, option: String) throws {
        guard let codec = try? AudioCompatibility.audioCodec(of: source),
              AudioCompatibility.container(of: path, accepts: codec) == false else { return }
        let others = videoExtensions.filter { AudioCompatibility.container(of: "x.\($0)", accepts: codec) == true }
        throw OutputProblem(path: path, option: option,
                            reason: "the driver \(source) has \(codec) audio, which a \(AudioCompatibility.muxerName(for: path)) file cannot hold; "
                                + (others.isEmpty ? "" : "write .\(others.joined(separator: " or ."))") + (others.isEmpty ? "add --no-audio" : ", or add --no-audio"))
    }
    #endif

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// An output the command cannot write, found before any work.
struct OutputProblem: Error, CustomStringConvertible {
    let path: String
    let option: String
    let reason: String
    var description: String { "\(option) \(path): \(reason)" }
}
