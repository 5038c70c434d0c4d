import CFFmpeg
import Foundation

/// Reads the frames of a video (or of a still image libavformat understands) one at a time.
///
/// Any container and codec the installed libavformat/libavcodec read is accepted. Opening
/// decodes the first frame, so a file that opens is known to hold at least one frame. Memory
/// stays flat however long the video: one packet and one decoded frame are held at a time.
/// A rotation tag (display matrix, as phones write) is honoured: frames come out upright,
/// `width`/`height` describe them as displayed and `rotationDegrees` says what was applied.
/// Frames come out at a constant rate (`frameRate`) chosen by their timestamps, so a
/// variable-frame-rate clip keeps its duration and its sync with the audio: frames are repeated
/// or dropped as `ConstantRateTiming` describes (`Timing.asDecoded` returns each decoded frame
/// once instead).
///
/// ```swift
/// let reader = try VideoReader(path: "driver.mp4")
/// while let frame = try reader.next() { ... }
/// ```
/// Not thread-safe: use one reader from one task.
public final class VideoReader {
    /// How `next()` times the frames it returns.
    public enum Timing: Equatable, Sendable {
        /// Each decoded frame once, in display order, whatever its timestamp (stills, analysis).
        case asDecoded
        /// One frame per `1/rate` seconds of the stream, each the input frame on display at the
        /// middle of its interval (repeated or dropped as needed). `nil`: the stream's own rate,
        /// or its average rate when its frame rate varies (see `frameRate`).
        case constantRate(FrameRate?)
    }

    /// The file being read.
    public let path: String
    /// Frame width in pixels as displayed, i.e. after `rotationDegrees` is applied (the
    /// stream's coded height for 90° and 270°); frames from `next()` normally match.
    public let width: Int
    /// Frame height in pixels as displayed (the coded width for 90° and 270°).
    public let height: Int
    /// Clockwise rotation, in degrees, that the stream's rotation tag (its display matrix,
    /// as written by phones: `rotate=90` for a portrait clip) asks for to show the frames
    /// upright: 0, 90, 180 or 270. Frames from `next()` and `readAll()` already have it
    /// applied. A matrix angle that is not a multiple of 90° is rounded to the nearest one
    /// (see `clockwiseRotation(forDisplayMatrixAngle:)`); mirroring in the matrix is ignored.
    public let rotationDegrees: Int
    /// Frames per second of the frames `next()` returns: the rate given in `Timing`, else the
    /// stream's own rate (`streamFrameRate`), or its average rate (frames ÷ duration) where that
    /// differs from it by more than 1 % (a variable frame rate).
    public let frameRate: FrameRate
    /// The stream's own frame rate as its container and codec state it (libav's best guess,
    /// else 25).
    public let streamFrameRate: FrameRate
    /// How frames are timed.
    public let timing: Timing
    /// Duration in seconds, when the container states one.
    public let duration: Double?
    /// Number of frames `next()` will return: duration × `frameRate` when the rate differs from
    /// the stream's own, else the container's count when it has one, else duration × frame rate
    /// rounded. An estimate: a damaged file may yield fewer; `countFrames` is exact.
    public let frameCountEstimate: Int?
    /// Whether the file also holds an audio stream (which `VideoWriter.copyAudio` can copy).
    public let hasAudio: Bool
    /// The video codec's short name (`"h264"`, `"mjpeg"`, `"png"`...).
    public let codecName: String
    /// Frames returned by `next()` so far.
    public private(set) var framesRead = 0

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var decoder: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private let streamIndex: Int32
    private let declaredFrameCount: Int
    private let converter = FrameConverter()
    private var draining = false
    private var finished = false
    /// Input frames decoded so far.
    private var decodedFrames = 0
    /// Constant-rate state: the stream's clock, the input frame on display, the output slot
    /// where it stops (nil until the frame after it is decoded), the decoded frame after it.
    private var clock: FrameClock
    private var current: RGBImage?
    private var currentUntil: Int?
    private var upcoming: RGBImage?
    private var outputSlot = 0

