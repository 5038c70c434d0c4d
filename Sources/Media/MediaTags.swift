import CFFmpeg
import Foundation

/// Reading and writing the text labels a file carries: container tags of videos (libavformat
/// metadata) and text chunks of PNGs.
public enum MediaTags {
    /// The container-level tags of a video or image file libavformat can open (MP4 `udta`/`mdta`
    /// items, Matroska tags...). Throws `fileNotFound`, `isFolder` or `unsupportedFormat`.
    public static func container(_ path: String) throws(MediaError) -> [String: String] {
        _ = FFmpeg.quiet
        try InputFile.check(path)
        var opened: UnsafeMutablePointer<AVFormatContext>? = nil
        let status = avformat_open_input(&opened, path, nil, nil)
        guard status >= 0, let context = opened else { throw .unsupportedFormat(path: path, reason: FFmpeg.message(status)) }
        defer { avformat_close_input(&opened) }
        var tags: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(context.pointee.metadata, "", entry, AV_DICT_IGNORE_SUFFIX) {
            tags[String(cString: next.pointee.key)] = String(cString: next.pointee.value)
            entry = next
        }
        return tags
    }

    /// PNG bytes with one `tEXt` chunk per entry (sorted by key) inserted after `IHDR`; keys are
    /// 1–79 Latin-1 characters, values Latin-1 without NUL (non-Latin-1 text goes in `iTXt`,
    /// UTF-8). Throws `invalidArgument` for bad keys and `corrupt` for bytes that are not a PNG.
    public static func pngWithText(_ png: Data, _ text: [String: String]) throws(MediaError) -> Data {
        let bytes = [UInt8](png)
        guard bytes.count > 33, Array(bytes.prefix(8)) == PNGCodec.signature,
              Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw .corrupt(path: "<memory>", reason: "not a PNG with an IHDR chunk")
        }
        let ihdrEnd = 8 + 12 + Int(bigEndian32(bytes, at: 8))
        var chunks: [UInt8] = []
        for (key, value) in text.sorted(by: { $0.key < $1.key }) {
            guard (1...79).contains(key.count), key.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 256 }) else {
                throw .invalidArgument("PNG text key '\(key)' must be 1–79 printable Latin-1 characters")
            }
            let latin1 = value.unicodeScalars.allSatisfy { $0.value > 0 && $0.value < 256 }
            let keyBytes = key.unicodeScalars.map { UInt8($0.value) }
            if latin1 {
                chunks += chunk("tEXt", keyBytes + [0] + value.unicodeScalars.map { UInt8($0.value) })
            } else {
                // iTXt: keyword, NUL, compression flag 0, method 0, empty language, NUL, empty translated key, NUL, UTF-8.
                chunks += chunk("iTXt", keyBytes + [0, 0, 0, 0, 0] + Array(value.utf8))
            }
        }
        return Data(bytes[..<ihdrEnd] + chunks + bytes[ihdrEnd...])
    }

    /// The `tEXt` and uncompressed `iTXt` entries of PNG bytes (later duplicates win). Throws
    /// `corrupt` for bytes that are not a PNG or a chunk that runs past the end.
    public static func pngText(_ png: Data) throws(MediaError) -> [String: String] {
        let bytes = [UInt8](png)
        guard bytes.count >= 8, Array(bytes.prefix(8)) == PNGCodec.signature else {
            throw .corrupt(path: "<memory>", reason: "no PNG signature")
        }
        var text: [String: String] = [:]
        var at = 8
        while at + 12 <= bytes.count {
            let length = Int(bigEndian32(bytes, at: at))
            guard length >= 0, at + 12 + length <= bytes.count else {
                throw .corrupt(path: "<memory>", reason: "PNG chunk at byte \(at) runs past the end of the file")
            }
            let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            let data = Array(bytes[(at + 8)..<(at + 8 + length)])
            if let nul = data.firstIndex(of: 0) {
                let key = String(decoding: data[..<nul], as: UTF8.self)
                if type == "tEXt" {
                    text[key] = String(String.UnicodeScalarView(data[(nul + 1)...].map { Unicode.Scalar($0) }))
                } else if type == "iTXt", data.count > nul + 2, data[nul + 1] == 0 {
                    var rest = data[(nul + 3)...]
                    for _ in 0..<2 { if let end = rest.firstIndex(of: 0) { rest = rest[(end + 1)...] } }
                    text[key] = String(decoding: rest, as: UTF8.self)
                }
            }
            if type == "IEND" { break }
            at += 12 + length
        }
        return text
    }

    private static func bigEndian32(_ b: [UInt8], at i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        let n = UInt32(data.count), crc = crc32(typed)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + typed
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    /// CRC-32 (ISO 3309, as PNG specifies), bitwise.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
