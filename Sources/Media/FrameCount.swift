import CFFmpeg
import Foundation

extension VideoReader {
    /// The exact number of frames of the video at `path`, counted from its video packets without
    /// decoding (one packet is one frame in the formats we read: MP4/MOV/MKV/WebM with H.264,
    /// HEVC, VP9, AV1 or MPEG-4). Used to split a clip into shards before rendering.
    public static func countFrames(_ path: String) throws(MediaError) -> Int {
        _ = FFmpeg.quiet
        guard FileManager.default.isReadableFile(atPath: path) else { throw .fileNotFound(path: path) }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        var status = avformat_open_input(&context, path, nil, nil)
        guard status >= 0, let opened = context else { throw .unsupportedFormat(path: path, reason: FFmpeg.message(status)) }
        defer { avformat_close_input(&context) }
        status = avformat_find_stream_info(opened, nil)
        guard status >= 0 else { throw .corrupt(path: path, reason: FFmpeg.message(status)) }
        let index = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0 else { throw .noVideoStream(path: path) }
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet else { throw .ffmpeg(path: path, call: "av_packet_alloc", reason: "out of memory") }
        var count = 0
        while true {
            status = av_read_frame(opened, packet)
            if status == FFmpeg.endOfFile { break }
            guard status >= 0 else { throw .corrupt(path: path, reason: "after \(count) frames: \(FFmpeg.message(status))") }
            if packet.pointee.stream_index == index { count += 1 }
            av_packet_unref(packet)
        }
        return count
    }
}