    /// Opens `path`, finds its best video stream and decodes the first frame.
    ///
    /// Throws `fileNotFound`, `isFolder`, `unsupportedFormat` (not a media file),
    /// `noVideoStream`, `codecUnavailable`, `corrupt` (truncated or damaged) or `noFrames`
    /// (zero frames).
    public init(path: String, timing: Timing = .constantRate(nil)) throws(MediaError) {
        _ = FFmpeg.quiet
        self.path = path
        let probe = try VideoProbe(path: path)
        format = probe.format
        streamIndex = probe.streamIndex
        rotationDegrees = probe.rotationDegrees
        let sideways = probe.rotationDegrees % 180 != 0
        width = sideways ? probe.height : probe.width
        height = sideways ? probe.width : probe.height
        streamFrameRate = probe.frameRate
        self.timing = timing
        switch timing {
        case .asDecoded: frameRate = probe.frameRate
        case .constantRate(let rate): frameRate = rate ?? probe.constantRate
        }
        duration = probe.duration
        declaredFrameCount = probe.declaredFrameCount
        if frameRate != probe.frameRate, let duration = probe.duration {
            frameCountEstimate = max(1, Int((duration * frameRate.framesPerSecond).rounded()))
        } else {
            frameCountEstimate = probe.frameCountEstimate
        }
        clock = FrameClock(timing: probe.timing(rate: frameRate))
        hasAudio = probe.hasAudio
        codecName = probe.codecName
        // Fully initialised: from here a throw runs deinit, which frees everything.

        guard let decoderContext = avcodec_alloc_context3(probe.codec) else {
            throw .ffmpeg(path: path, call: "avcodec_alloc_context3", reason: "out of memory")
        }
        decoder = decoderContext
        var status = avcodec_parameters_to_context(decoderContext, probe.parameters)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_parameters_to_context", reason: FFmpeg.message(status)) }
        decoderContext.pointee.thread_count = 0
        // A frame larger than the limit (a size change mid-stream) fails to decode instead.
        decoderContext.pointee.max_pixels = Int64(PictureLimits.maximumPixels)
        decoderContext.pointee.pkt_timebase = probe.timeBase
        status = avcodec_open2(decoderContext, probe.codec, nil)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_open2(\(codecName))", reason: FFmpeg.message(status)) }
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        guard packet != nil, frame != nil else { throw .ffmpeg(path: path, call: "av_frame_alloc", reason: "out of memory") }

        guard let first = try decodeNext() else {
            throw .noFrames(path: path)
        }
        upcoming = first
    }

