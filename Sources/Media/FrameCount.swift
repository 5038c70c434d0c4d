import CFFmpeg
import Foundation

extension VideoReader {
    /// The exact number of frames `VideoReader(path:timing:)` returns for the video at `path`,
    /// counted from its video packets without decoding (one packet is one frame in the formats
    /// we read: MP4/MOV/MKV/WebM with H.264, HEVC, VP9, AV1 or MPEG-4). At a constant rate the
    /// count follows from the packets' timestamps as `ConstantRateTiming` says. Used to split a
    /// clip into shards before rendering.
    public static func countFrames(_ path: String, timing: Timing = .constantRate(nil)) throws(MediaError) -> Int {
        _ = FFmpeg.quiet
        let probe = try VideoProbe(path: path)
        var context: UnsafeMutablePointer<AVFormatContext>? = probe.format
        defer { avformat_close_input(&context) }
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet else { throw .ffmpeg(path: path, call: "av_packet_alloc", reason: "out of memory") }
        var stamps: [Int64?] = []
        let rate: FrameRate
        switch timing {
        case .asDecoded: rate = probe.frameRate
        case .constantRate(let given): rate = given ?? probe.constantRate
        }
        var clock = FrameClock(timing: probe.timing(rate: rate))
        while true {
            let status = av_read_frame(probe.format, packet)
            if status == FFmpeg.endOfFile { break }
            guard status >= 0 else { throw .corrupt(path: path, reason: "after \(stamps.count) frames: \(FFmpeg.message(status))") }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == probe.streamIndex, packet.pointee.flags & AV_PKT_FLAG_DISCARD == 0 else { continue }
            let p = packet.pointee
            stamps.append(p.pts != FFmpeg.noTimestamp ? p.pts : p.dts != FFmpeg.noTimestamp ? p.dts : nil)
            if let end = packetEnd(packet) { clock.notePacketEnd(end) }
        }
        if timing == .asDecoded || stamps.isEmpty { return stamps.count }
        // Packets come in decoding order; frames are shown in timestamp order.
        let ordered = stamps.compactMap { $0 }.sorted() + stamps.filter { $0 == nil }
        for stamp in ordered { _ = clock.add(frame: stamp) }
        return max(1, clock.timing.slot(clock.end))
    }
}
