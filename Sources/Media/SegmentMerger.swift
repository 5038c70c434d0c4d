import CFFmpeg
import Foundation

/// Joins video segments into one file without re-encoding: the pieces of a sharded render.
///
/// Each segment must be a video of the same codec, size and stream header (as `VideoWriter`
/// writes with the same options), starting on a keyframe. Their video packets are copied in the
/// order given, re-timed so each segment follows the previous one; the best audio stream of
/// `audioSource` (the driving video) is copied alongside, cut at the video's end. The result is
/// written to a temporary file and renamed into place, as every output.
public enum SegmentMerger {
    /// What `merge` wrote.
    public struct Summary: Sendable, Equatable {
        /// Video frames (packets) in the merged file.
        public let frames: Int
        /// Whether audio was copied.
        public let hasAudio: Bool
    }

    /// Merges `segments` into `path`, with `metadata` as the container tags (e.g. the first
    /// segment's disclosure label). Throws `MediaError` for a missing, unreadable or mismatched
    /// segment; nothing is left at `path` then.
    public static func merge(_ segments: [String], into path: String, audioSource: String? = nil,
                             metadata: [String: String] = [:]) throws(MediaError) -> Summary {
        _ = FFmpeg.quiet
        guard !segments.isEmpty else { throw .invalidArgument("merge needs at least one segment") }
        // Segments are opened one at a time (a long render has thousands of pieces: more than a
        // process may hold open), each checked against the first before its packets are copied.
        let first = try SegmentInput(path: segments[0])
        func mismatch(_ input: SegmentInput) -> MediaError {
            .invalidArgument("\(input.path) was not written like \(first.path) (codec, size, frame rate or stream header differ); render every shard with the same options")
        }
        let temporary = try AtomicOutput.temporaryPath(for: path)
        var output: UnsafeMutablePointer<AVFormatContext>? = nil
        var status = avformat_alloc_output_context2(&output, nil, VideoWriter.containerName(for: path), temporary)
        guard status >= 0, let output else {
            throw .ffmpeg(path: path, call: "avformat_alloc_output_context2", reason: FFmpeg.message(status))
        }
        var audio: AudioCopySource?
        var committed = false
        defer {
            audio = nil
            if output.pointee.pb != nil { avio_closep(&output.pointee.pb) }
            avformat_free_context(output)
            if !committed { AtomicOutput.discard(temporary) }
        }
        guard let stream = avformat_new_stream(output, nil),
              avcodec_parameters_copy(stream.pointee.codecpar, first.stream.pointee.codecpar) >= 0 else {
            throw .ffmpeg(path: path, call: "avformat_new_stream", reason: "out of memory")
        }
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = first.stream.pointee.time_base
        stream.pointee.avg_frame_rate = first.stream.pointee.r_frame_rate
        if let audioSource { audio = try AudioCopySource(source: audioSource, output: output, outputPath: path) }
        status = avio_open(&output.pointee.pb, temporary, AVIO_FLAG_WRITE)
        guard status >= 0 else { throw .cannotWrite(path: path, reason: FFmpeg.message(status)) }
        try writeContainerHeader(output, metadata: metadata, path: path)

        // The stream's nominal rate: a short segment's average rate is skewed by its edit list.
        let rate = first.stream.pointee.r_frame_rate
        var frames = 0
        for (index, segment) in segments.enumerated() {
            let input = index == 0 ? first : try SegmentInput(path: segment)
            guard input.matches(first) else { throw mismatch(input) }
            // The segment starts where the previous one ended: frame `frames`, in its time base.
            let start = av_rescale_q(Int64(frames), AVRational(num: rate.den, den: rate.num), input.stream.pointee.time_base)
            let shift = start - input.firstPresentation
            frames += try input.copyPackets(to: output, stream: stream, shift: shift, audio: audio, path: path)
        }
        try audio?.pump(until: Double(frames) * Double(rate.den) / Double(rate.num), flush: true)
        status = av_write_trailer(output)
        guard status >= 0 else { throw .cannotWrite(path: path, reason: "av_write_trailer: \(FFmpeg.message(status))") }
        status = avio_closep(&output.pointee.pb)
        guard status >= 0 else { throw .cannotWrite(path: path, reason: FFmpeg.message(status)) }
        try AtomicOutput.commit(temporary, to: path)
        committed = true
        return Summary(frames: frames, hasAudio: audio != nil)
    }
}

