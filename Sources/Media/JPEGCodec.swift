import CFFmpeg
import Foundation

/// Writes baseline JPEG pictures with libavcodec's `mjpeg` encoder: full-range BT.601 Y'CbCr
/// (JPEG's own definition) at 4:4:4 when the encoder offers it, so thin coloured lines keep their
/// colour, and a fixed quantiser (JPEG quality ≈ 95 at the default 2).
public enum JPEGCodec {
    /// The encoded JPEG bytes of `rgb`; `quantiser` is libavcodec's q scale, 1 (best) … 31.
    public static func encode(_ rgb: RGBImage, quantiser: Int = 2, path: String = "<memory>") throws(MediaError) -> Data {
        guard (1...31).contains(quantiser) else { throw .invalidArgument("JPEG quantiser \(quantiser) must lie in 1...31 (1 is best)") }
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw .codecUnavailable(path: path, codec: "mjpeg (the JPEG encoder of libavcodec)")
        }
        var context: UnsafeMutablePointer<AVCodecContext>? = avcodec_alloc_context3(codec)
        var frame: UnsafeMutablePointer<AVFrame>? = av_frame_alloc()
        var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
        defer { avcodec_free_context(&context); av_frame_free(&frame); av_packet_free(&packet) }
        guard let context, let frame, let packet else { throw .ffmpeg(path: path, call: "avcodec_alloc_context3", reason: "out of memory") }
        let format = pixelFormat(codec)
        context.pointee.width = Int32(rgb.width)
        context.pointee.height = Int32(rgb.height)
        context.pointee.time_base = AVRational(num: 1, den: 25)
        context.pointee.pix_fmt = format
        context.pointee.color_range = AVCOL_RANGE_JPEG
        context.pointee.colorspace = AVCOL_SPC_SMPTE170M
        context.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
        context.pointee.global_quality = Int32(quantiser) * FF_QP2LAMBDA
        var status = avcodec_open2(context, codec, nil)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_open2(mjpeg)", reason: FFmpeg.message(status)) }
        frame.pointee.format = format.rawValue
        frame.pointee.width = Int32(rgb.width)
        frame.pointee.height = Int32(rgb.height)
        frame.pointee.quality = context.pointee.global_quality
        frame.pointee.pts = 0
        status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "av_frame_get_buffer", reason: FFmpeg.message(status)) }
        let input = try FrameEncoderInput(width: Int32(rgb.width), height: Int32(rgb.height), format: format,
                                          colorspace: SWS_CS_ITU601, fullRange: true)
        _ = input.fill(frame, from: rgb)
        status = avcodec_send_frame(context, frame)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_send_frame(mjpeg)", reason: FFmpeg.message(status)) }
        status = avcodec_send_frame(context, nil)
        guard status >= 0 else { throw .ffmpeg(path: path, call: "avcodec_send_frame(mjpeg, flush)", reason: FFmpeg.message(status)) }
        status = avcodec_receive_packet(context, packet)
        guard status >= 0, let bytes = packet.pointee.data, packet.pointee.size > 0 else {
            throw .ffmpeg(path: path, call: "avcodec_receive_packet(mjpeg)", reason: FFmpeg.message(status))
        }
        return Data(bytes: bytes, count: Int(packet.pointee.size))
    }

    /// Writes `rgb` as a JPEG file, atomically (a temporary file beside `path`, renamed when complete).
    public static func write(_ rgb: RGBImage, to path: String, quantiser: Int = 2) throws(MediaError) {
        let data = try encode(rgb, quantiser: quantiser, path: path)
        try AtomicOutput.write(data, to: path)
    }

    /// 4:4:4 when the encoder takes it, else 4:2:0; the plain formats tagged full range (the
    /// encoder takes them so), not the deprecated `yuvj` ones, which make libswscale warn.
    private static func pixelFormat(_ codec: UnsafePointer<AVCodec>) -> AVPixelFormat {
        guard var list = codec.pointee.pix_fmts else { return AV_PIX_FMT_YUVJ420P }
        var offered: [AVPixelFormat] = []
        while list.pointee != AV_PIX_FMT_NONE { offered.append(list.pointee); list += 1 }
        for format in [AV_PIX_FMT_YUV444P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUV420P] where offered.contains(format) { return format }
        return AV_PIX_FMT_YUVJ420P
    }
}