    deinit {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&decoder)
        avformat_close_input(&format)
    }

    /// The next frame in display order, or `nil` after the last one.
    ///
    /// Throws `corrupt` when the stream is damaged or cut short part-way through.
    public func next() throws(MediaError) -> RGBImage? {
        let result = timing == .asDecoded ? try nextDecoded() : try nextAtConstantRate()
        if result != nil { framesRead += 1 }
        return result
    }

    /// The next decoded frame (the one decoded ahead first).
    private func nextDecoded() throws(MediaError) -> RGBImage? {
        if let upcoming {
            self.upcoming = nil
            return upcoming
        }
        return try decodeNext()
    }

    /// The next output frame at `frameRate`: the input frame on display at the middle of the
    /// output frame's interval (`ConstantRateTiming`). At least one frame comes out.
    private func nextAtConstantRate() throws(MediaError) -> RGBImage? {
        while true {
            if current == nil {
                guard let following = upcoming else { return nil }
                current = following
                upcoming = nil
                currentUntil = nil
            }
            if currentUntil == nil {
                if let following = try decodeNext() {
                    upcoming = following
                    currentUntil = clock.timing.slot(clock.latest)
                } else {
                    currentUntil = max(1, clock.timing.slot(clock.end))
                }
            }
            if let until = currentUntil, outputSlot < until {
                outputSlot += 1
                return current
            }
            current = nil
        }
    }

    /// Decodes up to `limit` remaining frames into memory (for stills and short clips; use
    /// `next()` to stream long videos).
    public func readAll(limit: Int = .max) throws(MediaError) -> [RGBImage] {
        var frames: [RGBImage] = []
        while frames.count < limit, let image = try next() { frames.append(image) }
        return frames
    }

    private func decodeNext() throws(MediaError) -> RGBImage? {
        guard !finished, let format, let decoder, let packet, let frame else { return nil }
        while true {
            let received = avcodec_receive_frame(decoder, frame)
            if received == 0 {
                defer { av_frame_unref(frame) }
                let image = try converter.convert(frame, path: path)
                let stamp = frame.pointee.best_effort_timestamp
                _ = clock.add(frame: stamp == FFmpeg.noTimestamp ? nil : stamp)
                decodedFrames += 1
                return rotationDegrees == 0 ? image : image.rotated(quarterTurns: rotationDegrees / 90)
            }
            if received == FFmpeg.endOfFile {
                finished = true
                try checkComplete()
                return nil
            }
            guard received == FFmpeg.again else {
                throw .corrupt(path: path, reason: "frame \(decodedFrames + 1) does not decode: \(FFmpeg.message(received))")
            }
            if draining { finished = true; return nil }
            let read = av_read_frame(format, packet)
            if read < 0 {
                if read != FFmpeg.endOfFile {
                    throw .corrupt(path: path, reason: "cannot read past frame \(decodedFrames): \(FFmpeg.message(read))")
                }
                avcodec_send_packet(decoder, nil)
                draining = true
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            if let end = Self.packetEnd(packet) { clock.notePacketEnd(end) }
            let sent = avcodec_send_packet(decoder, packet)
            if sent < 0 && sent != FFmpeg.again {
                throw .corrupt(path: path, reason: "packet after frame \(decodedFrames) does not decode: \(FFmpeg.message(sent))")
            }
        }
    }

    /// When a video packet's frame stops being shown (timestamp plus duration, in stream
    /// ticks), when the packet states both and its frame is not to be discarded.
    static func packetEnd(_ packet: UnsafeMutablePointer<AVPacket>) -> Int64? {
        let p = packet.pointee
        guard p.pts != FFmpeg.noTimestamp, p.duration > 0, p.flags & AV_PKT_FLAG_DISCARD == 0 else { return nil }
        let (end, overflow) = p.pts.addingReportingOverflow(p.duration)
        return overflow ? nil : end
    }

    /// The clockwise rotation (0, 90, 180 or 270) that displays upright a stream whose display
    /// matrix rotates by `angle` degrees, `angle` being what libavutil's
    /// `av_display_rotation_get` returns (counter-clockwise, in (-180, 180]). The matrix's
    /// rotation is applied the other way round to show the picture, as ffmpeg's autorotate
    /// does: a phone clip tagged `rotate=90` has a matrix angle of -90 and needs 90°
    /// clockwise. Angles between multiples of 90° go to the nearest one (45° rounds away
    /// from zero, so an angle of -45 gives 90); a non-finite angle gives 0.
    public static func clockwiseRotation(forDisplayMatrixAngle angle: Double) -> Int {
        guard angle.isFinite else { return 0 }
        let clockwise = (-angle).truncatingRemainder(dividingBy: 360)
        let quarterTurns = Int((clockwise / 90).rounded(.toNearestOrAwayFromZero)) % 4
        return ((quarterTurns + 4) % 4) * 90
    }

    /// After the last frame: a container that counted its frames must have delivered them all
    /// (a cut-short MP4 keeps its full index but loses the data).
    private func checkComplete() throws(MediaError) {
        let delivered = decodedFrames
        if declaredFrameCount > 0, delivered < declaredFrameCount, let io = format?.pointee.pb,
           io.pointee.eof_reached != 0 {
            let size = avio_size(io)
            throw .corrupt(path: path, reason: "file ends after \(delivered) of \(declaredFrameCount) frames (\(size) bytes)")
        }
    }
}