/// One segment opened for copying: its video stream and where its presentation starts.
private final class SegmentInput {
    let path: String
    private var context: UnsafeMutablePointer<AVFormatContext>?
    let stream: UnsafeMutablePointer<AVStream>
    /// The smallest presentation timestamp of the segment's video packets (its first frame).
    let firstPresentation: Int64

    init(path: String) throws(MediaError) {
        self.path = path
        guard FileManager.default.isReadableFile(atPath: path) else { throw .fileNotFound(path: path) }
        var opened: UnsafeMutablePointer<AVFormatContext>? = nil
        var status = avformat_open_input(&opened, path, nil, nil)
        guard status >= 0, let opened else { throw .unsupportedFormat(path: path, reason: FFmpeg.message(status)) }
        context = opened
        status = avformat_find_stream_info(opened, nil)
        guard status >= 0 else {
            avformat_close_input(&context)
            throw .corrupt(path: path, reason: FFmpeg.message(status))
        }
        let index = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let video = opened.pointee.streams[Int(index)] else {
            avformat_close_input(&context)
            throw .noVideoStream(path: path)
        }
        stream = video
        firstPresentation = video.pointee.start_time == FFmpeg.noTimestamp ? 0 : video.pointee.start_time
    }

    deinit { avformat_close_input(&context) }

    /// Same codec, size, frame rate and stream header (extradata) as `other`.
    func matches(_ other: SegmentInput) -> Bool {
        let a = stream.pointee.codecpar.pointee, b = other.stream.pointee.codecpar.pointee
        guard a.codec_id == b.codec_id, a.width == b.width, a.height == b.height, a.format == b.format,
              av_cmp_q(stream.pointee.r_frame_rate, other.stream.pointee.r_frame_rate) == 0,
              a.extradata_size == b.extradata_size else { return false }
        return a.extradata_size == 0 || memcmp(a.extradata, b.extradata, Int(a.extradata_size)) == 0
    }

    /// Copies every video packet, timestamps moved by `shift` (this stream's time base) and
    /// rescaled to `stream`'s; audio is pumped up to each packet's time. Returns the packets copied.
    func copyPackets(to output: UnsafeMutablePointer<AVFormatContext>, stream outStream: UnsafeMutablePointer<AVStream>,
                     shift: Int64, audio: AudioCopySource?, path outputPath: String) throws(MediaError) -> Int {
        guard let context else { return 0 }
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet else { throw .ffmpeg(path: path, call: "av_packet_alloc", reason: "out of memory") }
        var count = 0
        while true {
            let status = av_read_frame(context, packet)
            if status == FFmpeg.endOfFile { break }
            guard status >= 0 else { throw .corrupt(path: path, reason: "av_read_frame: \(FFmpeg.message(status))") }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == stream.pointee.index else { continue }
            if count == 0 && packet.pointee.flags & AV_PKT_FLAG_KEY == 0 {
                throw .invalidArgument("\(path) does not start on a keyframe, so it cannot be joined without re-encoding")
            }
            if packet.pointee.pts != FFmpeg.noTimestamp { packet.pointee.pts += shift }
            if packet.pointee.dts != FFmpeg.noTimestamp { packet.pointee.dts += shift }
            av_packet_rescale_ts(packet, stream.pointee.time_base, outStream.pointee.time_base)
            packet.pointee.stream_index = outStream.pointee.index
            packet.pointee.pos = -1
            let time = Double(packet.pointee.dts == FFmpeg.noTimestamp ? packet.pointee.pts : packet.pointee.dts) * av_q2d(outStream.pointee.time_base)
            try audio?.pump(until: time, flush: false)
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else { throw .cannotWrite(path: outputPath, reason: FFmpeg.message(written)) }
            count += 1
        }
        return count
    }
}
