import Foundation
import Media
import Testing

/// Pictures cut short, folders given as files and HEIC photos: each a typed error that names the
/// real cause, never a silently wrong picture.
struct DamagedInputTests {
    static func isTruncated(_ error: MediaError) -> Bool {
        if case .corrupt(_, let reason) = error { return reason.contains("truncated") }
        return false
    }

    @Test func truncatedJPEGIsCorruptNotAGreyPicture() throws {
        let whole = try ExifSupport.jpeg(TestSupport.frame(width: 64, height: 48))
        #expect(try ImageReader.read(try ExifSupport.file(whole, name: "whole.jpg")).width == 64)
        for keep in [whole.count * 2 / 3, whole.count - 2, whole.count - 1] {
            let cut = try ExifSupport.file(whole.prefix(keep), name: "cut.jpg")
            let error = #expect(throws: MediaError.self) { try ImageReader.read(cut) }
            #expect(error.map(Self.isTruncated) == true, "\(keep) of \(whole.count) bytes: \(String(describing: error))")
            #expect(error?.description.contains("damaged or truncated") == true)
        }
        // Bytes after the end-of-image marker (phone trailers) are not damage.
        let trailer = try ExifSupport.file(whole + Data(repeating: 0x5A, count: 100), name: "trailer.jpg")
        #expect(try ImageReader.read(trailer) == ImageReader.read(try ExifSupport.file(whole, name: "plain.jpg")))
        #expect(JPEGLayout(whole).isComplete && !JPEGLayout(whole.prefix(whole.count / 2)).isComplete)
    }

    @Test func truncatedPNGIsCorrupt() throws {
        let png = try PNGCodec.encode(TestSupport.frame(width: 64, height: 48))
        // Cut inside the image data or its checksum. (A file that loses only its IEND chunk still
        // holds every pixel, and libpng reads it: not a wrong picture.)
        for keep in [png.count / 2, png.count - 14] {
            let cut = try ExifSupport.file(png.prefix(keep), name: "cut.png")
            #expect(throws: MediaError.self, "\(keep) of \(png.count) bytes") { try ImageReader.read(cut) }
        }
    }

    @Test func folderIsNotAFile() throws {
        let folder = TestSupport.temporaryPath("photos.jpg")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(throws: MediaError.isFolder(path: folder)) { try ImageReader.read(folder) }
        #expect(throws: MediaError.isFolder(path: folder)) { try VideoReader(path: folder) }
        #expect(throws: MediaError.isFolder(path: folder)) { try VideoReader.countFrames(folder) }
        #expect(MediaError.isFolder(path: folder).description.contains("is a folder, not a file"))
    }

    @Test func heicIsRefusedWithAConversionHint() throws {
        let head: [UInt8] = [0, 0, 0, 24] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8) + [UInt8](repeating: 0, count: 64)
        let path = try ExifSupport.file(Data(head), name: "photo.heic")
        #expect(ImageReader.isPicture(Data(head)))
        let error = #expect(throws: MediaError.self) { try ImageReader.read(path) }
        #expect(error?.description.contains("HEIF/HEIC") == true, "\(String(describing: error))")
    }
}
