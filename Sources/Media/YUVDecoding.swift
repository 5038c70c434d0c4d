import CFFmpeg

/// 8-bit Y'CbCr 4:2:0 → RGB in Swift, for the decoded frames of nearly every video.
///
/// libswscale's yuv420p → packed RGB path interpolates chroma vertically about half a chroma
/// row off the position the stream declares, so colour edges move on every decode. This
/// converter interpolates chroma bilinearly from where it is sited: the frame's
/// `chroma_location` when stated, else "left" (H.264/MPEG-2 default) for limited range and
/// "centre" (JPEG) for full range. Matrix and range come from the frame's tags (BT.601 when
/// unstated, as ffmpeg assumes).
struct YUV420Decoder {
    let kr: Float
    let kb: Float
    let fullRange: Bool
    /// Luma-grid position of chroma sample 0: horizontal and vertical offsets (0 or 0.5).
    let chromaOffsetX: Float
    let chromaOffsetY: Float

    /// The decoder for a frame, or `nil` when it is not 8-bit 4:2:0 with a known matrix.
    init?(frame: UnsafePointer<AVFrame>) {
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        guard format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P else { return nil }
        switch frame.pointee.colorspace {
        case AVCOL_SPC_BT709: (kr, kb) = (0.2126, 0.0722)
        case AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M, AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_FCC: (kr, kb) = (0.299, 0.114)
        default: return nil
        }
        fullRange = format == AV_PIX_FMT_YUVJ420P || frame.pointee.color_range == AVCOL_RANGE_JPEG
        switch frame.pointee.chroma_location {
        case AVCHROMA_LOC_LEFT: (chromaOffsetX, chromaOffsetY) = (0, 0.5)
        case AVCHROMA_LOC_CENTER: (chromaOffsetX, chromaOffsetY) = (0.5, 0.5)
        case AVCHROMA_LOC_TOPLEFT: (chromaOffsetX, chromaOffsetY) = (0, 0)
        case AVCHROMA_LOC_UNSPECIFIED: (chromaOffsetX, chromaOffsetY) = fullRange ? (0.5, 0.5) : (0, 0.5)
        default: return nil
        }
    }

    /// The frame as interleaved RGB floats in [0, 1].
    func convert(_ frame: UnsafeMutablePointer<AVFrame>) -> [Float] {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        guard let yPlane = cffmpeg_frame_plane(frame, 0), let uPlane = cffmpeg_frame_plane(frame, 1),
              let vPlane = cffmpeg_frame_plane(frame, 2) else { return [Float](repeating: 0, count: width * height * 3) }
        let yStride = Int(cffmpeg_frame_linesize(frame, 0))
        let uStride = Int(cffmpeg_frame_linesize(frame, 1)), vStride = Int(cffmpeg_frame_linesize(frame, 2))
        let (lumaScale, lumaOffset): (Float, Float) = fullRange ? (1 / 255, 0) : (1 / 219, 16)
        let chromaScale: Float = fullRange ? 1 / 255 : 1 / 224
        let kg = 1 - kr - kb
        let crToR = 2 * (1 - kr), cbToB = 2 * (1 - kb)
        let cbToG = -cbToB * kb / kg, crToG = -crToR * kr / kg
        // Horizontal chroma taps per luma column, computed once.
        let columns: [(Int, Int, Float)] = (0..<width).map { x in
            let position = max(0, min(Float(chromaWidth - 1), (Float(x) - chromaOffsetX) / 2))
            let left = Int(position)
            return (left, min(left + 1, chromaWidth - 1), position - Float(left))
        }
        return [Float](unsafeUninitializedCapacity: width * height * 3) { out, count in
            var uRow = [Float](repeating: 0, count: chromaWidth), vRow = [Float](repeating: 0, count: chromaWidth)
            for y in 0..<height {
                let position = max(0, min(Float(chromaHeight - 1), (Float(y) - chromaOffsetY) / 2))
                let top = Int(position), bottom = min(Int(position) + 1, chromaHeight - 1), f = position - Float(top)
                for cx in 0..<chromaWidth {
                    let u0 = Float(uPlane[top * uStride + cx]), u1 = Float(uPlane[bottom * uStride + cx])
                    let v0 = Float(vPlane[top * vStride + cx]), v1 = Float(vPlane[bottom * vStride + cx])
                    uRow[cx] = (u0 + (u1 - u0) * f - 128) * chromaScale
                    vRow[cx] = (v0 + (v1 - v0) * f - 128) * chromaScale
                }
                for x in 0..<width {
                    let (l, r, fx) = columns[x]
                    let cb = uRow[l] + (uRow[r] - uRow[l]) * fx
                    let cr = vRow[l] + (vRow[r] - vRow[l]) * fx
                    let luma = (Float(yPlane[y * yStride + x]) - lumaOffset) * lumaScale
                    let i = (y * width + x) * 3
                    out[i] = min(1, max(0, luma + crToR * cr))
                    out[i + 1] = min(1, max(0, luma + cbToG * cb + crToG * cr))
                    out[i + 2] = min(1, max(0, luma + cbToB * cb))
                }
            }
            count = width * height * 3
        }
    }
}
