import Foundation
import Media
import Testing

/// `RGBImage.pasting`: the rendered face back into the full picture.
struct PasteBackTests {
    /// A smooth colourful `width × height` test picture.
    static func picture(_ width: Int, _ height: Int) throws -> RGBImage {
        var image = try RGBImage(width: width, height: height, fill: (0, 0, 0))
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                image.pixels[i] = Float(x) / Float(width)
                image.pixels[i + 1] = Float(y) / Float(height)
                image.pixels[i + 2] = 0.5 + 0.4 * sin(Float(x + y) / 17)
            }
        }
        return image
    }

    @Test("outside the crop the picture is untouched; the result has the picture's size")
    func outsideUnchanged() throws {
        let base = try Self.picture(160, 90)
        let crop = SquareCrop(x: 70, y: 20, size: 48)
        let patch = try RGBImage(width: 64, height: 64, fill: (1, 0, 1))
        let out = try base.pasting(patch, into: crop, feather: 6)
        #expect(out.width == 160 && out.height == 90)
        for y in 0..<90 {
            for x in 0..<160 where !(crop.x..<(crop.x + crop.size)).contains(x) || !(crop.y..<(crop.y + crop.size)).contains(y) {
                #expect(out[x, y] == base[x, y])
            }
        }
        // The middle is the patch; the edge is a blend between the two.
        let middle = out[crop.x + 24, crop.y + 24]
        #expect(middle.red == 1 && middle.green == 0 && middle.blue == 1)
        let edge = out[crop.x, crop.y + 24], original = base[crop.x, crop.y + 24]
        #expect(edge.red > original.red && edge.red < 1)
    }

    @Test("cut, resize to the model's size and paste back: the picture comes back (PSNR > 35 dB in the crop)")
    func roundTrip() throws {
        let base = try Self.picture(200, 120)
        let crop = SquareCrop(x: 90, y: 10, size: 100)
        let face = try base.framed(size: 128, crop: crop)
        let out = try base.pasting(face, into: crop, feather: 8)
        var squared: Double = 0
        for y in crop.y..<(crop.y + crop.size) {
            for x in crop.x..<(crop.x + crop.size) {
                let a = out[x, y], b = base[x, y]
                squared += Double((a.red - b.red) * (a.red - b.red) + (a.green - b.green) * (a.green - b.green) + (a.blue - b.blue) * (a.blue - b.blue))
            }
        }
        let psnr = 10 * log10(1 / (squared / Double(3 * crop.size * crop.size)))
        #expect(psnr > 35, "PSNR \(psnr) dB")
    }

    @Test("feather 0 pastes a hard square; a crop wholly outside the picture or a negative feather is an error")
    func hardEdgeAndErrors() throws {
        let base = try Self.picture(50, 40)
        let patch = try RGBImage(width: 10, height: 10, fill: (0.25, 0.5, 0.75))
        let out = try base.pasting(patch, into: SquareCrop(x: 5, y: 5, size: 10), feather: 0)
        #expect(out[5, 5] == patch[0, 0] && out[14, 14] == patch[9, 9] && out[15, 15] == base[15, 15])
        #expect(throws: MediaError.self) { try base.pasting(patch, into: SquareCrop(x: 50, y: 5, size: 10), feather: 2) }
        #expect(throws: MediaError.self) { try base.pasting(patch, into: SquareCrop(x: -10, y: -10, size: 10), feather: 2) }
        #expect(throws: MediaError.self) { try base.pasting(patch, into: SquareCrop(x: 5, y: 5, size: 10), feather: -1) }
    }
}

/// `RGBImage.paddedToEven`: odd-sized pictures (a pasted-back photo) made encodable as yuv420p.
struct PaddedToEvenTests {
    @Test("odd sides grow by one replicated column/row; even images are unchanged")
    func pads() throws {
        let base = try PasteBackTests.picture(7, 5)
        let padded = base.paddedToEven()
        #expect(padded.width == 8 && padded.height == 6)
        #expect(padded[7, 2] == base[6, 2] && padded[3, 5] == base[3, 4] && padded[7, 5] == base[6, 4] && padded[2, 3] == base[2, 3])
        let even = try PasteBackTests.picture(8, 6)
        #expect(even.paddedToEven().pixels == even.pixels)
    }
}
