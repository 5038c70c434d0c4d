import Media
import Testing

struct FramingTests {
    /// A 6×4 image whose red channel encodes x and green encodes y.
    func coordinates(width: Int = 6, height: Int = 4) throws -> RGBImage {
        var image = try RGBImage(width: width, height: height)
        for y in 0..<height { for x in 0..<width { image[x, y] = (Float(x), Float(y), 0) } }
        return image
    }

    @Test func centreCropTakesTheMiddleSquare() throws {
        let crop = SquareCrop.centered(width: 6, height: 4)
        #expect(crop == SquareCrop(x: 1, y: 0, size: 4))
        let square = try coordinates().cropped(crop)
        #expect(square.width == 4 && square.height == 4)
        #expect(square[0, 0].red == 1 && square[3, 3].red == 4 && square[3, 3].green == 3)
        #expect(SquareCrop.centered(width: 3, height: 8) == SquareCrop(x: 0, y: 2, size: 3))
    }

    @Test func explicitCropIsHonouredPaddedBlackBeyondTheImageAndRefusedWhollyOutside() throws {
        let image = try coordinates()
        let part = try image.cropped(SquareCrop(x: 4, y: 2, size: 2))
        #expect(part.pixels == [4, 2, 0, 5, 2, 0, 4, 3, 0, 5, 3, 0])
        // Half outside on the right and on the left: the outside column is black.
        #expect(try image.cropped(SquareCrop(x: 5, y: 0, size: 2)).pixels == [5, 0, 0, 0, 0, 0, 5, 1, 0, 0, 0, 0])
        #expect(try image.cropped(SquareCrop(x: -1, y: 0, size: 2)).pixels == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(throws: MediaError.self) { try image.cropped(SquareCrop(x: 6, y: 0, size: 2)) }
        #expect(throws: MediaError.self) { try image.cropped(SquareCrop(x: -2, y: -2, size: 2)) }
    }

    @Test func areaShrinkAveragesExactly() throws {
        // 4×4 → 2×2: each output is the mean of a 2×2 block.
        let image = try coordinates(width: 4, height: 4)
        let small = try image.resized(width: 2, height: 2)
        #expect(small[0, 0].red == 0.5 && small[1, 0].red == 2.5)
        #expect(small[0, 1].green == 2.5)
        // 3 → 2 (fractional): output 0 covers [0, 1.5) = pixel 0 and half of pixel 1.
        let row = try RGBImage(width: 3, height: 1, pixels: [0, 0, 0, 3, 0, 0, 6, 0, 0])
        let two = try row.resized(width: 2, height: 1)
        #expect(abs(two[0, 0].red - 1) < 1e-6 && abs(two[1, 0].red - 5) < 1e-6)
        // A flat image stays flat at any size (weights sum to 1).
        let flat = try RGBImage(width: 7, height: 5, fill: (0.25, 0.5, 0.75))
        for (w, h) in [(3, 2), (11, 9), (7, 1)] {
            let resized = try flat.resized(width: w, height: h)
            #expect(resized.pixels.allSatisfy { value in [0.25, 0.5, 0.75].contains { abs($0 - value) < 1e-5 } })
        }
    }

