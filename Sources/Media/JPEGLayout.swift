import Foundation

/// What a walk over a JPEG file's markers finds: its EXIF block and whether the picture is
/// whole (its end-of-image marker follows the last scan).
///
/// Decoders conceal a JPEG cut short (libavcodec returns the top of the picture over grey, with
/// no error), so a truncated photo would silently become a wrong picture; this walk is what
/// tells it apart. Segments are followed by their lengths; the entropy-coded data after each
/// start-of-scan is skipped to the next marker (`FF` followed by anything but `00`, a restart
/// marker or another `FF`). Bytes after the end-of-image marker (phone trailers, a second
/// picture) are not looked at.
public struct JPEGLayout: Sendable {
    /// The first APP1 `Exif` segment's payload after its `Exif\0\0` identifier (TIFF bytes),
    /// when the file has one before its first scan.
    public private(set) var exif: [UInt8]?
    /// Whether the end-of-image marker `FF D9` was reached with every segment whole.
    public private(set) var isComplete = false

    /// Walks `data`, which should start with the start-of-image marker `FF D8`.
    public init(_ data: Data) {
        data.withUnsafeBytes { raw in walk(raw.bindMemory(to: UInt8.self)) }
    }

    /// The orientation in the EXIF block, if any (see `ExifReader.orientation(exif:)`).
    public var orientation: ExifOrientation? { exif.flatMap { ExifReader.orientation(exif: $0) } }

    private mutating func walk(_ b: UnsafeBufferPointer<UInt8>) {
        let n = b.count
        guard n >= 2, b[0] == 0xFF, b[1] == 0xD8 else { return }
        var i = 2
        while i < n {
            guard b[i] == 0xFF else { i += 1; continue }  // stray byte between segments: decoders skip it too
            while i < n && b[i] == 0xFF { i += 1 }           // fill bytes
            guard i < n else { return }
            let marker = b[i]
            i += 1
            switch marker {
            case 0xD9:
                isComplete = true
                return
            case 0x00, 0x01, 0xD0...0xD7:
                continue  // no length: TEM, restart markers, a stuffed zero out of place
            default:
                guard i + 2 <= n else { return }
                let length = Int(b[i]) << 8 | Int(b[i + 1])
                guard length >= 2, i + length <= n else { return }
                let payload = (i + 2)..<(i + length)
                if marker == 0xE1, exif == nil, payload.count >= 6,
                   b[payload.lowerBound..<(payload.lowerBound + 6)].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {
                    exif = Array(b[(payload.lowerBound + 6)..<payload.upperBound])
                }
                i += length
                if marker == 0xDA { i = Self.endOfScan(b, from: i) }
            }
        }
    }

    /// The index of the `FF` that starts the first marker at or after `start` in entropy-coded
    /// data (`n` when the data runs to the end of the file).
    private static func endOfScan(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        let n = b.count
        while i + 1 < n {
            if b[i] == 0xFF {
                let next = b[i + 1]
                if next != 0x00 && next != 0xFF && !(0xD0...0xD7).contains(next) { return i }
            }
            i += 1
        }
        return n
    }
}
