import Foundation

/// What an uploaded file is, told from its first bytes (never from its name or the client's
/// content type).
public enum MediaKind: String, Codable, Sendable, CaseIterable {
    case png, jpeg, heif, mp4, mov, matroska, avi

    /// The extension of the server-made name (the CLI picks decoders by content, writers by extension).
    public var fileExtension: String {
        switch self {
        case .png: return "png"
        case .jpeg: return "jpg"
        case .heif: return "heic"
        case .mp4: return "mp4"
        case .mov: return "mov"
        case .matroska: return "mkv"
        case .avi: return "avi"
        }
    }

    /// Whether it is a still picture (a source must be one). HEIF is one, but this build cannot
    /// read it: uploads refuse it with a message (`UploadWriter.refusal`).
    public var isPicture: Bool { self == .png || self == .jpeg || self == .heif }

    /// The Content-Type it is served with.
    public var contentType: String {
        switch self {
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .heif: return "image/heic"
        case .mp4: return "video/mp4"
        case .mov: return "video/quicktime"
        case .matroska: return "video/x-matroska"
        case .avi: return "video/x-msvideo"
        }
    }

    /// The bytes the sniffer needs at most.
    public static let headerLength = 16

    /// The kind whose signature `header` (the file's first bytes) starts with, nil for anything else.
    public static func sniff(_ header: [UInt8]) -> MediaKind? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            header.count >= offset + magic.count && Array(header[offset..<offset + magic.count]) == magic
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }
        if starts(Array("RIFF".utf8)) && starts(Array("AVI ".utf8), at: 8) { return .avi }
        if starts(Array("ftyp".utf8), at: 4) {
            // ISO base media: HEIF's brands (HEIC, as iPhones save photos; the brands Media's
            // `ImageReader.isHEIF` reads as pictures) are stills, QuickTime's brand is "qt  ",
            // every other brand (isom, mp42, M4V ...) reads as MP4.
            let heifBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]
            if heifBrands.contains(where: { starts(Array($0.utf8), at: 8) }) { return .heif }
            return starts(Array("qt  ".utf8), at: 8) ? .mov : .mp4
        }
        return nil
    }
}
