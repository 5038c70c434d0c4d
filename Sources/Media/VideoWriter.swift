import CFFmpeg
import Foundation

/// Encodes `RGBImage` frames into a video file, streaming: memory stays flat however long
/// the video, since each frame is converted, handed to the encoder and released.
///
/// H.264 (libx264, yuv420p, constant-quality CRF) in the container the output extension
/// names (`.mp4` when unknown); falls back to the build's default H.264 encoder, then
/// MPEG-4 Part 2, when libx264 is absent. Frames are tagged BT.709, limited range, chroma
/// sited "left" (the H.264 default), converted exactly by `YUV420Encoder`.
/// The file is written to a hidden temporary path beside the target and renamed into place
/// by `finish()`; `cancel()` (or dropping an unfinished writer) removes it.
///
/// ```swift
/// let writer = try VideoWriter(path: "out.mp4", width: 512, height: 512, frameRate: reader.frameRate)
/// try writer.copyAudio(from: "driver.mp4")   // optional, before the first frame
/// for frame in frames { try writer.write(frame) }
/// try writer.finish()
/// ```
/// Not thread-safe: use one writer from one task.
public final class VideoWriter {
    /// Encoder settings.
    public struct Options: Sendable {
        /// Constant rate factor: 0 lossless … 51 worst; 18 is visually near-transparent.
        /// Mapped to a fixed quantiser for the MPEG-4 fallback.
        public var crf: Int
        /// libx264 speed preset (`ultrafast` … `veryslow`); slower is smaller at equal quality.
        public var preset: String
        /// An encoder by libavcodec name (`"libx264"`, `"mpeg4"`...), or `nil` for the default
        /// chain libx264 → default H.264 → MPEG-4.
        public var encoder: String?
        /// A rotation tag for the video stream: the clockwise degrees (a multiple of 90) a
        /// player should turn the stored frames to display them, stored as a display matrix
        /// like a phone's `rotate=90` tag (`VideoReader.rotationDegrees` reads it back).
        /// Frames are encoded as given, unrotated. `nil` (the default) writes no tag. Only
        /// containers that store display matrices keep it (MP4/MOV do).
        public var rotationDegrees: Int?
        /// Container tags (libavformat metadata) written with the header, e.g. the disclosure
        /// label. MP4/MOV store arbitrary keys (`movflags +use_metadata_tags`); `creation_time`
        /// (ISO 8601) also fills the movie header's date. Empty by default.
        public var metadata: [String: String]
        /// When set, every `keyframeInterval` frames the encoder is closed and a fresh one opened
        /// (fixed thread count): each run of frames is encoded on its own, starting with a
        /// keyframe, so videos written in pieces that start at multiples of it and joined by
        /// `SegmentMerger` decode to exactly the frames of one writer given them all.
        public var keyframeInterval: Int?

        /// Options with the defaults `crf: 18, preset: "medium"`, no rotation tag, no tags,
        /// one encoder run for the whole video.
        public init(crf: Int = 18, preset: String = "medium", encoder: String? = nil, rotationDegrees: Int? = nil,
                    metadata: [String: String] = [:], keyframeInterval: Int? = nil) {
            self.crf = crf
            self.preset = preset
            self.encoder = encoder
            self.rotationDegrees = rotationDegrees
            self.metadata = metadata
            self.keyframeInterval = keyframeInterval
        }
    }

    /// The final output path.
    public let path: String
    /// Frame width in pixels (even).
    public let width: Int
    /// Frame height in pixels (even).
    public let height: Int
    /// Frames per second, as given.
    public let frameRate: FrameRate
    /// The libavcodec encoder in use (`"libx264"`, `"mpeg4"`...).
    public private(set) var encoderName = ""
    /// Frames passed to `write` so far.
    public private(set) var framesWritten = 0
    /// The earliest time the next frame may have, in frame periods (`1/frameRate` s): one
    /// period after the latest frame's.
    private var nextTime: Int64 = 0

