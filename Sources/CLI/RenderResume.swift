#if canImport(Media)
import Foundation
import Media

/// Makes a render into `DIR/` or a video resumable (`render --resume`): before the first frame it
/// records a `ResumeState` (`DIR/.portrait-resume.json`, or `resume.json` in the video's piece
/// folder `.OUT.mp4.pieces/`); a resumed run checks it against its own command and passes over the
/// frames already finished: a folder's PNGs that carry this render's label (each PNG is written
/// whole, so a present file is a complete frame), a video's whole keyframe pieces. When the render
/// completes, the state (and the piece folder) is removed.
final class RenderResume {
    /// The output's kind of resumable store.
    enum Store { case folder(String), pieces(String) }
    let store: Store
    /// The state of the interrupted render being resumed, or nil for a new render.
    let saved: ResumeState?
    private var frameTags: [String: String] = [:]
    private var pieces: [Range<Int>] = []
    private var kept = 0
    private var current: ResumeState?
    private var lockDescriptor: Int32 = -1

    /// The store for `output` (a sink of `kind`), loading the saved state when `resume` is set.
    /// nil for an output that cannot be resumed (one PNG, a tensor, a shard's segment); `--resume`
    /// there is an error.
    static func prepare(output: String, kind: OutputSink.Kind, shard: Bool, resume: Bool) throws -> RenderResume? {
        let store: Store
        switch kind {
        case .directory where !shard: store = .folder(output)
        case .video where !shard: store = .pieces(VideoPieces.folder(for: output))
        default:
            if resume {
                throw ResumeError.unsupported(shard
                    ? "--resume continues a whole render; a shard's segment is one piece: render it again"
                    : "--resume continues a render into DIR/ or a video; \(output) holds one frame: render it again")
            }
            return nil
        }
        let saved = resume ? try ResumeState.load(statePath(store)) : nil
        if resume && saved == nil {
            printError("portrait: no interrupted render to resume at \(output) (no \(statePath(store))); starting a new one")
        }
        return RenderResume(store: store, saved: saved)
    }

    private init(store: Store, saved: ResumeState?) {
        self.store = store
        self.saved = saved
    }

    /// The state file of `store`.
    static func statePath(_ store: Store) -> String {
        switch store {
        case .folder(let dir): return (dir as NSString).appendingPathComponent(".portrait-resume.json")
        case .pieces(let folder): return (folder as NSString).appendingPathComponent("resume.json")
        }
    }

    /// The watermark render id to keep (the saved render's), if resuming.
    var renderID: UInt32? { saved?.renderID.flatMap { UInt32($0, radix: 16) } }

    /// The label's creation time to keep, if resuming.
    var created: Date? { saved.map { Date(timeIntervalSince1970: $0.created) } }

    /// Checks this run (`current`) against the saved render and finds its finished frames (before
    /// any work, so a mismatch costs nothing); a new render's `current` is written by `begin`.
    /// `tags` are the label every frame of this render carries.
    func start(current: ResumeState, tags: [String: String]) throws {
        if let saved {
            try saved.check(against: current, output: outputName)
            frameTags = tags
            if case .pieces(let folder) = store, let interval = saved.keyframeInterval {
                pieces = VideoPieces.completed(in: folder, interval: interval)
            }
        }
        self.current = current
    }

