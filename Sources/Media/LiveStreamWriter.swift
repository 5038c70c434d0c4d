import CFFmpeg
import Foundation

/// The container and codec a live output uses, chosen by where it goes.
struct StreamContainer {
    /// libavformat muxer.
    let muxer: String
    /// Encoder candidates, in order.
    let encoders: [String]
    /// Options for opening the output (avio).
    let ioOptions: [(String, String)]
    /// Options for the muxer (`avformat_write_header`).
    var muxerOptions: [(String, String)] = []

    /// URL schemes `portrait live` streams to.
    static let outputSchemes = ["udp", "srt", "tcp", "rtp", "rtmp", "rtmps", "http", "rist", "rtsp"]

    /// H.264 in MPEG-TS (UDP, SRT, TCP, RIST, pipes), H.264 in FLV (RTMP), H.264 over RTSP, MJPEG over HTTP (a browser shows
    /// `multipart/x-mixed-replace`; the http protocol serves one client in listen mode), raw YUV
    /// to a V4L2 loopback device.
    static func choose(for location: LiveLocation) -> StreamContainer {
        let h264 = ["libx264", "h264", "mpeg2video"]
        switch location {
        case .device: return StreamContainer(muxer: "video4linux2", encoders: ["rawvideo"], ioOptions: [])
        case .network(let scheme, _) where scheme == "rtmp" || scheme == "rtmps":
            return StreamContainer(muxer: "flv", encoders: ["libx264", "h264", "flv"], ioOptions: [])
        case .network(let scheme, _) where scheme == "http":
            return StreamContainer(muxer: "mpjpeg", encoders: ["mjpeg"],
                                   ioOptions: [("listen", "1"), ("content_type", "multipart/x-mixed-replace;boundary=ffmpeg")])
        case .network(let scheme, _) where scheme == "udp":
            return StreamContainer(muxer: "mpegts", encoders: h264, ioOptions: [("pkt_size", "1316")])
        case .network(let scheme, _) where scheme == "rtp":
            return StreamContainer(muxer: "rtp_mpegts", encoders: h264, ioOptions: [])
        case .network(let scheme, _) where scheme == "rtsp":
            // RTSP publishes (ANNOUNCE, RECORD) to a server; interleaved on its TCP connection.
            return StreamContainer(muxer: "rtsp", encoders: h264, ioOptions: [], muxerOptions: [("rtsp_transport", "tcp")])
        case .network(let scheme, _) where scheme == "rist":
            return StreamContainer(muxer: "mpegts", encoders: h264, ioOptions: [("log_level", ristLogOff)])
        default: return StreamContainer(muxer: "mpegts", encoders: h264, ioOptions: [])
        }
    }

    /// librist's log level off (`RIST_LOG_DISABLE`), our default for `rist://` both ways: libavformat
    /// 59 hands librist's threads a log callback on its protocol context, and a callback that comes
    /// while that context is being closed crashed the process (seen once in a loopback test run);
    /// with logging off librist never calls it. `--driver-option/--output-option log_level=N` turns it on.
    static let ristLogOff = "-1"
}

/// Encodes frames to a live output as they come: a network stream (UDP/SRT/TCP/RTP as H.264 in
/// MPEG-TS, RTMP as H.264 in FLV, HTTP as MJPEG a browser shows), a pipe (`-`: MPEG-TS on standard
/// output) or a V4L2 loopback device (libavdevice). H.264 is encoded for latency (libx264
/// `ultrafast`, `zerolatency`: no B-frames, no look-ahead, sliced threads). Nothing is held back:
/// each frame's packets are written before `write` returns. HTTP waits for its one viewer in
/// `open` (the first frame's write). Not thread-safe: one writing thread.
public final class LiveStreamWriter {
    /// Where the frames go.
    public let location: LiveLocation
    /// Frame size.
    public let width: Int, height: Int
    /// The nominal frame rate; frames carry their own times (`write(_:at:)`).
    public let frameRate: FrameRate
    /// Stops a blocking open or write from another thread (Ctrl-C).
    public let deadline = LiveDeadline()
    /// The encoder in use, once open.
    public private(set) var encoderName = ""
    /// Frames written.
    public private(set) var framesWritten = 0
    private let container: StreamContainer
    private let quality: Int
    private let metadata: [String: String]
    private var output: UnsafeMutablePointer<AVFormatContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var stream: UnsafeMutablePointer<AVStream>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var input: FrameEncoderInput?
    private var lastTime: Int64 = -1
    private var finished = false
    private let userOptions: [(String, String)]
    private let timeout: Double?

