import CFFmpeg
import Foundation

/// One decoded frame of a live driver, stamped with the monotonic time it left the decoder.
public struct LiveFrame: @unchecked Sendable {
    /// The picture.
    public var image: RGBImage
    /// `LiveClock.now()` when the frame was decoded: the start of its capture→output latency.
    public var capturedAt: UInt64
    /// Its number in the stream, from 0.
    public var index: Int
}

/// Reads a live driver frame by frame, as it arrives: a V4L2 webcam or a `lavfi:` source graph
/// (libavdevice), a network
/// stream (`udp://`, `srt://`, `rtsp://`, `rtmp://`, `http://`, `tcp://`), a pipe (`-`, `pipe:N`)
/// or a file (read at full speed; use a stream for real time). Low-latency settings: no input
/// buffering beyond libavformat's, a short probe, one decoding thread per slice (no frame
/// threading, which holds frames back). Each wait for data is bounded by `timeout` seconds;
/// `deadline.stop()` from another thread ends a blocking read (then `next()` returns nil).
/// Memory stays flat: one packet and one frame at a time. Not thread-safe (one reading thread).
public final class LiveFrameSource {
    /// Where the frames come from.
    public let location: LiveLocation
    /// Frame size of the stream as opened (later frames may differ; each `LiveFrame` has its own).
    public private(set) var width = 0, height = 0
    /// The stream's stated frame rate (libav's guess; 25 when unknown).
    public private(set) var frameRate: FrameRate
    /// Stops or times out blocking reads.
    public let deadline = LiveDeadline()
    private let timeout: Double?
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var streamIndex: Int32 = -1
    private let converter = FrameConverter()
    private var decoded = 0
    private var draining = false
    /// Whether the stream ended because nothing arrived for the timeout after its frames.
    public private(set) var endedBySilence = false
    /// The read error that ended the stream, when it did not end with an orderly end of file: a
    /// sender that died (SRT's peer timeout, a reset connection), or a protocol that ends so (RTMP).
    public private(set) var brokenOff: String?

    /// Opens `location` and its video stream; waits at most `timeout` seconds (nil: no limit) for
    /// the stream to answer. `options` (KEY=VALUE pairs) go to the protocol, demuxer or device
    /// (e.g. `listen=1` for RTMP, `rtsp_flags=listen` for RTSP, `video_size=640x480` for V4L2).
    /// Throws `LiveError` (unsupported, unreachable, no such device, no data, no video, an option
    /// nothing knows) or `MediaError` (no such file, no decoder).
    public init(location: LiveLocation, timeout: Double? = 10, options userOptions: [(String, String)] = []) throws {
        _ = FFmpeg.quiet
        self.location = location
        self.timeout = timeout
        frameRate = try FrameRate(25)
        // Every stored property is set from here: a later throw runs deinit, which frees what was opened.
        try LiveSupport.check(location, output: false)
        if case .file(let path) = location { try InputFile.check(path) }
        guard let context = avformat_alloc_context() else { throw MediaError.ffmpeg(path: location.description, call: "avformat_alloc_context", reason: "out of memory") }
        context.pointee.interrupt_callback = deadline.callback
        var openOptions = LiveOpenOptions(defaults: [], user: userOptions)
        var inputFormat: UnsafePointer<AVInputFormat>? = nil
        switch location {
        case .device:
            inputFormat = av_find_input_format("video4linux2")
        case .filterGraph:
            inputFormat = av_find_input_format("lavfi")
        case .file:
            openOptions.setDefault("protocol_whitelist", "file")
        case .network(let scheme, _):
            if scheme == "http" || scheme == "https" { openOptions.setDefault("reconnect", "0") }
            if scheme == "rtsp" { openOptions.setDefault("rtsp_transport", "tcp") }
            if scheme == "rist" { openOptions.setDefault("log_level", StreamContainer.ristLogOff) }
            fallthrough
        case .standardStream, .descriptor:
            openOptions.setDefault("probesize", "500000")
            openOptions.setDefault("analyzeduration", "500000")
        }
        var options = openOptions.dictionary()
        defer { av_dict_free(&options) }
        deadline.start(seconds: timeout)
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        let status = avformat_open_input(&opened, location.libavName(output: false), inputFormat, &options)
        guard status >= 0, let opened else {
            // avformat_open_input frees the context on failure.
            throw Self.openError(status, location: location, timedOut: deadline.timedOut, timeout: timeout)
        }
        format = opened
        let unknown = openOptions.unconsumed(options)
        guard unknown.isEmpty else { throw LiveError.unknownOptions(location: location.description, options: unknown, output: false) }
        let info = avformat_find_stream_info(opened, nil)
        guard info >= 0 else { throw Self.openError(info, location: location, timedOut: deadline.timedOut, timeout: timeout) }
        var codec: UnsafePointer<AVCodec>? = nil
        streamIndex = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        guard streamIndex >= 0, let codec, let stream = opened.pointee.streams[Int(streamIndex)], let parameters = stream.pointee.codecpar else {
            if streamIndex == cffmpeg_averror_decoder_not_found() { throw MediaError.codecUnavailable(path: location.description, codec: "its video") }
            throw LiveError.noVideo(location: location.description)
        }
        width = Int(parameters.pointee.width)
        height = Int(parameters.pointee.height)
        let guessed = av_guess_frame_rate(opened, stream, nil)
        if let stated = try? FrameRate(guessed.num, guessed.den) { frameRate = stated }
        guard let decoderContext = avcodec_alloc_context3(codec) else { throw MediaError.ffmpeg(path: location.description, call: "avcodec_alloc_context3", reason: "out of memory") }
        decoder = decoderContext
        _ = avcodec_parameters_to_context(decoderContext, parameters)
        decoderContext.pointee.thread_count = 0
        decoderContext.pointee.thread_type = FF_THREAD_SLICE
        decoderContext.pointee.flags |= Int32(AV_CODEC_FLAG_LOW_DELAY)
        decoderContext.pointee.max_pixels = Int64(PictureLimits.maximumPixels)
        decoderContext.pointee.pkt_timebase = stream.pointee.time_base
        let openedCodec = avcodec_open2(decoderContext, codec, nil)
        guard openedCodec >= 0 else { throw MediaError.ffmpeg(path: location.description, call: "avcodec_open2", reason: FFmpeg.message(openedCodec)) }
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        guard packet != nil, frame != nil else { throw MediaError.ffmpeg(path: location.description, call: "av_frame_alloc", reason: "out of memory") }
    }

