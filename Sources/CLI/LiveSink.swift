#if canImport(Media)
import Foundation
import Media

/// Where `portrait live` writes: a file (`VideoWriter`: H.264 in the container its extension
/// names, written to a temporary and renamed when finished) or a stream (`LiveStreamWriter`).
/// Frames carry the time they were captured, so a file keeps real time across dropped frames.
final class LiveSink {
    private enum Target {
        case file(VideoWriter)
        case stream(LiveStreamWriter)
    }
    private let target: Target
    private let frameRate: FrameRate
    private var firstCapture: UInt64?
    private var lastTime: Int64 = -1
    /// Where the frames go, as given.
    let location: LiveLocation

    /// Opens `location` for `size`² frames at nominal `frameRate`. Throws for an unsupported
    /// protocol or device, a missing folder, an image or folder output.
    /// `options` and `timeout` are the stream's (`LiveStreamWriter`); a file takes neither.
    init(location: LiveLocation, size: Int, frameRate: FrameRate, crf: Int, metadata: [String: String],
         options: [(String, String)] = [], timeout: Double? = 10) throws {
        self.location = location
        self.frameRate = frameRate
        try Self.check(location)
        if case .file(let path) = location {
            target = .file(try VideoWriter(path: path, width: size, height: size, frameRate: frameRate,
                                           options: VideoWriter.Options(crf: crf, preset: "veryfast", metadata: metadata)))
        } else {
            target = .stream(try LiveStreamWriter(location: location, width: size, height: size, frameRate: frameRate, crf: crf, metadata: metadata,
                                                  options: options, timeout: timeout))
        }
    }

    /// Whether the first frame waits for a receiver to connect (a listening stream output).
    var waitsForPeer: Bool {
        if case .stream(let writer) = target { return writer.waitsForPeer }
        return false
    }

    /// Throws when `location` is nothing `portrait live` can write: a picture or a folder, an
    /// unsupported protocol, a device without libavdevice. Cheap: call it before any model work.
    static func check(_ location: LiveLocation) throws {
        try LiveSupport.check(location, output: true)
        guard case .file(let path) = location else { return }
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard (OutputPreflight.videoExtensions + ["ts", "avi", "nut"]).contains(ext) else {
            throw MediaError.invalidArgument("-o \(path): `portrait live` writes a video file (.mp4, .mkv, .mov, .m4v, .ts), a stream URL (udp://, srt://, rtmp://, rtsp://, rist://, http://), a V4L2 device (/dev/videoN) or - (standard output)")
        }
        // Its folder exists and is writable: found now, not after the model has loaded.
        try OutputPreflight.checkFile(path, option: "-o", extensions: nil)
    }

    /// Writes `image`, captured at `capturedAt` (`LiveClock` ns), at its time since the first frame.
    func write(_ image: RGBImage, capturedAt: UInt64) throws {
        let first = firstCapture ?? capturedAt
        firstCapture = first
        let elapsed = Double(capturedAt &- first) / 1e9
        let time = max(lastTime + 1, Int64((elapsed * frameRate.framesPerSecond).rounded()))
        lastTime = time
        switch target {
        case .file(let writer): try writer.write(image, at: time)
        case .stream(let writer): try writer.write(image, at: time)
        }
    }

    /// Ends the output: the file's index written and renamed into place, the stream's trailer sent.
    /// A file with no frame is removed (nothing to keep).
    func finish() throws {
        switch target {
        case .file(let writer):
            if writer.framesWritten == 0 { writer.cancel() } else { try writer.finish() }
        case .stream(let writer): try writer.finish()
        }
    }

    /// Abandons a file output (removes its temporary); ends a stream as well as it can.
    func cancel() {
        switch target {
        case .file(let writer): writer.cancel()
        case .stream(let writer): try? writer.finish()
        }
    }

    /// Wakes a stream output blocked on its receiver (Ctrl-C).
    func stop() {
        if case .stream(let writer) = target { writer.deadline.stop() }
    }
}
#endif
