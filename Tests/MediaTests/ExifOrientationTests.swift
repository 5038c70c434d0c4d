import Foundation
import Media
import Testing

/// EXIF Orientation (values 1–8) applied on read, for JPEG (APP1) and PNG (`eXIf`), checked
/// against the EXIF standard's own wording ("the 0th row is the visual X side, the 0th column
/// the visual Y side"), and malformed EXIF blocks that must never crash.
struct ExifOrientationTests {
    /// Corners of the upright picture.
    enum Corner { case topLeft, topRight, bottomLeft, bottomRight }

    static let red: (Float, Float, Float) = (1, 0, 0), green: (Float, Float, Float) = (0, 1, 0), blue: (Float, Float, Float) = (0, 0, 1)

    /// A 48×32 grey picture with an 8×8 red block at its stored top-left corner, green at the
    /// top-right, blue at the bottom-left (on the MJPEG encoder's 8-pixel grid).
    static func stored() throws -> RGBImage {
        var image = try RGBImage(width: 48, height: 32, fill: (0.5, 0.5, 0.5))
        for y in 0..<8 {
            for x in 0..<8 {
                image[x, y] = red
                image[40 + x, y] = green
                image[x, 24 + y] = blue
            }
        }
        return image
    }

    /// The centre of the 8×8 block at `corner` of a `width × height` picture.
    static func centre(_ corner: Corner, width: Int, height: Int) -> (Int, Int) {
        switch corner {
        case .topLeft: return (4, 4)
        case .topRight: return (width - 4, 4)
        case .bottomLeft: return (4, height - 4)
        case .bottomRight: return (width - 4, height - 4)
        }
    }

    static func near(_ p: (red: Float, green: Float, blue: Float), _ c: (Float, Float, Float), tolerance: Float) -> Bool {
        abs(p.red - c.0) < tolerance && abs(p.green - c.1) < tolerance && abs(p.blue - c.2) < tolerance
    }

    /// Where the stored top-left, top-right and bottom-left corners are shown, per the standard:
    /// value 6 ("0th row at the visual right, 0th column at the visual top") puts the stored
    /// top-left at the top right and the stored top-right at the bottom right.
    static let cases: [(Int, Corner, Corner, Corner)] = [
        (1, .topLeft, .topRight, .bottomLeft),
        (2, .topRight, .topLeft, .bottomRight),
        (3, .bottomRight, .bottomLeft, .topRight),
        (4, .bottomLeft, .bottomRight, .topLeft),
        (5, .topLeft, .bottomLeft, .topRight),
        (6, .topRight, .bottomRight, .topLeft),
        (7, .bottomRight, .topRight, .bottomLeft),
        (8, .bottomLeft, .topLeft, .bottomRight),
    ]

    static func checkCorners(_ image: RGBImage, value: Int, _ tl: Corner, _ tr: Corner, _ bl: Corner, tolerance: Float) {
        let swapped = value >= 5
        #expect(image.width == (swapped ? 32 : 48) && image.height == (swapped ? 48 : 32), "orientation \(value): \(image.width)x\(image.height)")
        for (corner, colour, name) in [(tl, red, "red"), (tr, green, "green"), (bl, blue, "blue")] {
            let (x, y) = centre(corner, width: image.width, height: image.height)
            #expect(near(image[x, y], colour, tolerance: tolerance), "orientation \(value): \(name) expected at \(corner), found \(image[x, y])")
        }
    }

    @Test(arguments: cases) func jpegIsReadUpright(value: Int, tl: Corner, tr: Corner, bl: Corner) throws {
        let plain = try ExifSupport.jpeg(try Self.stored())
        let tagged = try ExifSupport.file(ExifSupport.withExif(plain, tiff: ExifSupport.tiff(orientation: UInt16(value), littleEndian: value % 2 == 0)), name: "tagged.jpg")
        let image = try ImageReader.read(tagged)
        Self.checkCorners(image, value: value, tl, tr, bl, tolerance: 0.2)
        // Every pixel: exactly the untagged picture's, moved.
        let asStored = try ImageReader.read(try ExifSupport.file(plain, name: "plain.jpg"))
        let orientation = try #require(ExifOrientation(rawValue: value))
        #expect(image == asStored.oriented(orientation))
    }

    @Test(arguments: cases) func pngEXIfChunkIsApplied(value: Int, tl: Corner, tr: Corner, bl: Corner) throws {
        let stored = try Self.stored()
        let png = ExifSupport.withExif(png: try PNGCodec.encode(stored), tiff: ExifSupport.tiff(orientation: UInt16(value)))
        let image = try ImageReader.read(try ExifSupport.file(png, name: "tagged.png"))
        Self.checkCorners(image, value: value, tl, tr, bl, tolerance: 0.001)
    }

    @Test func webPEXIFChunkIsFound() {
        var riff: [UInt8] = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8)
        riff += Array("ICCP".utf8) + [3, 0, 0, 0] + [1, 2, 3, 0]             // odd size: one pad byte
        let tiff = Array("Exif".utf8) + [0, 0] + ExifSupport.tiff(orientation: 8, littleEndian: false)
        riff += Array("EXIF".utf8) + [UInt8(tiff.count), 0, 0, 0] + tiff
        #expect(ExifReader.orientation(webP: Data(riff)) == .rotated270)
        #expect(ExifReader.orientation(webP: Data(riff.prefix(30))) == nil)
    }

    @Test func malformedBlocksAreIgnoredNeverCrash() throws {
        let valid = ExifSupport.tiff(orientation: 6)
        #expect(ExifReader.orientation(exif: valid) == .rotated90)
        #expect(ExifReader.orientation(exif: ExifSupport.tiff(orientation: 6, littleEndian: false)) == .rotated90)
        // The directory (two entries) ends at byte 34: any cut before is ignored, after is read.
        for length in 0..<34 { #expect(ExifReader.orientation(exif: Array(valid.prefix(length))) == nil, "cut at \(length)") }
        for length in 34...valid.count { #expect(ExifReader.orientation(exif: Array(valid.prefix(length))) == .rotated90, "cut at \(length)") }
        #expect(ExifReader.orientation(exif: ExifSupport.tiff(orientation: 0)) == nil)
        #expect(ExifReader.orientation(exif: ExifSupport.tiff(orientation: 9)) == nil)
        var farIFD = valid
        farIFD.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(ExifReader.orientation(exif: farIFD) == nil)
        var manyEntries = valid
        manyEntries.replaceSubrange(8..<10, with: [0xFF, 0xFF])
        #expect(ExifReader.orientation(exif: manyEntries) == nil)
        // Seeded random damage: any answer is nil or a valid orientation, and nothing traps.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<3000 {
            var block = valid
            for _ in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                block[Int(state >> 33) % block.count] = UInt8(truncatingIfNeeded: state >> 17)
            }
            _ = ExifReader.orientation(exif: block)
            _ = ExifReader.orientation(png: Data(PNGCodecSignature.bytes + block))
            _ = ExifReader.orientation(webP: Data(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + block))
            _ = JPEGLayout(Data([0xFF, 0xD8] + block))
        }
        // A JPEG whose EXIF block is cut short is read as stored.
        let plain = try ExifSupport.jpeg(try Self.stored())
        let broken = try ExifSupport.file(ExifSupport.withExif(plain, tiff: Array(valid.prefix(15))), name: "broken-exif.jpg")
        #expect(try ImageReader.read(broken) == ImageReader.read(try ExifSupport.file(plain, name: "plain.jpg")))
    }
}

/// The PNG signature, for building test chunks.
enum PNGCodecSignature {
    static let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}
