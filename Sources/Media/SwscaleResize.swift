import CFFmpeg

extension RGBImage {
    /// This image resized by libswscale with bicubic filtering, 8-bit in and out — what
    /// `ffmpeg -vf scale=W:H` does to a video (its default filter), for reproducing that
    /// transformation in tests and benchmarks. `resized(width:height:)` is the exact float resampler.
    public func swscaled(width newWidth: Int, height newHeight: Int) throws(MediaError) -> RGBImage {
        guard newWidth > 0, newHeight > 0, newWidth <= 16384, newHeight <= 16384 else {
            throw .invalidArgument("resize target \(newWidth)x\(newHeight) must be 1…16384 px per side")
        }
        guard let scaler = sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(newWidth), Int32(newHeight),
                                          AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND, nil, nil, nil) else {
            throw .invalidArgument("libswscale cannot resize \(width)x\(height) to \(newWidth)x\(newHeight)")
        }
        defer { sws_freeContext(scaler) }
        let source = rgbBytes()
        var output = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        let rows = source.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                var srcPlanes: [UnsafePointer<UInt8>?] = [src.baseAddress, nil, nil, nil]
                var dstPlanes: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress, nil, nil, nil]
                var srcStride: [Int32] = [Int32(width * 3), 0, 0, 0]
                var dstStride: [Int32] = [Int32(newWidth * 3), 0, 0, 0]
                return sws_scale(scaler, &srcPlanes, &srcStride, 0, Int32(height), &dstPlanes, &dstStride)
            }
        }
        guard rows == Int32(newHeight) else {
            throw .ffmpeg(path: "<memory>", call: "sws_scale", reason: "produced \(rows) of \(newHeight) rows")
        }
        return try RGBImage(width: newWidth, height: newHeight, rgbBytes: output)
    }
}
