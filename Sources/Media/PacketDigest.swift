import CFFmpeg
import Foundation

extension VideoReader {
    /// A content digest of the video at `path`: FNV-1a (64 bit, 16 hex digits) over the bytes
    /// and timestamps of its first `packets` video packets, read without decoding. Two files with
    /// the same digest start with the same coded pictures; a re-encode, a trim or another clip of
    /// the same size and rate gets another digest. `portrait plan` stores it so a shard cannot use
    /// a plan made for another clip.
    public static func packetDigest(_ path: String, packets: Int = 32) throws(MediaError) -> String {
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
        var hash: UInt64 = 0xcbf29ce484222325
        func mix<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { for b in $0 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 } }
        }
        var seen = 0
        while seen < packets {
            status = av_read_frame(opened, packet)
            if status == FFmpeg.endOfFile { break }
            guard status >= 0 else { throw .corrupt(path: path, reason: "after \(seen) packets: \(FFmpeg.message(status))") }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == index else { continue }
            mix(packet.pointee.pts)
            mix(packet.pointee.size)
            if let data = packet.pointee.data {
                for b in UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)) { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
            }
            seen += 1
        }
        return String(format: "%016llx", hash)
    }
}
