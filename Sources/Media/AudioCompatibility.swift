import CFFmpeg
import Foundation

/// Whether a driving video's audio can be copied (without re-encoding) into a video output,
/// asked before any work, so that a render does not fail at its first frame after the avatar
/// is built. `VideoWriter.copyAudio` asks libavformat the same question when it adds the track.
public enum AudioCompatibility {
    /// The name of the audio codec of `source`'s best audio stream, or nil when it has none.
    public static func audioCodec(of source: String) throws(MediaError) -> String? {
        _ = FFmpeg.quiet
        guard FileManager.default.isReadableFile(atPath: source) else { throw .fileNotFound(path: source) }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let status = avformat_open_input(&context, source, nil, nil)
        guard status >= 0, let opened = context else { throw .unsupportedFormat(path: source, reason: FFmpeg.message(status)) }
        defer { avformat_close_input(&context) }
        guard avformat_find_stream_info(opened, nil) >= 0 else { return nil }
        let index = av_find_best_stream(opened, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard index >= 0, let stream = opened.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else { return nil }
        return String(cString: avcodec_get_name(parameters.pointee.codec_id))
    }

    /// Whether the muxer `VideoWriter` picks for `outputPath` (by its extension) can hold audio of
    /// the codec named `codec` (libavcodec's name, e.g. `aac`, `pcm_s16le`); nil when either name
    /// is unknown to this build's libav.
    public static func container(of outputPath: String, accepts codec: String) -> Bool? {
        let muxer = VideoWriter.containerName(for: outputPath)
        guard let format = av_guess_format(muxer, nil, nil), let descriptor = avcodec_descriptor_get_by_name(codec) else { return nil }
        return avformat_query_codec(format, descriptor.pointee.id, FF_COMPLIANCE_NORMAL) == 1
    }

    /// The libavformat muxer name `VideoWriter` uses for `outputPath` (`mp4`, `mov`, `matroska`...).
    public static func muxerName(for outputPath: String) -> String { VideoWriter.containerName(for: outputPath) }
}
