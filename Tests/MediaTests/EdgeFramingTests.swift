import Media
import Testing

/// Crops that reach beyond the picture (a face at its edge): padded black when cut, only their
/// in-picture part written when pasted back.
struct EdgeFramingTests {
    /// `image` on a black border of `border` pixels on every side.
    static func padded(_ image: RGBImage, border: Int) throws -> RGBImage {
        var out = try RGBImage(width: image.width + 2 * border, height: image.height + 2 * border, fill: (0, 0, 0))
        for y in 0..<image.height { for x in 0..<image.width { out[x + border, y + border] = image[x, y] } }
        return out
    }

    @Test("SquareCrop.around keeps the full side at the edge, rounds like the official crop_image, and is nil only when it misses the picture")
    func aroundKeepsTheSide() {
        // Inside: centre rounded, side rounded then made even.
        #expect(SquareCrop.around(centerX: 100.4, centerY: 80.6, side: 51.2, width: 300, height: 200) == SquareCrop(x: 75, y: 56, size: 50))
        // Sticking out on the left by 20 and at the bottom-right corner: the side is kept.
        #expect(SquareCrop.around(centerX: 30, centerY: 100, side: 100, width: 300, height: 200) == SquareCrop(x: -20, y: 50, size: 100))
        #expect(SquareCrop.around(centerX: 290, centerY: 190, side: 60, width: 300, height: 200) == SquareCrop(x: 260, y: 160, size: 60))
        // A centre just outside still overlaps; a square that misses the picture, or bad numbers: nil.
        #expect(SquareCrop.around(centerX: -5, centerY: 100, side: 50, width: 300, height: 200) == SquareCrop(x: -30, y: 75, size: 50))
        #expect(SquareCrop.around(centerX: -40, centerY: 100, side: 50, width: 300, height: 200) == nil)
        #expect(SquareCrop.around(centerX: 50, centerY: 50, side: .nan, width: 300, height: 200) == nil)
        #expect(SquareCrop.around(centerX: 50, centerY: 50, side: 1, width: 300, height: 200) == nil)
        let part = SquareCrop(x: -20, y: 50, size: 100).visiblePart(width: 300, height: 200).map { [$0.x, $0.y, $0.width, $0.height] }
        #expect(part == [0, 50, 80, 100])
    }

    @Test("the framed crop of a square reaching beyond the picture equals the same square cut from the picture padded black",
          arguments: [SquareCrop(x: -13, y: 5, size: 40), SquareCrop(x: 30, y: -20, size: 36), SquareCrop(x: -8, y: -9, size: 70),
                      SquareCrop(x: 40, y: 30, size: 30)])
    func framedEqualsPaddedReference(crop: SquareCrop) throws {
        let image = try PasteBackTests.picture(56, 44)
        let border = 40
        let reference = try Self.padded(image, border: border)
        let shifted = SquareCrop(x: crop.x + border, y: crop.y + border, size: crop.size)
        #expect(try image.cropped(crop) == (try reference.cropped(shifted)))
        for filter in [ResizeFilter.bicubic, .areaBilinear] {
            let ours = try image.framed(size: 32, crop: crop, filter: filter)
            let padded = try reference.framed(size: 32, crop: shifted, filter: filter)
            #expect(ours == padded, "\(filter)")
        }
    }

    @Test("paste-back of a crop reaching beyond the picture writes only inside the crop's in-picture part, as a paste into the padded picture cut back")
    func pasteBackAtTheEdge() throws {
        let base = try PasteBackTests.picture(80, 60)
        var patch = try RGBImage(width: 32, height: 32, fill: (0, 0, 0))
        for y in 0..<32 { for x in 0..<32 { patch[x, y] = (1, Float(x) / 31, Float(y) / 31) } }
        for crop in [SquareCrop(x: -14, y: 20, size: 40), SquareCrop(x: 50, y: -10, size: 44), SquareCrop(x: -20, y: -20, size: 120)] {
            let out = try base.pasting(patch, into: crop, feather: 5)
            #expect(out.width == 80 && out.height == 60)
            let part = try #require(crop.visiblePart(width: 80, height: 60))
            var written = 0
            for y in 0..<60 {
                for x in 0..<80 {
                    let inside = (part.x..<(part.x + part.width)).contains(x) && (part.y..<(part.y + part.height)).contains(y)
                    if !inside { #expect(out[x, y] == base[x, y], "(\(x), \(y)) outside \(crop) changed") }
                    if inside && out[x, y] != base[x, y] { written += 1 }
                }
            }
            #expect(written > part.width * part.height / 2, "\(crop): only \(written) pixels written")
            // The reference: the same paste into the picture padded black, then the picture's region cut back.
            let border = 64
            let reference = try Self.padded(base, border: border)
                .pasting(patch, into: SquareCrop(x: crop.x + border, y: crop.y + border, size: crop.size), feather: 5)
                .cropped(x: border, y: border, width: 80, height: 60)
            #expect(out == reference, "\(crop)")
        }
    }
}
