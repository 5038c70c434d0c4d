import CFFmpeg

/// RGB → limited-range Y'CbCr 4:2:0 in Swift, for the encoder input.
///
/// libswscale's RGB → yuv420p path places the subsampled chroma about a third of a row away
/// from where its own yuv420p → RGB path (and players) expect it, which shifts colour edges
/// vertically on every encode/decode round trip. This converter sites chroma as H.264 and
/// MPEG-2 define by default ("left"): horizontally on the even luma columns (a [¼ ½ ¼]
/// filter), vertically midway between the two luma rows (their mean).
struct YUV420Encoder {
    /// Luma weights (Kr, Kb) of the matrix: BT.709 or BT.601.
    let kr: Float
    let kb: Float

    /// BT.709, the matrix `VideoWriter` tags its H.264 output with.
    static let bt709 = YUV420Encoder(kr: 0.2126, kb: 0.0722)
    /// BT.601 (SMPTE 170M / BT.470BG).
    static let bt601 = YUV420Encoder(kr: 0.299, kb: 0.114)

    /// Writes `image` into the three planes of a yuv420p `frame` of the same size.
    func fill(_ frame: UnsafeMutablePointer<AVFrame>, from image: RGBImage) {
        let width = image.width, height = image.height
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        guard let yPlane = cffmpeg_frame_plane(frame, 0), let uPlane = cffmpeg_frame_plane(frame, 1),
              let vPlane = cffmpeg_frame_plane(frame, 2) else { return }
        let yStride = Int(cffmpeg_frame_linesize(frame, 0))
        let uStride = Int(cffmpeg_frame_linesize(frame, 1)), vStride = Int(cffmpeg_frame_linesize(frame, 2))
        let kg = 1 - kr - kb
        let cbScale = 1 / (2 * (1 - kb)), crScale = 1 / (2 * (1 - kr))
        // Full-resolution Cb and Cr of two rows at a time, then filtered down.
        var cb = [Float](repeating: 0, count: width * 2), cr = [Float](repeating: 0, count: width * 2)
        image.pixels.withUnsafeBufferPointer { rgb in
            for chromaRow in 0..<chromaHeight {
                for pair in 0..<2 {
                    let y = min(chromaRow * 2 + pair, height - 1)
                    for x in 0..<width {
                        let i = (y * width + x) * 3
                        let r = clamp(rgb[i]), g = clamp(rgb[i + 1]), b = clamp(rgb[i + 2])
                        let luma = kr * r + kg * g + kb * b
                        if chromaRow * 2 + pair < height {
                            yPlane[y * yStride + x] = UInt8(16 + 219 * luma + 0.5)
                        }
                        cb[pair * width + x] = (b - luma) * cbScale
                        cr[pair * width + x] = (r - luma) * crScale
                    }
                }
                for cx in 0..<chromaWidth {
                    let centre = cx * 2, left = max(centre - 1, 0), right = min(centre + 1, width - 1)
                    var u: Float = 0, v: Float = 0
                    for pair in 0..<2 {
                        let row = pair * width
                        u += 0.25 * cb[row + left] + 0.5 * cb[row + centre] + 0.25 * cb[row + right]
                        v += 0.25 * cr[row + left] + 0.5 * cr[row + centre] + 0.25 * cr[row + right]
                    }
                    uPlane[chromaRow * uStride + cx] = UInt8(max(16, min(240, 128 + 224 * u * 0.5 + 0.5)))
                    vPlane[chromaRow * vStride + cx] = UInt8(max(16, min(240, 128 + 224 * v * 0.5 + 0.5)))
                }
            }
        }
    }

    @inline(__always) private func clamp(_ v: Float) -> Float { v > 0 ? (v < 1 ? v : 1) : 0 }
}
