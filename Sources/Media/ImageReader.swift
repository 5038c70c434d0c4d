import Foundation

/// Reads a still image of any supported format into an `RGBImage`.
///
/// The format is chosen from the file's first bytes, not its name: PNG goes to libpng,
/// anything else (JPEG, WebP, BMP, TIFF, GIF's first frame...) to libavformat/libavcodec.
/// A video file yields its first frame.
public enum ImageReader {
    /// The formats `ImageReader` recognises by content.
    public enum Kind: Equatable, Sendable {
        /// PNG signature `89 50 4E 47 0D 0A 1A 0A`.
        case png
        /// JPEG start-of-image marker `FF D8 FF`.
        case jpeg
        /// Anything else: left to libavformat's own probing.
        case other
    }

    /// The kind of image in `data`, judged by its magic bytes.
    public static func kind(of data: Data) -> Kind {
        let head = [UInt8](data.prefix(8))
        if head == PNGCodec.signature { return .png }
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        return .other
    }

    /// Reads the image at `path`. Throws `fileNotFound`, `unsupportedFormat` or `corrupt`.
    public static func read(_ path: String) throws(MediaError) -> RGBImage {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .fileNotFound(path: path) }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        try? handle.close()
        if head.isEmpty { throw .unsupportedFormat(path: path, reason: "the file is empty") }
        switch kind(of: head) {
        case .png:
            return try PNGCodec.read(path)
        case .jpeg:
            return try firstFrame(path)
        case .other:
            // Neither signature matched: a file ffmpeg cannot make a picture of is not an image
            // (a text file named .png), not a damaged one.
            do {
                return try firstFrame(path)
            } catch .corrupt(_, let reason), .unsupportedFormat(_, let reason) {
                throw .unsupportedFormat(path: path, reason: "no PNG or JPEG signature, and ffmpeg found no picture in it: \(reason)")
            } catch .noVideoStream, .noFrames {
                throw .unsupportedFormat(path: path, reason: "no PNG or JPEG signature, and ffmpeg found no picture in it")
            }
        }
    }

    /// The first frame libavformat/libavcodec decode from `path`.
    private static func firstFrame(_ path: String) throws(MediaError) -> RGBImage {
        let reader: VideoReader
        do {
            reader = try VideoReader(path: path)
        } catch .noFrames(let path) {
            throw .corrupt(path: path, reason: "no decodable image data")
        }
        guard let image = try reader.next() else { throw .corrupt(path: path, reason: "no decodable image data") }
        return image
    }
}
