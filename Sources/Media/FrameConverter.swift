import CFFmpeg

/// Pixel conversion between libav frames and `RGBImage`: 8-bit 4:2:0 through
/// `YUV420Decoder`, every other pixel format through libswscale.
///
/// YUV is converted with the matrix the frame declares (BT.601 when unstated, as ffmpeg does)
/// and its declared range (limited 16–235 unless marked full); chroma is interpolated
/// bilinearly with accurate rounding. One scaler is cached and rebuilt only if the input
/// size or format changes mid-stream.
final class FrameConverter {
    private var scaler: OpaquePointer?
    private var key: (width: Int32, height: Int32, format: Int32, space: Int32, full: Bool)?
    private var bytes: [UInt8] = []

    deinit { sws_freeContext(scaler) }

    /// A decoded frame as an `RGBImage`.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>, path: String) throws(MediaError) -> RGBImage {
        let w = frame.pointee.width, h = frame.pointee.height, fmt = frame.pointee.format
        guard w > 0, h > 0, fmt >= 0 else {
            throw .corrupt(path: path, reason: "decoder returned an empty frame")
        }
        if let direct = YUV420Decoder(frame: frame) {
            return RGBImage(uncheckedWidth: Int(w), height: Int(h), pixels: direct.convert(frame))
        }
        let space = FrameConverter.swsColorspace(frame.pointee.colorspace)
        let full = frame.pointee.color_range == AVCOL_RANGE_JPEG
        if key == nil || key! != (w, h, fmt, space, full) {
            sws_freeContext(scaler)
            scaler = sws_getContext(w, h, AVPixelFormat(rawValue: fmt), w, h, AV_PIX_FMT_RGB24,
                                    SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nil, nil, nil)
            guard let scaler else {
                key = nil
                let name = av_get_pix_fmt_name(AVPixelFormat(rawValue: fmt)).map { String(cString: $0) } ?? "\(fmt)"
                throw .unsupportedFormat(path: path, reason: "pixel format \(name) cannot be converted to RGB")
            }
            if FrameConverter.isYUV(AVPixelFormat(rawValue: fmt)) {
                cffmpeg_set_yuv_matrix(scaler, 1, space, full ? 1 : 0)
            }
            key = (w, h, fmt, space, full)
        }
        let stride = Int(w) * 3
        if bytes.count != stride * Int(h) { bytes = [UInt8](repeating: 0, count: stride * Int(h)) }
        let rows = bytes.withUnsafeMutableBufferPointer { out in
            cffmpeg_scale_frame_to_packed(scaler, frame, out.baseAddress, Int32(stride))
        }
        guard rows == h else {
            throw .corrupt(path: path, reason: "pixel conversion failed: \(FFmpeg.message(rows))")
        }
        let pixels = bytes.withUnsafeBufferPointer { src in
            [Float](unsafeUninitializedCapacity: src.count) { dst, count in
                for i in 0..<src.count { dst[i] = Float(src[i]) * (1 / 255) }
                count = src.count
            }
        }
        return RGBImage(uncheckedWidth: Int(w), height: Int(h), pixels: pixels)
    }

    /// The SWS_CS_* matrix for a frame's colourspace tag.
    static func swsColorspace(_ space: AVColorSpace) -> Int32 {
        switch space {
        case AVCOL_SPC_BT709: return SWS_CS_ITU709
        case AVCOL_SPC_FCC: return SWS_CS_FCC
        case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020
        default: return SWS_CS_DEFAULT
        }
    }

    /// Whether a pixel format stores luma + chroma (so a YUV matrix applies).
    static func isYUV(_ format: AVPixelFormat) -> Bool {
        guard let descriptor = av_pix_fmt_desc_get(format) else { return false }
        return descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0 && descriptor.pointee.nb_components >= 3
    }
}

/// Converts `RGBImage`s into frames of an encoder's pixel format: limited-range yuv420p
/// (H.264) through `YUV420Encoder`, anything else through libswscale.
final class FrameEncoderInput {
    private let scaler: OpaquePointer
    private var bytes: [UInt8]
    /// The exact Swift converter, used for limited-range yuv420p (the H.264 case).
    private var direct: YUV420Encoder?
    let width: Int32
    let height: Int32

    /// A converter from `width × height` RGB into `format` with the given YUV matrix and range.
    init(width: Int32, height: Int32, format: AVPixelFormat, colorspace: Int32, fullRange: Bool) throws(MediaError) {
        guard let scaler = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, format,
                                          SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nil, nil, nil) else {
            throw .invalidArgument("cannot convert RGB to the encoder's pixel format")
        }
        if FrameConverter.isYUV(format) { cffmpeg_set_yuv_matrix(scaler, 0, colorspace, fullRange ? 1 : 0) }
        if format == AV_PIX_FMT_YUV420P && !fullRange && (colorspace == SWS_CS_ITU709 || colorspace == SWS_CS_ITU601) {
            direct = colorspace == SWS_CS_ITU709 ? .bt709 : .bt601
        }
        self.scaler = scaler
        self.width = width
        self.height = height
        bytes = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
    }

    deinit { sws_freeContext(scaler) }

    /// Fills `frame` (already allocated with buffers) from `image` (same size).
    func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage) -> Int32 {
        if let direct {
            direct.fill(frame, from: image)
            return height
        }
        image.pixels.withUnsafeBufferPointer { src in
            bytes.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = RGBImage.byte(src[i]) }
            }
        }
        return bytes.withUnsafeBufferPointer { src in
            cffmpeg_scale_packed_to_frame(scaler, src.baseAddress, width * 3, height, frame)
        }
    }
}