    private let temporaryPath: String
    // Every resource below starts empty, so a throw part-way through init runs deinit,
    // which frees what was made and removes the temporary file.
    private var output: UnsafeMutablePointer<AVFormatContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var stream: UnsafeMutablePointer<AVStream>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var input: FrameEncoderInput?
    private var audio: [AudioTrackSource] = []
    private var headerWritten = false
    private var closed = false
    private let metadata: [String: String]
    private let options: Options

    /// Opens the output (a temporary file beside `path`) and the encoder.
    ///
    /// Throws `invalidArgument` for odd or empty sizes or a `rotationDegrees` that is not a
    /// multiple of 90, `cannotWrite` when the folder is missing or not writable,
    /// `codecUnavailable` when no usable video encoder exists.
    public init(path: String, width: Int, height: Int, frameRate: FrameRate, options: Options = Options()) throws(MediaError) {
        _ = FFmpeg.quiet
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0, width <= 16384, height <= 16384 else {
            throw .invalidArgument("video size \(width)x\(height) must be even and positive (yuv420p halves chroma); crop or pad by a pixel")
        }
        guard (0...51).contains(options.crf) else {
            throw .invalidArgument("CRF \(options.crf) is out of range; use 0 (lossless) to 51 (worst), 18 is typical")
        }
        if let rotation = options.rotationDegrees, rotation % 90 != 0 {
            throw .invalidArgument("rotation \(rotation)° is not a multiple of 90; use 0, 90, 180 or 270")
        }
        if let interval = options.keyframeInterval, interval < 1 {
            throw .invalidArgument("keyframe interval \(interval) must be at least 1 frame")
        }
        self.options = options
        self.path = path
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.metadata = options.metadata
        temporaryPath = try AtomicOutput.temporaryPath(for: path)

        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let container = VideoWriter.containerName(for: path)
        var status = avformat_alloc_output_context2(&context, nil, container, temporaryPath)
        guard status >= 0, let context else {
            throw .ffmpeg(path: path, call: "avformat_alloc_output_context2(\(container))", reason: FFmpeg.message(status))
        }
        output = context
        let (codec, encoderContext) = try VideoWriter.openEncoder(options: options, width: width, height: height,
                                                                  frameRate: frameRate, format: context, path: path)
        encoderName = String(cString: codec.pointee.name)
        encoder = encoderContext
        input = try FrameEncoderInput(width: Int32(width), height: Int32(height), format: encoderContext.pointee.pix_fmt,
                                      colorspace: encoderContext.pointee.colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601,
                                      fullRange: encoderContext.pointee.color_range == AVCOL_RANGE_JPEG)
        guard let stream = avformat_new_stream(context, nil) else {
            throw .ffmpeg(path: path, call: "avformat_new_stream", reason: "out of memory")
        }
        self.stream = stream
        status = avcodec_parameters_from_context(stream.pointee.codecpar, encoderContext)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_parameters_from_context", reason: FFmpeg.message(status)) }
        stream.pointee.time_base = encoderContext.pointee.time_base
        stream.pointee.avg_frame_rate = frameRate.rational
        if let rotation = options.rotationDegrees {
            // av_display_rotation_set takes the clockwise turn (its matrix reads back as the
            // negated, counter-clockwise angle): 90 gives a phone's tkhd matrix {0, 1, -1, 0}.
            let turns = ((rotation / 90) % 4 + 4) % 4
            status = cffmpeg_stream_set_display_rotation(stream, Double(90 * turns))
            guard status >= 0 else { throw .ffmpeg(path: path, call: "av_stream_add_side_data", reason: FFmpeg.message(status)) }
        }

        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame, packet != nil else { throw .ffmpeg(path: path, call: "av_frame_alloc", reason: "out of memory") }
        frame.pointee.format = encoderContext.pointee.pix_fmt.rawValue
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "av_frame_get_buffer", reason: FFmpeg.message(status)) }

        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            status = avio_open(&context.pointee.pb, temporaryPath, AVIO_FLAG_WRITE)
            guard status >= 0 else {
                throw .cannotWrite(path: path, reason: FFmpeg.message(status))
            }
        }
    }

    deinit {
        if !closed { cancel() }
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
        avformat_free_context(output)
    }

    /// Adds the audio of `source` (its best audio stream), copied packet for packet without
    /// re-encoding, timestamps rescaled so the source's first video frame lines up with this
    /// video's first frame. Audio past the end of this video is dropped (like ffmpeg
    /// `-shortest`). Call before the first `write`. Returns `false`, adding nothing, when
    /// `source` has no audio stream.
    ///
    /// Throws `cannotWrite` when the audio codec cannot be stored in this container (PCM in
    /// MP4, for example: write `.mkv`, or render without audio).
    @discardableResult
    public func copyAudio(from source: String) throws(MediaError) -> Bool {
        try checkBeforeFirstFrame("copyAudio(from:)")
        guard let output else { return false }
        guard let track = try AudioCopySource(source: source, output: output, outputPath: path) else { return false }
        audio.append(track)
        return true
    }

    /// Adds an audio track encoded (AAC, else MP2) from mono samples in [-1, 1] at
    /// `sampleRate` Hz; samples past the end of the video are dropped. Call before the first
    /// `write`. Useful for test tones and for audio produced in memory.
    public func addAudio(monoSamples: [Float], sampleRate: Int) throws(MediaError) {
        try checkBeforeFirstFrame("addAudio(monoSamples:sampleRate:)")
        guard let output else { return }
        audio.append(try AudioEncodeSource(samples: monoSamples, sampleRate: sampleRate, output: output, outputPath: path))
    }

    /// Encodes one frame; it must be `width × height`. Values are clamped to [0, 1]. It is shown
    /// one frame period after the previous frame.
    public func write(_ image: RGBImage) throws(MediaError) {
        try write(image, at: nextTime)
    }

    /// Encodes one frame shown from `time`, in frame periods (units of `1/frameRate` s), until
    /// the next frame's time: a variable frame rate, as phones record. Times must increase by at
    /// least one period from frame to frame.
    public func write(_ image: RGBImage, at time: Int64) throws(MediaError) {
        guard time >= nextTime, time < Int64.max / 2 else {
            throw .invalidArgument("frame \(framesWritten) at time \(time) is not after the previous frame's (\(nextTime - 1)); times must increase")
        }
        guard !closed, encoder != nil, let frame, let input else {
            throw .invalidArgument("\(path): write after finish() or cancel(); open a new VideoWriter")
        }
        guard image.width == width, image.height == height else {
            throw .invalidArgument("frame \(framesWritten) is \(image.width)x\(image.height) but the video is \(width)x\(height); resize it first")
        }
        try writeHeaderIfNeeded()
        if let interval = options.keyframeInterval, framesWritten > 0, framesWritten % interval == 0 {
            try restartEncoder()
        }
        guard let encoder else { return }
        var status = av_frame_make_writable(frame)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "av_frame_make_writable", reason: FFmpeg.message(status)) }
        status = input.fill(frame, from: image)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "sws_scale", reason: FFmpeg.message(status)) }
        frame.pointee.pts = time
        status = avcodec_send_frame(encoder, frame)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_send_frame", reason: FFmpeg.message(status)) }
        framesWritten += 1
        nextTime = time + 1
        try drainEncoder()
    }

    /// Flushes the encoder, writes the container's index and renames the temporary file to
    /// `path`. Throws `invalidArgument` when no frame was written (nothing is left on disk).
    public func finish() throws(MediaError) {
        guard !closed else { throw .invalidArgument("\(path): finish() called twice or after cancel()") }
        guard framesWritten > 0 else {
            cancel()
            throw .invalidArgument("\(path): no frames were written, so no video was saved")
        }
        do throws(MediaError) {
            avcodec_send_frame(encoder, nil)
            try drainEncoder()
            let end = Double(nextTime) / frameRate.framesPerSecond
            for track in audio { try track.pump(until: end, flush: true) }
            guard let output else { return }
            let status = av_write_trailer(output)
            guard status >= 0 else { throw .cannotWrite(path: path, reason: "av_write_trailer: \(FFmpeg.message(status))") }
            let closedIO = avio_closep(&output.pointee.pb)
            guard closedIO >= 0 else { throw .cannotWrite(path: path, reason: FFmpeg.message(closedIO)) }
            closed = true
            audio.removeAll()
            try AtomicOutput.commit(temporaryPath, to: path)
        } catch {
            cancel()
            throw error
        }
    }

    /// Abandons the video: closes the file and removes the temporary; nothing appears at
    /// `path`. Safe to call more than once (and from a Ctrl-C handler's cleanup path).
    public func cancel() {
        if let output, output.pointee.pb != nil { avio_closep(&output.pointee.pb) }
        if !closed { AtomicOutput.discard(temporaryPath) }
        closed = true
        audio.removeAll()
    }

    /// Flushes the current encoder run into the file and opens a fresh encoder with the same
    /// settings (it must produce the same stream header, or the file could not hold both).
    private func restartEncoder() throws(MediaError) {
        guard let output, let stream else { return }
        avcodec_send_frame(encoder, nil)
        try drainEncoder()
        avcodec_free_context(&encoder)
        let (_, fresh) = try VideoWriter.openEncoder(options: options, width: width, height: height, frameRate: frameRate,
                                                    format: output, path: path)
        encoder = fresh
        let old = stream.pointee.codecpar.pointee
        let same = Int(old.extradata_size) == Int(fresh.pointee.extradata_size)
            && (old.extradata_size == 0 || memcmp(old.extradata, fresh.pointee.extradata, Int(old.extradata_size)) == 0)
        guard same else {
            throw .ffmpeg(path: path, call: "avcodec_open2", reason: "the restarted \(encoderName) encoder wrote another stream header; encode without a keyframe interval")
        }
    }

    private func checkBeforeFirstFrame(_ call: String) throws(MediaError) {
        guard !headerWritten, !closed else {
            throw .invalidArgument("\(call) must be called before the first frame is written")
        }
    }

    private func writeHeaderIfNeeded() throws(MediaError) {
        guard !headerWritten, let output else { return }
        try writeContainerHeader(output, metadata: metadata, path: path)
        headerWritten = true
    }

    /// Moves every packet the encoder has ready into the muxer, audio first up to each
    /// video packet's time so the streams interleave.
    private func drainEncoder() throws(MediaError) {
        guard let encoder, let packet, let stream, let output else { return }
        while true {
            let status = avcodec_receive_packet(encoder, packet)
            if status == FFmpeg.again || status == FFmpeg.endOfFile { return }
            guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_receive_packet", reason: FFmpeg.message(status)) }
            av_packet_rescale_ts(packet, encoder.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            let time = Double(packet.pointee.dts == FFmpeg.noTimestamp ? packet.pointee.pts : packet.pointee.dts)
                * av_q2d(stream.pointee.time_base)
            for track in audio { try track.pump(until: time, flush: false) }
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else { throw .cannotWrite(path: path, reason: FFmpeg.message(written)) }
        }
    }

    /// The libavformat muxer for a file name: the one its extension names, else MP4.
    static func containerName(for path: String) -> String {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if ext.isEmpty { return "mp4" }
        if let guessed = av_guess_format(nil, "x." + ext, nil), let name = guessed.pointee.name {
            let muxer = String(cString: name)
            return muxer == "image2" ? "mp4" : muxer
        }
        return "mp4"
    }
}
