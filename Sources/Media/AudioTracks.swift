import CFFmpeg
import Foundation

/// An audio stream that `VideoWriter` feeds into the muxer alongside the video, in time order.
protocol AudioTrackSource: AnyObject {
    /// Writes this track's packets that start before `seconds` (output timeline). With
    /// `flush`, this is the end of the video: finish the track (later audio is dropped).
    func pump(until seconds: Double, flush: Bool) throws(MediaError)
}

/// Copies the best audio stream of a source file packet for packet (no re-encoding).
final class AudioCopySource: AudioTrackSource {
    private var input: UnsafeMutablePointer<AVFormatContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private let output: UnsafeMutablePointer<AVFormatContext>
    private let outputStream: UnsafeMutablePointer<AVStream>
    private let inputIndex: Int32
    private let inputTimeBase: AVRational
    /// The source's first video timestamp, in the audio stream's time base: output time zero.
    private let startTicks: Int64
    private let source: String
    private var holding = false
    private var exhausted = false

    /// Opens `source`; returns `nil` when it has no audio stream.
    init?(source: String, output: UnsafeMutablePointer<AVFormatContext>, outputPath: String) throws(MediaError) {
        guard FileManager.default.isReadableFile(atPath: source) else { throw .fileNotFound(path: source) }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        var status = avformat_open_input(&context, source, nil, nil)
        guard status >= 0, let opened = context else {
            throw .unsupportedFormat(path: source, reason: FFmpeg.message(status))
        }
        status = avformat_find_stream_info(opened, nil)
        let index = status >= 0 ? av_find_best_stream(opened, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0) : -1
        guard index >= 0, let stream = opened.pointee.streams[Int(index)] else {
            avformat_close_input(&context)
            if status < 0 { throw .corrupt(path: source, reason: FFmpeg.message(status)) }
            return nil
        }
        let parameters = stream.pointee.codecpar!
        let codecID = parameters.pointee.codec_id
        guard avformat_query_codec(output.pointee.oformat, codecID, FF_COMPLIANCE_NORMAL) == 1,
              let created = avformat_new_stream(output, nil),
              avcodec_parameters_copy(created.pointee.codecpar, parameters) >= 0 else {
            avformat_close_input(&context)
            let codec = String(cString: avcodec_get_name(codecID))
            let muxer = String(cString: output.pointee.oformat.pointee.name)
            throw .cannotWrite(path: outputPath, reason: "the \(codec) audio of \(source) cannot be copied into \(muxer); write .mkv instead, or render without audio")
        }
        created.pointee.codecpar.pointee.codec_tag = 0
        created.pointee.time_base = stream.pointee.time_base
        self.source = source
        self.output = output
        outputStream = created
        input = opened
        inputIndex = index
        inputTimeBase = stream.pointee.time_base

        // Output time zero is the source's first video frame (else the audio's own start).
        let video = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        if video >= 0, let videoStream = opened.pointee.streams[Int(video)],
           videoStream.pointee.start_time != FFmpeg.noTimestamp {
            startTicks = av_rescale_q(videoStream.pointee.start_time, videoStream.pointee.time_base, inputTimeBase)
        } else if stream.pointee.start_time != FFmpeg.noTimestamp {
            startTicks = stream.pointee.start_time
        } else {
            startTicks = 0
        }
        for i in 0..<Int(opened.pointee.nb_streams) where i != Int(index) {
            opened.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
        }
        packet = av_packet_alloc()
        guard packet != nil else { throw .ffmpeg(path: source, call: "av_packet_alloc", reason: "out of memory") }
    }

    deinit {
        av_packet_free(&packet)
        avformat_close_input(&input)
    }

    func pump(until seconds: Double, flush: Bool) throws(MediaError) {
        guard let input, let packet, !exhausted else { return }
        while true {
            if !holding {
                let status = av_read_frame(input, packet)
                if status < 0 {
                    exhausted = true
                    // A damaged tail of the audio ends the audio; the video is unaffected.
                    return
                }
                guard packet.pointee.stream_index == inputIndex else { av_packet_unref(packet); continue }
                holding = true
            }
            let stamp = packet.pointee.pts != FFmpeg.noTimestamp ? packet.pointee.pts : packet.pointee.dts
            let start = stamp == FFmpeg.noTimestamp ? 0 : Double(stamp - startTicks) * av_q2d(inputTimeBase)
            if start >= seconds {
                if flush { exhausted = true; av_packet_unref(packet) }
                return
            }
            holding = false
            let end = start + Double(packet.pointee.duration) * av_q2d(inputTimeBase)
            if end <= -0.05 { av_packet_unref(packet); continue } // wholly before the first video frame
            if packet.pointee.pts != FFmpeg.noTimestamp { packet.pointee.pts -= startTicks }
            if packet.pointee.dts != FFmpeg.noTimestamp { packet.pointee.dts -= startTicks }
            av_packet_rescale_ts(packet, inputTimeBase, outputStream.pointee.time_base)
            packet.pointee.stream_index = outputStream.pointee.index
            packet.pointee.pos = -1
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else {
                throw .cannotWrite(path: source, reason: "copying audio: \(FFmpeg.message(written))")
            }
        }
    }
}

/// Encodes mono float samples into an audio stream (AAC, else MP2).
final class AudioEncodeSource: AudioTrackSource {
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private let output: UnsafeMutablePointer<AVFormatContext>
    private let stream: UnsafeMutablePointer<AVStream>
    private let samples: [Float]
    private let sampleRate: Int
    private var frameSize = 1024
    private let outputPath: String
    private var position = 0
    private var flushed = false

