#if canImport(Media)
import Foundation
import Media
import Runtime

/// Where rendered frames go: a video file (written to a temporary path and renamed when
/// complete), one PNG, a folder of numbered PNGs, or one float32 safetensors image (`image`,
/// `[1, 3, H, W]`, no 8-bit quantisation). Nothing claims success until `finish`.
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
    private var singleFileWritten: String?

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
        var isDir: ObjCBool = false
        let ext = (path as NSString).pathExtension.lowercased()
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue) {
            kind = .directory
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw MediaError.cannotWrite(path: path, reason: "cannot create the folder")
            }
        } else if ext == "png" {
            kind = .png
        } else if ext == "safetensors" {
            kind = .tensor
        } else if ["mp4", "mov", "mkv", "m4v"].contains(ext) {
            kind = .video
        } else {
            throw MediaError.invalidArgument("\(path): unknown output kind; use OUT.mp4 (video), OUT.png (one frame), DIR/ (numbered PNGs) or OUT.safetensors (one float frame)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        if kind != .directory && !FileManager.default.isWritableFile(atPath: folder) {
            throw MediaError.cannotWrite(path: path, reason: "the folder \(folder) does not exist or is not writable")
        }
    }

    /// Appends one frame (a video frame of odd width or height gets one replicated column or row).
    func write(_ frame: RGBImage) throws {
        let image = kind == .video ? frame.paddedToEven() : frame
        count += 1
        switch kind {
        case .video:
            if writer == nil {
                let w = try VideoWriter(path: path, width: image.width, height: image.height, frameRate: frameRate,
                                        options: VideoWriter.Options(crf: crf, metadata: metadata, keyframeInterval: keyframeInterval))
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
            try PNGCodec.write(image, to: (path as NSString).appendingPathComponent(String(format: "frame_%05d.png", count)), text: metadata)
        case .tensor:
            guard count == 1 else {
                throw MediaError.invalidArgument("\(path): a .safetensors output holds one float frame; use --frames 1, OUT.mp4 or DIR/")
            }
            let tensor = Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW(range: .unit))
            try SafeTensorsWriter.write(["image": tensor], metadata: metadata.merging(["format": "portraitcl-image-1"]) { _, new in new }, to: path)
            singleFileWritten = path
        }
        FaultInjection.frameWritten(count: count)
    }

    /// Completes the output (the video is renamed into place here).
    func finish() throws {
        guard count > 0 else { throw MediaError.noFrames(path: path) }
        try writer?.finish()
    }

    /// Removes partial output after a failure or Ctrl-C; returns what was removed.
    @discardableResult
    func cancel() -> String? {
        if let writer { writer.cancel(); return path }
        if let singleFileWritten { try? FileManager.default.removeItem(atPath: singleFileWritten); return singleFileWritten }
        return nil
    }

    /// Frames written.
    var framesWritten: Int { count }
}
#endif
