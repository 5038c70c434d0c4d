import Foundation

/// Reads the EXIF Orientation tag from the TIFF structure an EXIF block holds, and finds that
/// block in PNG (`eXIf` chunk) and WebP (`EXIF` chunk) files (JPEG's APP1 is found by
/// `JPEGLayout`).
///
/// Every read is bounds-checked: a malformed, truncated or hostile block yields `nil` (the
/// picture is then read as stored), never a crash or a throw. Only IFD0 is read, where EXIF
/// puts the primary picture's orientation; a thumbnail's (IFD1) is not the picture's.
public enum ExifReader {
    /// The orientation in an EXIF block: TIFF bytes (`II*\0` or `MM\0*`), optionally preceded
    /// by the `Exif\0\0` identifier JPEG's APP1 segment and some WebP writers put before them.
    /// `nil` when there is none, or the block is malformed, or the value is outside 1–8.
    public static func orientation(exif block: [UInt8]) -> ExifOrientation? {
        let identifier: [UInt8] = Array("Exif".utf8) + [0, 0]
        let tiff = block.starts(with: identifier) ? Array(block.dropFirst(identifier.count)) : block
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let (a, b) = (Int(tiff[at]), Int(tiff[at + 1]))
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let first = u16(at), let second = u16(at + 2) else { return nil }
            return little ? first | second << 16 : first << 16 | second
        }
        // The whole directory must be there: a count running past the block is damage.
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd), ifd + 2 + 12 * entries <= tiff.count else { return nil }
        for index in 0..<entries {
            let entry = ifd + 2 + 12 * index
            guard let tag = u16(entry), let type = u16(entry + 2), let count = u32(entry + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT as the standard says; LONG from a few careless writers. The value sits in
            // the entry itself (it fits in four bytes), left-aligned.
            let value: Int?
            switch type {
            case 3 where count >= 1: value = u16(entry + 8)
            case 4 where count >= 1: value = u32(entry + 8)
            default: value = nil
            }
            return value.flatMap { ExifOrientation(rawValue: $0) }
        }
        return nil
    }

    /// The orientation in a PNG's `eXIf` chunk (any position before `IEND`), or `nil`.
    public static func orientation(png data: Data) -> ExifOrientation? {
        let bytes = [UInt8](data)
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, length <= bytes.count - start else { return nil }
            if type == "eXIf" { return orientation(exif: Array(bytes[start..<(start + length)])) }
            if type == "IEND" { return nil }
            offset = start + length + 4  // data and CRC
        }
        return nil
    }

    /// Whether `head` (the first 12 bytes or more) starts a WebP file: `RIFF`, size, `WEBP`.
    public static func isWebP(_ head: Data) -> Bool {
        let bytes = [UInt8](head.prefix(12))
        return bytes.count == 12 && bytes[0..<4].elementsEqual("RIFF".utf8) && bytes[8..<12].elementsEqual("WEBP".utf8)
    }

    /// The orientation in a WebP's `EXIF` chunk, or `nil`.
    public static func orientation(webP data: Data) -> ExifOrientation? {
        guard isWebP(data) else { return nil }
        let bytes = [UInt8](data)
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let start = offset + 8
            guard size <= bytes.count - start else { return nil }
            if bytes[offset..<(offset + 4)].elementsEqual("EXIF".utf8) {
                return orientation(exif: Array(bytes[start..<(start + size)]))
            }
            offset = start + size + (size & 1)  // chunks are padded to an even size
        }
        return nil
    }
}