    /// Checks that `location` can be streamed to and sets up (nothing opens before the first frame).
    /// `crf` is the H.264 quality (MJPEG maps it to a quantiser). `options` (KEY=VALUE) go to the
    /// protocol and the muxer (e.g. `listen=1` makes RTMP a server). `timeout` bounds, in seconds,
    /// the connection to a receiver that should be there (not a listener's wait for its peer, which
    /// lasts until `deadline.stop()`) and each later write (a receiver that stopped reading).
    /// Throws `LiveError` for an unsupported protocol or a missing device, `MediaError.invalidArgument`
    /// for odd sizes.
    public init(location: LiveLocation, width: Int, height: Int, frameRate: FrameRate, crf: Int = 23,
                metadata: [String: String] = [:], options: [(String, String)] = [], timeout: Double? = 10) throws {
        _ = FFmpeg.quiet
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0 else {
            throw MediaError.invalidArgument("stream size \(width)x\(height) must be even and positive (4:2:0 video)")
        }
        if case .file = location { throw MediaError.invalidArgument("\(location) is a file: write it with VideoWriter") }
        try LiveSupport.check(location, output: true)
        self.location = location
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.quality = crf
        self.metadata = metadata
        self.userOptions = options
        self.timeout = timeout
        container = StreamContainer.choose(for: location)
    }

    /// Whether the first frame waits (without limit) for a receiver to connect to us.
    public var waitsForPeer: Bool { location.waitsForPeer(options: userOptions) }

    deinit { close() }

    /// Encodes `image` (`width × height`) shown at `time` frame periods from the start; times must
    /// increase (a later time than the last is kept; an equal or earlier one is moved one period on).
    /// Opens the output on first use. Throws `LiveError.cannotStream` when the receiver is gone.
    public func write(_ image: RGBImage, at time: Int64) throws {
        guard !finished else { throw MediaError.invalidArgument("\(location): write after finish()") }
        if output == nil { try open() }
        guard let encoder, let frame, let input else { return }
        guard image.width == width, image.height == height else {
            throw MediaError.invalidArgument("frame is \(image.width)x\(image.height) but the stream is \(width)x\(height)")
        }
        var status = av_frame_make_writable(frame)
        guard status >= 0 else { throw MediaError.ffmpeg(path: location.description, call: "av_frame_make_writable", reason: FFmpeg.message(status)) }
        status = input.fill(frame, from: image)
        guard status >= 0 else { throw MediaError.ffmpeg(path: location.description, call: "sws_scale", reason: FFmpeg.message(status)) }
        let stamp = max(time, lastTime + 1)
        frame.pointee.pts = stamp
        lastTime = stamp
        status = avcodec_send_frame(encoder, frame)
        guard status >= 0 else { throw MediaError.ffmpeg(path: location.description, call: "avcodec_send_frame", reason: FFmpeg.message(status)) }
        deadline.start(seconds: timeout)
        try drain()
        framesWritten += 1
    }

    /// Flushes the encoder and ends the stream (the container's trailer); then closes it.
    public func finish() throws {
        guard !finished else { return }
        defer { close() }
        guard let output, let encoder else { finished = true; return }
        avcodec_send_frame(encoder, nil)
        deadline.start(seconds: timeout)
        try drain()
        let status = av_write_trailer(output)
        finished = true
        guard status >= 0 else { throw LiveError.cannotStream(location: location.description, reason: FFmpeg.message(status)) }
        // An SRT receiver hands a packet on only after its latency; closing sooner loses the last
        // latency's worth of frames there (seen: 6 of 25 at 50 fps with the 120 ms default).
        if let latency = srtLatency { Thread.sleep(forTimeInterval: latency + 0.1) }
    }

    /// The SRT latency in seconds (`latency=` in µs in the URL or options; 120 ms by default), nil
    /// for other outputs.
    private var srtLatency: Double? {
        guard case .network(let scheme, let url) = location, scheme == "srt" else { return nil }
        let query = url.split(separator: "?", maxSplits: 1).dropFirst().first.map { $0.split(separator: "&") } ?? []
        let given = query.compactMap { item -> String? in item.hasPrefix("latency=") ? String(item.dropFirst(8)) : nil }.first
            ?? userOptions.first { $0.0 == "latency" }?.1
        return given.flatMap(Double.init).map { $0 / 1e6 } ?? 0.12
    }

    private func close() {
        finished = true
        if let output, output.pointee.pb != nil, output.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 { avio_closep(&output.pointee.pb) }
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
        avformat_free_context(output)
        output = nil
    }

