import Foundation
import Media
import Runtime
import Testing

/// `ResizeFilter.opencv` framing and the official paste-back against LivePortrait's official
/// code, run through its own functions (make_liveportrait_input_fixtures.py, an official-code harness kept outside the repository): the 256² inputs
/// must be the same bytes, so the network sees exactly what the official pipeline feeds it.
struct LivePortraitFramingTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/opencv/liveportrait-inputs.safetensors").path

    /// The fixture script's `pattern`: ramps plus hashed noise, as 8-bit RGB.
    static func pattern(width: Int, height: Int) throws -> RGBImage {
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    let noise = ((x * 73856093) ^ (y * 19349663) ^ (c * 83492791)) & 63
                    bytes[(y * width + x) * 3 + c] = UInt8(((x + 2 * y + 85 * c) / 3 + noise) & 255)
                }
            }
        }
        return try RGBImage(width: width, height: height, rgbBytes: bytes)
    }

    static func differingBytes(_ image: RGBImage, _ expected: Tensor) -> Int {
        let want = expected.hostValues!.map { UInt8($0) }
        let got = image.pixels.map { UInt8(($0 * 255).rounded()) }
        return got.count == want.count ? zip(got, want).filter { $0 != $1 }.count : -1
    }

    @Test(arguments: [(512, 512), (725, 725), (1280, 720), (1500, 1000)])
    func matchesOfficialPreparation(width: Int, height: Int) throws {
        let file = try SafeTensorsFile(path: Self.fixturePath)
        let picture = try Self.pattern(width: width, height: height)
        let name = "\(width)x\(height)"

        let whole = try picture.framedLikeOpenCV(size: 256, crop: nil, limitSide: RGBImage.liveportraitSourceMaxSide)
        #expect(Self.differingBytes(whole, try file.tensor("\(name).whole")) == 0, "\(name): no-crop path differs from the official one")

        let square = try file.tensor("\(name).square").hostValues!.map { Int($0) }
        let crop = try picture.framed(size: 256, crop: SquareCrop(x: square[0], y: square[1], size: square[2]), filter: .opencv)
        #expect(Self.differingBytes(crop, try file.tensor("\(name).crop")) == 0, "\(name): crop path differs from the official one")
    }

    @Test("paste-back with the drawn mask gives the official bytes (inside the picture, and across its edge)", arguments: [0, 1])
    func pasteBackMatchesOfficial(index: Int) throws {
        let file = try SafeTensorsFile(path: Self.fixturePath)
        let picture = try Self.pattern(width: 96, height: 80)
        let pattern = try Self.pattern(width: 512, height: 512)
        // The fixture's render is the 512² pattern upside down.
        var flipped = [Float]()
        for row in (0..<512).reversed() { flipped += pattern.pixels[(row * 512 * 3)..<((row + 1) * 512 * 3)] }
        let render = try RGBImage(width: 512, height: 512, pixels: flipped)
        let square = try file.tensor("paste\(index).square").hostValues!.map { Int($0) }
        let pasted = try picture.pastingLikeLivePortrait(render, into: SquareCrop(x: square[0], y: square[1], size: square[2]))
        #expect(Self.differingBytes(pasted, try file.tensor("paste\(index).output")) == 0)
        #expect(pasted != picture, "nothing was pasted")
    }

    @Test func sizeLimitKeepsEvenSidesAndTheLongerSideAtTheLimit() throws {
        let limited = try Self.pattern(width: 1501, height: 999).limitedLikeLivePortrait(maxSide: 1280, division: 2)
        #expect(limited.width == 1280 && limited.height == 850)  // int(999 × 1280/1501) = 851, cut to even
        let small = try Self.pattern(width: 7, height: 5).limitedLikeLivePortrait(maxSide: 1280, division: 2)
        #expect(small.width == 6 && small.height == 4)
    }
}