    deinit {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&decoder)
        avformat_close_input(&format)
    }

    /// The next frame as soon as it is decoded, or nil at the end of the stream (also when nothing
    /// arrives for the timeout after some frames did: `endedBySilence`) or after `deadline.stop()`.
    /// Throws `LiveError.noData` when no frame at all arrives within the timeout, and
    /// `MediaError.corrupt` when the stream cannot be read.
    public func next() throws -> LiveFrame? {
        guard let format, let decoder, let packet, let frame else { return nil }
        while true {
            let received = avcodec_receive_frame(decoder, frame)
            if received == 0 {
                defer { av_frame_unref(frame) }
                let image = try converter.convert(frame, path: location.description)
                defer { decoded += 1 }
                return LiveFrame(image: image, capturedAt: LiveClock.now(), index: decoded)
            }
            if received == FFmpeg.endOfFile || (received == FFmpeg.again && draining) { return nil }
            guard received == FFmpeg.again else {
                throw MediaError.corrupt(path: location.description, reason: "frame \(decoded + 1) does not decode: \(FFmpeg.message(received))")
            }
            deadline.start(seconds: timeout)
            let read = av_read_frame(format, packet)
            if read < 0 {
                if deadline.isStopped { return nil }
                // Silence after frames arrived is how a UDP stream ends; before any, the sender is missing.
                if deadline.timedOut {
                    if decoded == 0 { throw LiveError.noData(location: location.description, seconds: timeout ?? 0) }
                    endedBySilence = true
                    return nil
                }
                // End of stream (or a sender that went away): flush the decoder's last frames.
                if read != FFmpeg.endOfFile { brokenOff = FFmpeg.message(read) }
                avcodec_send_packet(decoder, nil)
                draining = true
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            let sent = avcodec_send_packet(decoder, packet)
            // A live stream joined mid-way starts with undecodable packets: skip them.
            if sent < 0 && sent != FFmpeg.again && sent != cffmpeg_averror_invalid_data() {
                throw MediaError.corrupt(path: location.description, reason: "packet after frame \(decoded) does not decode: \(FFmpeg.message(sent))")
            }
        }
    }

    private static func openError(_ status: Int32, location: LiveLocation, timedOut: Bool, timeout: Double?) -> Error {
        if timedOut { return LiveError.noData(location: location.description, seconds: timeout ?? 0) }
        if case .device(let path) = location { return LiveError.deviceUnusable(path: path, output: false, reason: FFmpeg.message(status)) }
        if case .filterGraph = location {
            return MediaError.invalidArgument("\(location): libavfilter cannot make this source graph: \(FFmpeg.message(status)) (e.g. lavfi:testsrc2=size=320x240:rate=25)")
        }
        if case .file(let path) = location, status == cffmpeg_averror(ENOENT) { return MediaError.fileNotFound(path: path) }
        if case .file(let path) = location { return MediaError.unsupportedFormat(path: path, reason: FFmpeg.message(status)) }
        return LiveError.unreachable(location: location.description, reason: FFmpeg.message(status))
    }
}
