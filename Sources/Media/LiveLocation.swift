import CFFmpeg
import Foundation

/// Where a live stream comes from or goes to, as `portrait live` takes it: `-` (standard input or
/// output), `pipe:N` (an open file descriptor), a V4L2 device (`/dev/videoN`), a libavfilter
/// source graph (`lavfi:testsrc2=size=320x240:rate=25`, an input only), a network URL
/// (`udp://`, `srt://`, `rtsp://`, `rtmp://`, `http://`, `tcp://`...) or a file.
public enum LiveLocation: Equatable, Sendable, CustomStringConvertible {
    /// `-`: standard input (a driver) or standard output (an output).
    case standardStream
    /// `pipe:N`: file descriptor N.
    case descriptor(Int32)
    /// A Video4Linux2 device such as `/dev/video0` (a webcam, or a v4l2loopback output).
    case device(String)
    /// `lavfi:GRAPH`: frames made by a libavfilter source graph (libavdevice's `lavfi` input),
    /// e.g. `testsrc2=size=320x240:rate=25`, or `movie=clip.mp4` for a clip's frames.
    case filterGraph(String)
    /// A URL with a scheme libavformat handles through a protocol or a demuxer (`rtsp`).
    case network(scheme: String, url: String)
    /// A file path.
    case file(String)

    /// Classifies `text` (no check that it exists or is supported; see `LiveSupport`).
    public init(_ text: String) {
        if text == "-" { self = .standardStream; return }
        if text.hasPrefix("pipe:"), let fd = Int32(text.dropFirst(5)), fd >= 0 { self = .descriptor(fd); return }
        if text.hasPrefix("/dev/video") { self = .device(text); return }
        if text.hasPrefix("lavfi:") { self = .filterGraph(String(text.dropFirst(6))); return }
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
        case .filterGraph(let graph): return graph
        case .network(_, let url): return url
        }
    }

    /// As the user wrote it (`-` for standard streams).
    public var description: String {
        switch self {
        case .standardStream: return "-"
        case .descriptor(let fd): return "pipe:\(fd)"
        case .device(let path), .file(let path): return path
        case .filterGraph(let graph): return "lavfi:\(graph)"
        case .network(_, let url): return url
        }
    }

    /// Whether this is a live stream (not a file): written without a container index.
    public var isStream: Bool {
        if case .file = self { return false }
        return true
    }

    /// Whether frames arrive at the pace they were filmed (a camera, a stream, a pipe). A file or a
    /// filter graph delivers as fast as it decodes, so a live reader paces it at its frame rate.
    public var arrivesInRealTime: Bool {
        switch self {
        case .file, .filterGraph: return false
        default: return true
        }
    }

    /// Whether opening this output waits for the other side to connect (a listener: `http://`,
    /// SRT `mode=listener`, TCP `?listen`, or a `listen` option such as RTMP's), rather than
    /// connecting to a receiver that should already be there. `options` are the extra open options.
    public func waitsForPeer(options: [(String, String)]) -> Bool {
        guard case .network(let scheme, let url) = self else { return false }
        if scheme == "http" { return true }
        let query = url.split(separator: "?", maxSplits: 1).dropFirst().first.map { $0.split(separator: "&").map(String.init) } ?? []
        let pairs = query.map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "1")
        } + options
        return pairs.contains { key, value in
            (key == "mode" && value == "listener") || ((key == "listen" || key == "rtmp_listen") && value != "0")
        }
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
            try V4L2Device.check(path, output: output)
            try AVDevice.require(format: "video4linux2", for: path)
        case .filterGraph:
            if output {
                throw .unsupportedProtocol(location: location.description, scheme: "lavfi", output: true,
                                           available: StreamContainer.outputSchemes.filter(protocols(output: true).contains).sorted())
            }
            try AVDevice.require(format: "lavfi", for: location.description)
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
        return .failure(.deviceSupportMissing(reason: "this machine's FFmpeg libraries have no libavdevice (looked for \(names.joined(separator: ", "))); V4L2 webcams, loopback devices and lavfi: sources need it: install it (Debian/Ubuntu: apt-get install libavdevice\(major)) or stream the camera over UDP/SRT instead"))
    }()

    /// Loads libavdevice and checks that it has the device `format` (`video4linux2`, `lavfi`), for `location`.
    static func require(format: String, for location: String) throws(LiveError) {
        if case .failure(let error) = loaded { throw error }
        guard av_find_input_format(format) != nil || av_guess_format(format, nil, nil) != nil else {
            throw .deviceSupportMissing(reason: "\(location): this machine's libavdevice was built without \(format)")
        }
    }
}
