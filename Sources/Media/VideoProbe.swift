import CFFmpeg
import Foundation

/// An opened container with its best video stream found and described: the part of opening
/// a video that happens before decoding. On a throw it closes what it opened.
struct VideoProbe {
    let format: UnsafeMutablePointer<AVFormatContext>
    let streamIndex: Int32
    let codec: UnsafePointer<AVCodec>
    let parameters: UnsafeMutablePointer<AVCodecParameters>
    let timeBase: AVRational
    let width: Int
    let height: Int
    /// The stream's own rate (libav's guess from the container and codec).
    let frameRate: FrameRate
    /// The stream's average rate: frames ÷ duration where the container states both, else
    /// libavformat's estimate from the first frames' timestamps.
    let averageFrameRate: FrameRate?
    let duration: Double?
    let declaredFrameCount: Int
    let frameCountEstimate: Int?
    let hasAudio: Bool
    let codecName: String
    /// Clockwise degrees (0, 90, 180 or 270) to turn decoded frames to display them upright,
    /// from the stream's display matrix; 0 when it has none.
    let rotationDegrees: Int

    init(path: String) throws(MediaError) {
        try InputFile.check(path)
        var opened: UnsafeMutablePointer<AVFormatContext>? = nil
        // Local files only: a playlist (HLS, concat) inside a "video" must not open URLs or
        // embedded data for us.
        var options: OpaquePointer? = nil
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        let status = avformat_open_input(&opened, path, nil, &options)
        av_dict_free(&options)
        guard status >= 0, let context = opened else {
            if status == cffmpeg_averror(ENOENT) || status == cffmpeg_averror(EACCES) { throw .fileNotFound(path: path) }
            throw .unsupportedFormat(path: path, reason: FFmpeg.message(status))
        }
        do {
            try self.init(context: context, path: path)
        } catch {
            avformat_close_input(&opened)
            throw error
        }
    }

    private init(context: UnsafeMutablePointer<AVFormatContext>, path: String) throws(MediaError) {
        format = context
        // Stream probing decodes frames too: bound their size there as in the decoder proper.
        var options = [OpaquePointer?](repeating: nil, count: Int(context.pointee.nb_streams))
        for i in options.indices { av_dict_set(&options[i], "max_pixels", "\(PictureLimits.maximumPixels)", 0) }
        let status = options.isEmpty ? avformat_find_stream_info(context, nil)
            : options.withUnsafeMutableBufferPointer { avformat_find_stream_info(context, $0.baseAddress) }
        for i in options.indices { av_dict_free(&options[i]) }
        guard status >= 0 else { throw .corrupt(path: path, reason: "cannot read stream info: \(FFmpeg.message(status))") }

        var found: UnsafePointer<AVCodec>? = nil
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, &found, 0)
        var audio = false
        for i in 0..<Int(context.pointee.nb_streams) {
            if let stream = context.pointee.streams[i], stream.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO {
                audio = true
            }
        }
        hasAudio = audio
        guard index >= 0, let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            if index == cffmpeg_averror_decoder_not_found() {
                throw .codecUnavailable(path: path, codec: "video decoder")
            }
            throw .noVideoStream(path: path)
        }
        streamIndex = index
        self.parameters = parameters
        codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
        guard let found else { throw .codecUnavailable(path: path, codec: codecName + " decoder") }
        codec = found
        width = Int(parameters.pointee.width)
        height = Int(parameters.pointee.height)
        guard width > 0, height > 0 else {
            throw .corrupt(path: path, reason: "video stream has no frame size (\(width)x\(height))")
        }
        try PictureLimits.check(width: width, height: height, path: path)

        var matrixAngle = 0.0
        rotationDegrees = cffmpeg_stream_display_rotation(stream, &matrixAngle) == 1
            ? VideoReader.clockwiseRotation(forDisplayMatrixAngle: matrixAngle) : 0

        // Other streams are skipped by the demuxer rather than read and dropped.
        for i in 0..<Int(context.pointee.nb_streams) where i != Int(index) {
            context.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
        }

        let guessed = av_guess_frame_rate(context, stream, nil)
        frameRate = (try? FrameRate(guessed.num, guessed.den)) ?? VideoProbe.fallbackRate
        timeBase = stream.pointee.time_base
        if stream.pointee.duration != FFmpeg.noTimestamp, stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * av_q2d(timeBase)
        } else if context.pointee.duration != FFmpeg.noTimestamp, context.pointee.duration > 0 {
            duration = Double(context.pointee.duration) / Double(AV_TIME_BASE)
        } else {
            duration = nil
        }
        declaredFrameCount = Int(stream.pointee.nb_frames)
        // Frames ÷ duration where the container states both (MP4/MOV): libavformat's own
        // avg_frame_rate comes from decoding timestamps there, which gaps in the decoding order
        // (an encoder restarted part-way, as keyframe-interval pieces are) throw off.
        let average = stream.pointee.avg_frame_rate
        if declaredFrameCount > 0, let duration, duration > 0 {
            averageFrameRate = try? FrameRate(framesPerSecond: Double(declaredFrameCount) / duration)
        } else {
            averageFrameRate = average.num > 0 && average.den > 0 ? try? FrameRate(framesPerSecond: av_q2d(average)) : nil
        }
        if declaredFrameCount > 0 {
            frameCountEstimate = declaredFrameCount
        } else if let duration {
            frameCountEstimate = max(1, Int((duration * frameRate.framesPerSecond).rounded()))
        } else {
            frameCountEstimate = nil
        }
    }

    /// The constant rate to show the stream at: its own rate, unless its average rate differs
    /// from that by more than 1 % (a variable frame rate: phones record 30 "fps" clips whose
    /// frames come 25 to 40 ms apart), then the average, so the frame count matches the
    /// duration. A stated rate above `maximumRate` (a time base taken for a rate) gives way to
    /// the average, or 25.
    var constantRate: FrameRate {
        if let average = averageFrameRate, average.framesPerSecond <= Self.maximumRate,
           frameRate.framesPerSecond > Self.maximumRate || abs(average.framesPerSecond / frameRate.framesPerSecond - 1) > 0.01 {
            return average
        }
        return frameRate.framesPerSecond <= Self.maximumRate ? frameRate : Self.fallbackRate
    }

    /// The highest rate taken from a file as a frame rate (frames per second).
    static let maximumRate = 1000.0

    /// The conversion of this stream's timestamps to output frames at `rate`.
    func timing(rate: FrameRate) -> ConstantRateTiming {
        ConstantRateTiming(timeBase: (timeBase.num, timeBase.den), rate: rate, nominal: frameRate)
    }

    /// 25 frames per second, used when a stream states no usable rate (a still image).
    static let fallbackRate: FrameRate = {
        guard let rate = try? FrameRate(25) else { preconditionFailure("25/1 is a valid rate") }
        return rate
    }()
}