    private func open() throws {
        let name = location.libavName(output: true)
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        var status = avformat_alloc_output_context2(&context, nil, container.muxer, name)
        guard status >= 0, let context else {
            throw MediaError.ffmpeg(path: location.description, call: "avformat_alloc_output_context2(\(container.muxer))", reason: FFmpeg.message(status))
        }
        output = context
        context.pointee.interrupt_callback = deadline.callback
        // Each packet leaves at once (a pipe or socket would otherwise wait for a full buffer).
        context.pointee.flags |= AVFMT_FLAG_FLUSH_PACKETS
        let encoderContext = try openEncoder(format: context)
        encoder = encoderContext
        input = try FrameEncoderInput(width: Int32(width), height: Int32(height), format: encoderContext.pointee.pix_fmt,
                                      colorspace: encoderContext.pointee.colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601,
                                      fullRange: encoderContext.pointee.color_range == AVCOL_RANGE_JPEG)
        guard let stream = avformat_new_stream(context, nil) else { throw MediaError.ffmpeg(path: location.description, call: "avformat_new_stream", reason: "out of memory") }
        self.stream = stream
        avcodec_parameters_from_context(stream.pointee.codecpar, encoderContext)
        stream.pointee.time_base = encoderContext.pointee.time_base
        for (key, value) in metadata { av_dict_set(&context.pointee.metadata, key, value, 0) }
        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame, packet != nil else { throw MediaError.ffmpeg(path: location.description, call: "av_frame_alloc", reason: "out of memory") }
        frame.pointee.format = encoderContext.pointee.pix_fmt.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw MediaError.ffmpeg(path: location.description, call: "av_frame_get_buffer", reason: FFmpeg.message(status)) }
        let openOptions = LiveOpenOptions(defaults: container.ioOptions + container.muxerOptions, user: userOptions)
        var options = openOptions.dictionary()
        defer { av_dict_free(&options) }
        // A listener waits for its peer as long as it takes (Ctrl-C stops it); a caller gets `timeout`.
        let connectLimit = waitsForPeer ? nil : timeout
        deadline.start(seconds: connectLimit)
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            var callback = deadline.callback
            status = avio_open2(&context.pointee.pb, name, AVIO_FLAG_WRITE, &callback, &options)
            guard status >= 0 else { throw connectError(status, limit: connectLimit) }
        }
        status = avformat_write_header(context, &options)
        guard status >= 0 else {
            // A muxer that opens its own connection or device (RTSP, V4L2) does so here.
            if deadline.isStopped || deadline.timedOut || context.pointee.oformat.pointee.flags & AVFMT_NOFILE != 0 {
                throw connectError(status, limit: connectLimit)
            }
            throw LiveError.cannotStream(location: location.description, reason: "cannot start the \(container.muxer) stream: \(FFmpeg.message(status))")
        }
        let unknown = openOptions.unconsumed(options)
        guard unknown.isEmpty else { throw LiveError.unknownOptions(location: location.description, options: unknown, output: true) }
    }

    private func connectError(_ status: Int32, limit: Double?) -> LiveError {
        if deadline.isStopped { return .cannotStream(location: location.description, reason: "stopped before a receiver connected") }
        if deadline.timedOut, let limit { return .noAnswer(location: location.description, seconds: limit) }
        if case .device(let path) = location { return .deviceUnusable(path: path, output: true, reason: FFmpeg.message(status)) }
        return .unreachable(location: location.description, reason: FFmpeg.message(status))
    }

    private func openEncoder(format: UnsafeMutablePointer<AVFormatContext>) throws -> UnsafeMutablePointer<AVCodecContext> {
        var failures: [String] = []
        for name in container.encoders {
            guard let codec = avcodec_find_encoder_by_name(name) else { failures.append("\(name): not in this build"); continue }
            var context: UnsafeMutablePointer<AVCodecContext>? = avcodec_alloc_context3(codec)
            guard let e = context else { continue }
            let jpeg = codec.pointee.id == AV_CODEC_ID_MJPEG
            VideoWriter.setPicture(e, codec: codec, pixelFormat: jpeg ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P,
                                   width: width, height: height, frameRate: frameRate, format: format)
            // As many threads as cores (libav's default is one), as slices of each frame: frame
            // threads (libav's default type, which overrides x264's zerolatency) hold frames back.
            e.pointee.thread_count = 0
            e.pointee.thread_type = FF_THREAD_SLICE
            e.pointee.gop_size = Int32(max(1, Int(frameRate.framesPerSecond.rounded())))
            e.pointee.max_b_frames = 0
            if name == "libx264" {
                av_opt_set(e.pointee.priv_data, "preset", "ultrafast", 0)
                av_opt_set(e.pointee.priv_data, "tune", "zerolatency", 0)
                av_opt_set(e.pointee.priv_data, "crf", "\(quality)", 0)
            } else if name != "rawvideo" {
                e.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
                e.pointee.global_quality = Int32(max(2, min(31, (quality + 2) / 6))) * FF_QP2LAMBDA
            }
            let status = avcodec_open2(e, codec, nil)
            if status >= 0 {
                encoderName = name
                return e
            }
            failures.append("\(name): \(FFmpeg.message(status))")
            avcodec_free_context(&context)
        }
        throw MediaError.codecUnavailable(path: location.description, codec: "a \(container.muxer) video encoder (\(failures.joined(separator: "; ")))")
    }

    private func drain() throws {
        guard let encoder, let packet, let stream, let output else { return }
        while true {
            let status = avcodec_receive_packet(encoder, packet)
            if status == FFmpeg.again || status == FFmpeg.endOfFile { return }
            guard status >= 0 else { throw MediaError.ffmpeg(path: location.description, call: "avcodec_receive_packet", reason: FFmpeg.message(status)) }
            av_packet_rescale_ts(packet, encoder.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            let written = av_write_frame(output, packet)
            av_packet_unref(packet)
            guard written >= 0 else {
                let reason = deadline.isStopped ? "stopped"
                    : deadline.timedOut ? "the receiver took nothing for \(String(format: "%.0f", timeout ?? 0)) s" : FFmpeg.message(written)
                throw LiveError.cannotStream(location: location.description, reason: reason)
            }
        }
    }
}
