#if canImport(Media)
import Foundation
import Media
import Runtime

/// Where rendered frames go: a video file (written to a temporary path and renamed when
/// complete, or as keyframe-aligned pieces joined at the end: see `usePieces`), one PNG, a
/// folder of numbered PNGs (each written whole: temporary file, then rename), or one float32
/// safetensors image (`image`, `[1, 3, H, W]`, no 8-bit quantisation). Nothing claims success
/// until `finish`. Frame `i` of the render (0-based) is the folder's `frame_{i+1}.png` and the
/// video's frame `i`; frames finished by an interrupted render are passed over with `skip`.
final class OutputSink {
    enum Kind { case video, png, directory, tensor }
    let path: String
    let kind: Kind
    private var writer: VideoWriter?
    private let frameRate: FrameRate
    private let audioSource: String?
    private let crf: Int
    private let metadata: [String: String]
    private let keyframeInterval: Int?
    private var count = 0
    private var writtenThisRun = 0
    private var singleFileWritten: String?
    private var pieces: VideoPieces?

    /// Chooses the kind from `path`: a trailing `/` or an existing folder → PNG sequence;
    /// `.png` → one image; `.mp4`, `.mov`, `.mkv` → H.264 video. `metadata` goes into the
    /// video's container tags or each PNG's text chunks; a video is encoded in independent runs
    /// of `keyframeInterval` frames when given (see `VideoWriter.Options.keyframeInterval`).
    init(path: String, frameRate: FrameRate, audioSource: String?, crf: Int, metadata: [String: String] = [:],
         keyframeInterval: Int? = nil) throws {
        self.keyframeInterval = keyframeInterval
        self.path = path
        self.frameRate = frameRate
        self.audioSource = audioSource
        self.crf = crf
        self.metadata = metadata
        kind = try Self.kind(for: path)
        if kind == .directory {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw MediaError.cannotWrite(path: path, reason: "cannot create the folder")
            }
        }
        // (NSString.deletingLastPathComponent traps on a one-letter folder such as "d/" on Linux.)
        let folder = kind == .directory ? path : URL(fileURLWithPath: path).deletingLastPathComponent().path
        if kind != .directory && !FileManager.default.isWritableFile(atPath: folder) {
            throw MediaError.cannotWrite(path: path, reason: "the folder \(folder) does not exist or is not writable")
        }
    }

    /// Writes a video as pieces in `folder` (`VideoPieces`), joined by `finish`, so that an
    /// interrupted render keeps its whole pieces for `render --resume`. Needs a keyframe interval.
    func usePieces(folder: String) throws {
        guard kind == .video, let keyframeInterval else {
            throw MediaError.invalidArgument("internal error: pieces need a video output with a keyframe interval (please report this)")
        }
        pieces = VideoPieces(folder: folder, frameRate: frameRate, options: videoOptions, interval: keyframeInterval)
    }

    private var videoOptions: VideoWriter.Options {
        VideoWriter.Options(crf: crf, metadata: metadata, keyframeInterval: keyframeInterval)
    }

    /// The file frame `index` (0-based) of a folder output is written to.
    static func framePath(folder: String, index: Int) -> String {
        (folder as NSString).appendingPathComponent(String(format: "frame_%05d.png", index + 1))
    }

    /// The kind of output `path` names: a trailing `/` or an existing folder → PNG sequence;
    /// `.png` → one image; `.safetensors` → one float frame; `.mp4`, `.mov`, `.mkv`, `.m4v` → video.
    static func kind(for path: String) throws -> Kind {
        var isDir: ObjCBool = false
        let ext = (path as NSString).pathExtension.lowercased()
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue) { return .directory }
        if ext == "png" { return .png }
        if ext == "safetensors" { return .tensor }
        if ["mp4", "mov", "mkv", "m4v"].contains(ext) { return .video }
        throw MediaError.invalidArgument("\(path): unknown output kind; use OUT.mp4 (video), OUT.png (one frame), DIR/ (numbered PNGs) or OUT.safetensors (one float frame)")
    }

    /// The tags every frame carries (PNG text chunks, video container tags).
    var tags: [String: String] { metadata }

    /// Appends one frame (a video frame of odd width or height gets one replicated column or row).
    func write(_ frame: RGBImage) throws {
        let image = kind == .video ? frame.paddedToEven() : frame
        let index = count
        count += 1
        switch kind {
        case .video:
            if let pieces {
                try pieces.write(image, index: index)
                break
            }
            if writer == nil {
                let w = try VideoWriter(path: path, width: image.width, height: image.height, frameRate: frameRate, options: videoOptions)
                if let audioSource { _ = try w.copyAudio(from: audioSource) }
                writer = w
            }
            try writer!.write(image)
        case .png:
            guard count == 1 else {
                throw MediaError.invalidArgument("\(path): a .png output holds one frame; use --frames 1, OUT.mp4 or DIR/")
            }
            try PNGCodec.write(image, to: path, text: metadata)
            singleFileWritten = path
        case .directory:
            try PNGCodec.write(image, to: Self.framePath(folder: path, index: index), text: metadata)
        case .tensor:
            guard count == 1 else {
                throw MediaError.invalidArgument("\(path): a .safetensors output holds one float frame; use --frames 1, OUT.mp4 or DIR/")
            }
            let tensor = Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW(range: .unit))
            try SafeTensorsWriter.write(["image": tensor], metadata: metadata.merging(["format": "portraitcl-image-1"]) { _, new in new }, to: path)
            singleFileWritten = path
        }
        writtenThisRun += 1
        FaultInjection.frameWritten(count: writtenThisRun)
    }

    /// Passes over the next frame, which an interrupted render already finished (its PNG, or a
    /// whole video piece, is kept).
    func skip() { count += 1 }

    /// Completes the output (the video is renamed into place, or its pieces joined, here).
    func finish() throws {
        guard count > 0 else { throw MediaError.noFrames(path: path) }
        if let pieces {
            try pieces.merge(into: path, frames: count, audioSource: audioSource, metadata: metadata)
        }
        try writer?.finish()
    }

    /// Removes partial output after a failure; returns what was removed. A folder's finished
    /// frames and a video's whole pieces stay (`interrupted` says where).
    @discardableResult
    func cancel() -> String? {
        pieces?.cancelPiece()
        if let writer { writer.cancel(); return path }
        if let singleFileWritten { try? FileManager.default.removeItem(atPath: singleFileWritten); return singleFileWritten }
        return nil
    }

    /// Stops after a Ctrl-C or SIGTERM: what is finished stays (a folder's PNGs, a video's whole
    /// pieces), the rest is removed; returns what happened, for the message (which names
    /// `--resume` when the render is `resumable`).
    func interrupted(resumable: Bool = true) -> String {
        switch kind {
        case .directory:
            let next = resumable ? "continue with the same command and --resume" : "this render cannot be resumed"
            return count > 0 ? "kept the \(count) finished frame\(count == 1 ? "" : "s") in \(path); \(next)"
                             : "nothing was written"
        case .video where pieces != nil:
            guard let pieces else { return "nothing was written" }
            pieces.cancelPiece()
            let kept = framesOnDisk
            return kept > 0 ? "kept \(kept) finished frame\(kept == 1 ? "" : "s") as video pieces in \(pieces.folder); continue with the same command and --resume"
                            : "nothing was kept (no keyframe piece was finished)"
        default:
            return cancel().map { "removed the partial output \($0)" } ?? "nothing was written"
        }
    }

    /// Finished frames the output keeps after a failure or an interruption: a folder's PNGs, a
    /// video's whole pieces (none for a single file).
    var framesOnDisk: Int {
        switch kind {
        case .directory: return count
        case .video: return pieces.map { VideoPieces.completed(in: $0.folder, interval: keyframeInterval ?? 1).reduce(0) { $0 + $1.count } } ?? 0
        default: return 0
        }
    }

    /// Frames written.
    var framesWritten: Int { count }
}
#endif