    /// Before the first frame: takes the store for this process (a lock held until it exits, so
    /// two renders never mix their frames), records a new render's state (clearing what an
    /// earlier, interrupted render left in a piece folder), and has a video `sink` write pieces.
    /// A video whose piece folder another running render holds is written directly, not resumable.
    func begin(sink: OutputSink) throws {
        guard let current else { return }
        switch store {
        case .folder(let dir):
            guard try lock(dir) else { throw ResumeError.busy(dir) }
        case .pieces(let folder):
            guard try lock(folder) else {
                if saved != nil { throw ResumeError.busy(folder) }
                printError("portrait: another render is writing pieces in \(folder) now; this one writes its video directly (it cannot be resumed)")
                return
            }
            if saved == nil, let names = try? FileManager.default.contentsOfDirectory(atPath: folder), !names.isEmpty {
                for name in names { try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name)) }
                printError("portrait: removed the pieces of an earlier interrupted render in \(folder) (--resume continues one)")
            }
            try sink.usePieces(folder: folder)
        }
        if saved == nil { try current.write(to: Self.statePath(store)) }
    }

    /// Whether frame `index` (0-based) was finished by the interrupted render.
    func isFinished(_ index: Int) -> Bool {
        guard saved != nil else { return false }
        let finished: Bool
        switch store {
        case .pieces: finished = pieces.contains { $0.contains(index) }
        case .folder(let dir): finished = PNGLabel.read(OutputSink.framePath(folder: dir, index: index)) == frameTags
        }
        if finished { kept += 1 }
        return finished
    }

    /// Frames passed over so far.
    var framesKept: Int { kept }

    /// After the output is complete: removes the state (and the piece folder), then unlocks.
    func completed() {
        guard lockDescriptor >= 0 else { return }
        switch store {
        case .folder: try? FileManager.default.removeItem(atPath: Self.statePath(store))
        case .pieces(let folder): try? FileManager.default.removeItem(atPath: folder)
        }
        unlock()
    }

    /// After a failure or an interruption with `framesOnDisk` finished frames kept: with none,
    /// removes what `begin` wrote (there is nothing to resume); otherwise the state stays.
    func stopped(framesOnDisk: Int) {
        if framesOnDisk == 0 { completed() } else { unlock() }
    }

    /// Locks `folder` (created when missing) for this process with `flock`: false when another
    /// process holds it. The folder is checked to be the one at the path once locked (a render
    /// finishing at that moment removes its piece folder).
    private func lock(_ folder: String) throws -> Bool {
        for _ in 0..<3 {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw MediaError.cannotWrite(path: folder, reason: "cannot create the folder")
            }
            let fd = open(folder, O_RDONLY | O_DIRECTORY)
            if fd < 0 && errno == ENOENT { continue }  // removed by a render finishing just now
            guard fd >= 0 else { throw MediaError.cannotWrite(path: folder, reason: String(cString: strerror(errno))) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                return false
            }
            var opened = stat(), atPath = stat()
            if fstat(fd, &opened) == 0, stat(folder, &atPath) == 0, opened.st_ino == atPath.st_ino, opened.st_dev == atPath.st_dev {
                lockDescriptor = fd
                return true
            }
            close(fd)
        }
        throw MediaError.cannotWrite(path: folder, reason: "the folder was removed while this render started; run it again")
    }

    private func unlock() {
        if lockDescriptor >= 0 { close(lockDescriptor) }
        lockDescriptor = -1
    }

    private var outputName: String {
        switch store {
        case .folder(let dir): return dir
        case .pieces(let folder): return folder
        }
    }
}

/// The text chunks of a PNG file, read up to its first image data (they come before it, as
/// `PNGCodec.write` puts them): enough to tell which render wrote a frame without reading it all.
enum PNGLabel {
    /// The file's tags, or nil when it is missing or not a PNG.
    static func read(_ path: String) -> [String: String]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let signature = try? handle.read(upToCount: 8), signature.count == 8 else { return nil }
        var bytes = signature
        while let header = try? handle.read(upToCount: 8), header.count == 8 {
            let length = header.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: header.suffix(4), as: UTF8.self)
            if type == "IDAT" || type == "IEND" || length > 1 << 24 { break }
            guard let body = try? handle.read(upToCount: length + 4), body.count == length + 4 else { return nil }
            bytes += header + body
        }
        // An empty IEND chunk closes what was read, so the text reader sees a well-formed prefix.
        bytes += Data([0, 0, 0, 0]) + Data("IEND".utf8) + Data([0xAE, 0x42, 0x60, 0x82])
        return try? MediaTags.pngText(bytes)
    }
}
#endif