    init(samples: [Float], sampleRate: Int, output: UnsafeMutablePointer<AVFormatContext>, outputPath: String) throws(MediaError) {
        guard (8000...192_000).contains(sampleRate) else {
            throw .invalidArgument("audio sample rate \(sampleRate) Hz is out of range; use 8000...192000 (44100 or 48000 typical)")
        }
        let candidates = [avcodec_find_encoder_by_name("aac"), avcodec_find_encoder(AV_CODEC_ID_MP2)].compactMap { $0 }
        guard let codec = candidates.first(where: {
            avformat_query_codec(output.pointee.oformat, $0.pointee.id, FF_COMPLIANCE_NORMAL) == 1
                && AudioEncodeSource.sampleFormat(for: $0) != nil
        }), let format = AudioEncodeSource.sampleFormat(for: codec) else {
            throw .codecUnavailable(path: outputPath, codec: "AAC or MP2 audio encoder")
        }
        guard let created = avformat_new_stream(output, nil) else {
            throw .ffmpeg(path: outputPath, call: "avformat_new_stream", reason: "out of memory")
        }
        self.samples = samples
        self.sampleRate = sampleRate
        self.output = output
        self.outputPath = outputPath
        stream = created
        // Fully initialised: a throw from here runs deinit, which frees the encoder and frame.
        encoder = avcodec_alloc_context3(codec)
        guard let encoder else { throw .ffmpeg(path: outputPath, call: "avcodec_alloc_context3", reason: "out of memory") }
        encoder.pointee.sample_fmt = format
        encoder.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&encoder.pointee.ch_layout, 1)
        encoder.pointee.bit_rate = 96_000
        encoder.pointee.time_base = AVRational(num: 1, den: Int32(sampleRate))
        if output.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            encoder.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
        var status = avcodec_open2(encoder, codec, nil)
        guard status >= 0 else {
            throw .ffmpeg(path: outputPath, call: "avcodec_open2(\(String(cString: codec.pointee.name)))", reason: FFmpeg.message(status))
        }
        frameSize = encoder.pointee.frame_size > 0 ? Int(encoder.pointee.frame_size) : 1024
        status = avcodec_parameters_from_context(stream.pointee.codecpar, encoder)
        guard status >= 0 else { throw .ffmpeg(path: outputPath, call: "avcodec_parameters_from_context", reason: FFmpeg.message(status)) }
        stream.pointee.time_base = encoder.pointee.time_base
        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame, packet != nil else { throw .ffmpeg(path: outputPath, call: "av_frame_alloc", reason: "out of memory") }
        frame.pointee.format = format.rawValue
        frame.pointee.nb_samples = Int32(frameSize)
        frame.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_copy(&frame.pointee.ch_layout, &encoder.pointee.ch_layout)
        status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw .ffmpeg(path: outputPath, call: "av_frame_get_buffer", reason: FFmpeg.message(status)) }
    }

    deinit {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
    }

    func pump(until seconds: Double, flush: Bool) throws(MediaError) {
        guard !flushed, let encoder, let frame else { return }
        let limit = min(samples.count, max(0, Int(seconds * Double(sampleRate))))
        while position < limit, position + frameSize <= limit || flush {
            let count = min(frameSize, limit - position)
            var status = av_frame_make_writable(frame)
            guard status >= 0 else { throw .ffmpeg(path: outputPath, call: "av_frame_make_writable", reason: FFmpeg.message(status)) }
            frame.pointee.nb_samples = Int32(count)
            fill(frame, from: position, count: count)
            frame.pointee.pts = Int64(position)
            status = avcodec_send_frame(encoder, frame)
            guard status >= 0 else { throw .ffmpeg(path: outputPath, call: "avcodec_send_frame(audio)", reason: FFmpeg.message(status)) }
            position += count
            try drain()
        }
        if flush {
            avcodec_send_frame(encoder, nil)
            try drain()
            flushed = true
        }
    }

    private func fill(_ frame: UnsafeMutablePointer<AVFrame>, from start: Int, count: Int) {
        guard let plane = cffmpeg_frame_plane(frame, 0) else { return }
        let format = AVSampleFormat(rawValue: frame.pointee.format)
        samples.withUnsafeBufferPointer { source in
            if format == AV_SAMPLE_FMT_FLTP || format == AV_SAMPLE_FMT_FLT {
                let out = UnsafeMutableRawPointer(plane).assumingMemoryBound(to: Float.self)
                for i in 0..<count { out[i] = max(-1, min(1, source[start + i])) }
            } else {
                let out = UnsafeMutableRawPointer(plane).assumingMemoryBound(to: Int16.self)
                for i in 0..<count { out[i] = Int16(max(-1, min(1, source[start + i])) * 32767) }
            }
        }
    }

    private func drain() throws(MediaError) {
        guard let encoder, let packet else { return }
        while true {
            let status = avcodec_receive_packet(encoder, packet)
            if status == FFmpeg.again || status == FFmpeg.endOfFile { return }
            guard status >= 0 else { throw .ffmpeg(path: outputPath, call: "avcodec_receive_packet(audio)", reason: FFmpeg.message(status)) }
            av_packet_rescale_ts(packet, encoder.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else { throw .cannotWrite(path: outputPath, reason: "writing audio: \(FFmpeg.message(written))") }
        }
    }

    /// A sample format this file can fill (float or 16-bit, planar or packed) that `codec` takes.
    static func sampleFormat(for codec: UnsafePointer<AVCodec>) -> AVSampleFormat? {
        let usable = [AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P]
        guard var list = codec.pointee.sample_fmts else { return nil }
        var offered: [AVSampleFormat] = []
        while list.pointee != AV_SAMPLE_FMT_NONE { offered.append(list.pointee); list += 1 }
        return usable.first { offered.contains($0) }
    }
}
