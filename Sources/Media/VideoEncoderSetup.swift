import CFFmpeg

extension VideoWriter {
    /// Finds and opens the video encoder: the named one, or libx264 → default H.264 → MPEG-4.
    static func openEncoder(options: Options, width: Int, height: Int, frameRate: FrameRate,
                            format: UnsafeMutablePointer<AVFormatContext>, path: String)
        throws(MediaError) -> (UnsafePointer<AVCodec>, UnsafeMutablePointer<AVCodecContext>) {
        var candidates: [UnsafePointer<AVCodec>] = []
        if let name = options.encoder {
            guard let codec = avcodec_find_encoder_by_name(name) else {
                throw .codecUnavailable(path: path, codec: name)
            }
            candidates = [codec]
        } else {
            for codec in [avcodec_find_encoder_by_name("libx264"), avcodec_find_encoder(AV_CODEC_ID_H264),
                          avcodec_find_encoder(AV_CODEC_ID_MPEG4)] {
                if let codec, !candidates.contains(codec) { candidates.append(codec) }
            }
        }
        var failures: [String] = []
        for codec in candidates {
            guard avformat_query_codec(format.pointee.oformat, codec.pointee.id, FF_COMPLIANCE_NORMAL) == 1 else {
                failures.append("\(String(cString: codec.pointee.name)): not storable in this container")
                continue
            }
            var context: UnsafeMutablePointer<AVCodecContext>? = avcodec_alloc_context3(codec)
            guard let encoder = context else { continue }
            configure(encoder, codec: codec, options: options, width: width, height: height,
                      frameRate: frameRate, format: format)
            let status = avcodec_open2(encoder, codec, nil)
            if status >= 0 { return (codec, encoder) }
            failures.append("\(String(cString: codec.pointee.name)): \(FFmpeg.message(status))")
            avcodec_free_context(&context)
        }
        let tried = failures.isEmpty ? "none installed" : failures.joined(separator: "; ")
        throw .codecUnavailable(path: path, codec: "\(options.encoder ?? "H.264 or MPEG-4") video encoder (\(tried))")
    }

    /// Size, timing, pixel format, colour tags and quality settings for one encoder.
    private static func configure(_ encoder: UnsafeMutablePointer<AVCodecContext>, codec: UnsafePointer<AVCodec>,
                                  options: Options, width: Int, height: Int, frameRate: FrameRate,
                                  format: UnsafeMutablePointer<AVFormatContext>) {
        let e = encoder
        setPicture(e, codec: codec, pixelFormat: preferredPixelFormat(codec), width: width, height: height,
                   frameRate: frameRate, format: format)
        // Pieces encoded apart must come out as one run would: a fixed thread count (x264's
        // output depends on it) and one group of pictures per piece.
        e.pointee.thread_count = options.keyframeInterval == nil ? 0 : 4
        if let interval = options.keyframeInterval { e.pointee.gop_size = Int32(interval) }
        let name = String(cString: codec.pointee.name)
        if name == "libx264" {
            av_opt_set(e.pointee.priv_data, "crf", "\(options.crf)", 0)
            av_opt_set(e.pointee.priv_data, "preset", options.preset, 0)
        } else if name == "libvpx-vp9" {
            // Constant quality: CRF with no bit-rate target; realtime speed for short jobs.
            e.pointee.bit_rate = 0
            av_opt_set(e.pointee.priv_data, "crf", "\(options.crf)", 0)
            av_opt_set(e.pointee.priv_data, "deadline", "realtime", 0)
            av_opt_set(e.pointee.priv_data, "cpu-used", "8", 0)
        } else {
            // Fixed quantiser: CRF 18 → q 3, CRF 23 → q 4; MPEG-4 q ranges 1...31.
            let q = max(1, min(31, (options.crf + 2) / 6))
            e.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
            e.pointee.global_quality = Int32(q) * FF_QP2LAMBDA
            e.pointee.gop_size = 12
        }
    }

    /// What every video encoder of ours gets, file or live: size, timing, square pixels,
    /// `pixelFormat`, its colour tags (full range for JPEG-family encoders and yuvj formats, BT.601
    /// for JPEG, BT.709 otherwise) and global headers where the container wants them.
    static func setPicture(_ e: UnsafeMutablePointer<AVCodecContext>, codec: UnsafePointer<AVCodec>,
                           pixelFormat: AVPixelFormat, width: Int, height: Int, frameRate: FrameRate,
                           format: UnsafeMutablePointer<AVFormatContext>) {
        e.pointee.width = Int32(width)
        e.pointee.height = Int32(height)
        e.pointee.time_base = AVRational(num: frameRate.denominator, den: frameRate.numerator)
        e.pointee.framerate = frameRate.rational
        e.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        e.pointee.pix_fmt = pixelFormat
        // JPEG-family encoders want full-range YUV; video codecs get the usual limited range.
        let pixelName = av_get_pix_fmt_name(pixelFormat).map { String(cString: $0) } ?? ""
        let fullRange = codec.pointee.id == AV_CODEC_ID_MJPEG || pixelName.hasPrefix("yuvj")
        e.pointee.color_range = fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        // JPEG is BT.601 by definition; video gets BT.709 (HD-era default, what players assume).
        e.pointee.colorspace = codec.pointee.id == AV_CODEC_ID_MJPEG ? AVCOL_SPC_SMPTE170M : AVCOL_SPC_BT709
        e.pointee.color_primaries = AVCOL_PRI_BT709
        e.pointee.color_trc = AVCOL_TRC_BT709
        if format.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            e.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
    }

    /// yuv420p when the encoder takes it (every H.264/MPEG-4 encoder does), else its first format.
    private static func preferredPixelFormat(_ codec: UnsafePointer<AVCodec>) -> AVPixelFormat {
        guard var list = codec.pointee.pix_fmts else { return AV_PIX_FMT_YUV420P }
        let first = list.pointee
        while list.pointee != AV_PIX_FMT_NONE {
            if list.pointee == AV_PIX_FMT_YUV420P { return AV_PIX_FMT_YUV420P }
            list += 1
        }
        return first
    }
}
