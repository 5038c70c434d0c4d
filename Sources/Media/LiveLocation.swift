import CFFmpeg
import Foundation

/// Where a live stream comes from or goes to, as `portrait live` takes it: `-` (standard input or
/// output), `pipe:N` (an open file descriptor), a V4L2 device (`/dev/videoN`), a network URL
/// (`udp://`, `srt://`, `rtsp://`, `rtmp://`, `http://`, `tcp://`...) or a file.
public enum LiveLocation: Equatable, Sendable, CustomStringConvertible {
    /// `-`: standard input (a driver) or standard output (an output).
    case standardStream
    /// `pipe:N`: file descriptor N.
    case descriptor(Int32)
    /// A Video4Linux2 device such as `/dev/video0` (a webcam, or a v4l2loopback output).
    case device(String)
    /// A URL with a scheme libavformat handles through a protocol or a demuxer (`rtsp`).
    case network(scheme: String, url: String)
    /// A file path.
    case file(String)

    /// Classifies `text` (no check that it exists or is supported; see `LiveSupport`).
    public init(_ text: String) {
        if text == "-" { self = .standardStream; return }
        if text.hasPrefix("pipe:"), let fd = Int32(text.dropFirst(5)), fd >= 0 { self = .descriptor(fd); return }
        if text.hasPrefix("/dev/video") { self = .device(text); return }
        if let range = text.range(of: "://") {
            let scheme = text[..<range.lowerBound].lowercased()
            if !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
                self = .network(scheme: scheme, url: text)
                return
            }
        }
        self = .file(text)
    }

    /// The name libavformat opens: `pipe:0`/`pipe:1` for `-` (`output` chooses), else the text.
    public func libavName(output: Bool) -> String {
        switch self {
        case .standardStream: return output ? "pipe:1" : "pipe:0"
        case .descriptor(let fd): return "pipe:\(fd)"
        case .device(let path), .file(let path): return path
        case .network(_, let url): return url
        }
    }

    /// As the user wrote it (`-` for standard streams).
    public var description: String {
        switch self {
        case .standardStream: return "-"
        case .descriptor(let fd): return "pipe:\(fd)"
        case .device(let path), .file(let path): return path
        case .network(_, let url): return url
        }
    }

    /// Whether this is a live stream (not a file): read without pacing, written without a container index.
    public var isStream: Bool {
        if case .file = self { return false }
        return true
    }
}

/// What this machine's libav* build can open for live streams: its protocols, and libavdevice
/// (V4L2) when installed.
public enum LiveSupport {
    /// The protocols libavformat reads (`output == false`) or writes, by name.
    public static func protocols(output: Bool) -> [String] {
        var opaque: UnsafeMutableRawPointer? = nil
        var names: [String] = []
        while let name = avio_enum_protocols(&opaque, output ? 1 : 0) { names.append(String(cString: name)) }
        return names
    }

    /// Throws `LiveError.unsupportedProtocol` when `location`'s scheme cannot be read (or written,
    /// `output`) by this build, and `LiveError.deviceSupportMissing` for a V4L2 device without libavdevice.
    public static func check(_ location: LiveLocation, output: Bool) throws(LiveError) {
        switch location {
        case .network(let scheme, _):
            let available = protocols(output: output)
            // RTSP is a demuxer (and muxer) over rtp/tcp, not a protocol of its own.
            if scheme == "rtsp" || scheme == "rtsps" {
                let present = output ? av_guess_format("rtsp", nil, nil) != nil : av_find_input_format("rtsp") != nil
                if present { return }
            } else if available.contains(scheme) {
                if output, !StreamContainer.outputSchemes.contains(scheme) {
                    throw .unsupportedProtocol(location: location.description, scheme: scheme, output: true,
                                               available: StreamContainer.outputSchemes.filter(available.contains).sorted())
                }
                return
            }
            let offered = output ? StreamContainer.outputSchemes.filter(available.contains).sorted() : available.sorted()
            throw .unsupportedProtocol(location: location.description, scheme: scheme, output: output, available: offered)
        case .device(let path):
            try AVDevice.require(for: path)
        case .standardStream, .descriptor, .file:
            return
        }
    }
}

/// libavdevice, loaded when first needed (V4L2 capture and loopback output): not linked, so a
/// build without it runs everything else and says what is missing when a device is asked for.
enum AVDevice {
    private static let loaded: Result<Void, LiveError> = {
        let major = avformat_version() >> 16
        let names = ["libavdevice.so.\(major)", "libavdevice.so"]
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL), let symbol = dlsym(handle, "avdevice_register_all") else { continue }
            typealias Register = @convention(c) () -> Void
            unsafeBitCast(symbol, to: Register.self)()
            return .success(())
        }
        return .failure(.deviceSupportMissing(reason: "this machine's FFmpeg libraries have no libavdevice (looked for \(names.joined(separator: ", "))); V4L2 webcams and loopback devices need it: install it (Debian/Ubuntu: apt-get install libavdevice\(major)) or stream the camera over UDP/SRT instead"))
    }()

    /// Loads libavdevice and checks that it has the V4L2 device, for `path`.
    static func require(for path: String) throws(LiveError) {
        if case .failure(let error) = loaded { throw error }
        guard av_find_input_format("video4linux2") != nil || av_guess_format("video4linux2", nil, nil) != nil else {
            throw .deviceSupportMissing(reason: "\(path): this machine's libavdevice was built without Video4Linux2 (v4l2)")
        }
    }
}