    @Test func bilinearEnlargeMatchesHalfPixelCentres() throws {
        // PyTorch interpolate([0, 1], size=4, bilinear, align_corners=False) = [0, .25, .75, 1].
        let row = try RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 1, 0, 0])
        let wide = try row.resized(width: 4, height: 1)
        #expect((0..<4).map { wide[$0, 0].red } == [0, 0.25, 0.75, 1])
    }

    /// Red channel of a 7×5 test pattern `((7x + 13y + 5c) mod 11) / 10` resized by PyTorch 2.15:
    /// `F.interpolate(x, size=(h, w), mode="bicubic", align_corners=False).clamp(0, 1)` (float64).
    static let torchBicubic: [(width: Int, height: Int, red: [Float])] = [
        (4, 3, [0.356515, 0.356264, 0.689801, 0.451731, 0.209717, 0.701270, 0.951465, 0.317773, 0.607548, 0.332277,
                0.184216, 0.742460]),
        (9, 6, [0.000000, 0.513571, 0.524111, 0.412557, 1.000000, 0.742392, 0.248895, 0.383609, 0.997160, 0.079864,
                0.750051, 0.820171, 0.338695, 0.282813, 0.680227, 0.561242, 0.241681, 0.172885, 0.309508, 0.316862,
                0.515087, 0.516316, 0.129065, 0.889281, 0.862700, 0.302946, 0.000000, 0.521423, 0.033106, 0.351081,
                0.858598, 0.387384, 0.571393, 0.728693, 0.566702, 0.261047, 0.692744, 0.342245, 0.434919, 0.747614,
                0.566406, 0.066057, 0.508011, 0.831149, 0.440069, 0.836841, 0.587293, 0.106670, 0.068306, 0.710503,
                0.341043, 0.712424, 0.962355, 0.584166]),
    ]

    @Test func bicubicMatchesPyTorch() throws {
        var pixels: [Float] = []
        for y in 0..<5 { for x in 0..<7 { for c in 0..<3 { pixels.append(Float((x * 7 + y * 13 + c * 5) % 11) / 10) } } }
        let pattern = try RGBImage(width: 7, height: 5, pixels: pixels)
        for golden in Self.torchBicubic {
            let out = try pattern.resized(width: golden.width, height: golden.height, filter: .bicubic)
            let red = (0..<golden.height).flatMap { y in (0..<golden.width).map { out[$0, y].red } }
            let worst = zip(red, golden.red).map { abs($0 - $1) }.max() ?? 1
            #expect(worst < 2e-6, "bicubic \(golden.width)x\(golden.height): worst difference \(worst) from PyTorch")
        }
    }

    @Test func framingCropsThenResizes() throws {
        let image = TestSupport.frame(width: 40, height: 30)
        let framed = try image.framed(size: 15)
        #expect(framed.width == 15 && framed.height == 15)
        let expected = try image.cropped(SquareCrop(x: 5, y: 0, size: 30)).resized(width: 15, height: 15, filter: .bicubic)
        #expect(framed == expected)
        let override = try image.framed(size: 10, crop: SquareCrop(x: 0, y: 0, size: 10))
        #expect(override == (try image.cropped(x: 0, y: 0, width: 10, height: 10)))
    }

    @Test func sideBySidePlacesPanelsLeftToRight() throws {
        let a = try RGBImage(width: 2, height: 2, fill: (1, 0, 0))
        let b = try RGBImage(width: 3, height: 2, fill: (0, 1, 0))
        let c = try RGBImage(width: 2, height: 4, fill: (0, 0, 1)) // resized to height 2 → width 1
        let strip = try RGBImage.sideBySide([a, b, c], gap: 1, background: (1, 1, 1))
        #expect(strip.width == 2 + 1 + 3 + 1 + 1 && strip.height == 2)
        #expect(strip[1, 1] == (1, 0, 0))
        #expect(strip[2, 0] == (1, 1, 1))
        #expect(strip[3, 1] == (0, 1, 0) && strip[5, 0] == (0, 1, 0))
        #expect(strip[7, 1] == (0, 0, 1))
        #expect(throws: MediaError.self) { try RGBImage.sideBySide([]) }
    }

    @Test func rotationTurnsClockwise() throws {
        let image = try coordinates(width: 3, height: 2)
        let turned = image.rotated(quarterTurns: 1)
        #expect(turned.width == 2 && turned.height == 3)
        #expect(turned[1, 0] == image[0, 0]) // top-left goes to top-right
        #expect(image.rotated(quarterTurns: 4) == image)
        #expect(image.rotated(quarterTurns: -1) == image.rotated(quarterTurns: 3))
    }

    @Test func heatmapScalesErrorsOntoThePalette() throws {
        let a = try RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 0.5, 0.5, 0.5])
        let b = try RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 0, 0, 0])
        #expect(try ErrorHeatmap.absoluteDifference(a, b) == [0, 0.5])
        let map = try ErrorHeatmap.render(difference: a, b)
        #expect(map[0, 0] == ErrorHeatmap.color(0))
        #expect(map[1, 0] == ErrorHeatmap.color(1))
        #expect(map[1, 0].red > 0.9 && map[0, 0].blue > map[0, 0].green) // yellow top, violet bottom
        let fixed = try ErrorHeatmap.render(errors: [0.1], width: 1, height: 1, maxError: 0.2)
        #expect(fixed[0, 0] == ErrorHeatmap.color(0.5))
        #expect(throws: MediaError.self) { try ErrorHeatmap.render(difference: a, try RGBImage(width: 1, height: 1)) }
        let path = TestSupport.temporaryPath("heat.png")
        try PNGCodec.write(map, to: path)
        #expect(try PNGCodec.read(path).width == 2)
    }
}
