import Foundation

/// Reads a still image of any supported format into an `RGBImage`.
///
/// The format is chosen from the file's first bytes, not its name: PNG goes to libpng,
/// anything else (JPEG, WebP, BMP, TIFF, GIF's first frame...) to libavformat/libavcodec.
/// A video file yields its first frame. HEIC is not read (libavformat 59 has no HEIF
/// demuxer): it is refused as an unsupported format with a message that says to convert it.
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

    /// Whether `head` (a file's first 12 bytes or more) is a still picture by its signature:
    /// PNG, JPEG or WebP. Anything else may still be a picture libavformat reads (BMP, TIFF...),
    /// or a video.
    public static func isPicture(_ head: Data) -> Bool {
        kind(of: head) != .other || ExifReader.isWebP(head) || isHEIF(head)
    }

    /// Whether the file at `path` starts like a still picture (`isPicture` of its first bytes);
    /// false for an unreadable file.
    public static func isPicture(atPath path: String) -> Bool {
        let head = (FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 12) }) ?? Data()
        return isPicture(head)
    }

    /// Whether `head` starts an HEIF still picture (HEIC, as iPhones save photos): an ISO
    /// base-media `ftyp` box whose major brand is one of HEIF's.
    static func isHEIF(_ head: Data) -> Bool {
        let bytes = [UInt8](head.prefix(12))
        guard bytes.count == 12, bytes[4..<8].elementsEqual("ftyp".utf8) else { return false }
        let brand = String(decoding: bytes[8..<12], as: UTF8.self)
        return ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains(brand)
    }

    /// Reads the image at `path`, upright: an EXIF Orientation tag (JPEG APP1, PNG `eXIf`,
    /// WebP `EXIF`) is applied, so a phone photo stored sideways comes out as it is shown. A
    /// malformed EXIF block is ignored (the picture is read as stored). A JPEG without its
    /// end-of-image marker is refused as truncated (decoders would fill its missing part
    /// with grey and say nothing).
    ///
    /// Throws `fileNotFound`, `isFolder`, `unsupportedFormat`, `tooLarge` or `corrupt`.
    public static func read(_ path: String) throws(MediaError) -> RGBImage {
        try InputFile.check(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .fileNotFound(path: path) }
        let head = (try? handle.read(upToCount: 12)) ?? Data()
        try? handle.close()
        if head.isEmpty { throw .unsupportedFormat(path: path, reason: "the file is empty") }
        switch kind(of: head) {
        case .png:
            let data = try contents(path)
            return try PNGCodec.decode(data, path: path).oriented(ExifReader.orientation(png: data) ?? .upright)
        case .jpeg:
            let layout = JPEGLayout(try contents(path))
            guard layout.isComplete else {
                throw .corrupt(path: path, reason: "the JPEG data stops before its end-of-image marker: the file is truncated")
            }
            return try upright(firstFrame(path), orientation: layout.orientation)
        case .other:
            if isHEIF(head) {
                throw .unsupportedFormat(path: path, reason: "an HEIF/HEIC photo, which the installed libavformat cannot read; convert it to JPEG or PNG first (e.g. heif-convert)")
            }
            // Neither signature matched: a file ffmpeg cannot make a picture of is not an image
            // (a text file named .png), not a damaged one.
            let orientation = ExifReader.isWebP(head) ? ExifReader.orientation(webP: try contents(path)) : nil
            do {
                return try upright(firstFrame(path), orientation: orientation)
            } catch .corrupt(_, let reason), .unsupportedFormat(_, let reason) {
                throw .unsupportedFormat(path: path, reason: "no PNG or JPEG signature, and ffmpeg found no picture in it: \(reason)")
            } catch .noVideoStream, .noFrames {
                throw .unsupportedFormat(path: path, reason: "no PNG or JPEG signature, and ffmpeg found no picture in it")
            }
        }
    }

    /// The file's bytes.
    private static func contents(_ path: String) throws(MediaError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw .fileNotFound(path: path) }
        return data
    }

    /// A decoded picture turned upright by its EXIF orientation, unless libav already turned it
    /// (a decoder that reports the tag as a display matrix, as newer libav versions may do).
    private static func upright(_ decoded: (image: RGBImage, rotated: Bool), orientation: ExifOrientation?) -> RGBImage {
        guard let orientation, !decoded.rotated else { return decoded.image }
        return decoded.image.oriented(orientation)
    }

    /// The first frame libavformat/libavcodec decode from `path`.
    /// Also says whether libav turned it by a rotation tag of its own.
    private static func firstFrame(_ path: String) throws(MediaError) -> (image: RGBImage, rotated: Bool) {
        let reader: VideoReader
        do {
            reader = try VideoReader(path: path, timing: .asDecoded)
        } catch .noFrames(let path) {
            throw .corrupt(path: path, reason: "no decodable image data")
        }
        guard let image = try reader.next() else { throw .corrupt(path: path, reason: "no decodable image data") }
        return (image, reader.rotationDegrees != 0)
    }
}
