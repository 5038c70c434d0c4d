import CPNG
import Foundation

/// PNG files through libpng's simplified API (`png_image`).
///
/// Reading accepts 8- and 16-bit grey, grey+alpha, RGB, RGBA and palette files and always
/// yields RGB: grey is replicated, alpha is composited onto white, 16-bit channels are
/// reduced to 8 bits by libpng (which treats 16-bit data as linear light and converts it to
/// sRGB unless the file says otherwise). Writing produces 8-bit RGB.
public enum PNGCodec {
    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads a PNG file into an `RGBImage`.
    public static func read(_ path: String) throws(MediaError) -> RGBImage {
        try InputFile.check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .fileNotFound(path: path)
        }
        return try decode(data, path: path)
    }

    /// Decodes PNG bytes already in memory; `path` is used in error messages only.
    public static func decode(_ data: Data, path: String = "<memory>") throws(MediaError) -> RGBImage {
        guard data.count >= 8, Array(data.prefix(8)) == signature else {
            throw .unsupportedFormat(path: path, reason: "no PNG signature")
        }
        var image = cpng_new_image()
        defer { png_image_free(&image) }
        let began = data.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard began != 0 else {
            throw .corrupt(path: path, reason: "libpng: \(String(cString: cpng_message(&image)))")
        }
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0 else { throw .corrupt(path: path, reason: "implausible size \(width)x\(height)") }
        try PictureLimits.check(width: width, height: height, path: path)
        image.format = UInt32(PNG_FORMAT_RGB)
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        var white = png_color(red: 255, green: 255, blue: 255)
        let finished = data.withUnsafeBytes { _ in
            bytes.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, &white, out.baseAddress, Int32(width * 3), nil)
            }
        }
        guard finished != 0 else {
            throw .corrupt(path: path, reason: "libpng: \(String(cString: cpng_message(&image)))")
        }
        return RGBImage(uncheckedWidth: width, height: height, pixels: bytes.map { Float($0) * (1 / 255) })
    }

    /// How a PNG is compressed: zlib's level (0–9) and the row filters libpng may choose from.
    public struct Compression: Sendable, Equatable {
        /// zlib level, 0 (store) … 9 (smallest, slowest).
        public var level: Int32
        /// libpng filter flags (`PNG_FILTER_SUB`, `PNG_ALL_FILTERS`...).
        public var filters: Int32

        /// A zlib level (clamped to 0–9) and a set of libpng filter flags.
        public init(level: Int32, filters: Int32) {
            self.level = max(0, min(9, level))
            self.filters = filters
        }

        /// libpng's defaults: level 6, every filter tried on every row.
        public static let standard = Compression(level: 6, filters: Int32(PNG_FILTER_NONE | PNG_FILTER_SUB | PNG_FILTER_UP | PNG_FILTER_AVG | PNG_FILTER_PAETH))
        /// What every PNG is written with: zlib level 2 and the Paeth filter on every row. On the
        /// bundled portrait at 725² it encodes 5.5× faster than `standard` (22 ms against 121 ms
        /// of CPU) for a file 13 % larger (docs/performance.md, "PNG output").
        public static let fast = Compression(level: 2, filters: Int32(PNG_FILTER_PAETH))
    }

    /// Encodes an image as an 8-bit RGB PNG in memory (values clamped to [0, 1], rounded).
    public static func encode(_ rgb: RGBImage, compression: Compression = .fast) throws(MediaError) -> Data {
        let bytes = rgb.rgbBytes()
        var buffer = cpng_buffer(data: nil, size: 0, capacity: 0, failed: 0)
        defer { free(buffer.data) }
        var message = [CChar](repeating: 0, count: 256)
        let written = bytes.withUnsafeBufferPointer { src in
            cpng_write_rgb8(src.baseAddress, UInt32(rgb.width), UInt32(rgb.height), compression.level, compression.filters, &buffer, &message)
        }
        guard written != 0, let data = buffer.data else {
            throw .cannotWrite(path: "<memory>", reason: "libpng: \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        return Data(bytes: data, count: buffer.size)
    }

    /// Writes an image as an 8-bit RGB PNG, atomically: to a temporary file beside `path`,
    /// renamed over `path` when complete. On failure no file is left at `path`'s temporary.
    /// `text` entries become `tEXt`/`iTXt` chunks (`MediaTags.pngWithText`).
    public static func write(_ rgb: RGBImage, to path: String, text: [String: String] = [:]) throws(MediaError) {
        let data = text.isEmpty ? try encode(rgb) : try MediaTags.pngWithText(try encode(rgb), text)
        try AtomicOutput.write(data, to: path)
    }
}
