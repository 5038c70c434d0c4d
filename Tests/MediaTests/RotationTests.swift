import Foundation
import Media
import Testing

/// Rotation tags (display matrices, as phones write them) are written by `VideoWriter` and
/// honoured by `VideoReader`: frames come out as an upright display would show them.
struct RotationTests {
    static let red: (red: Float, green: Float, blue: Float) = (1, 0, 0)
    static let green: (red: Float, green: Float, blue: Float) = (0, 1, 0)

    /// A 64×32 grey frame, red 8×8 block in the top-left corner, green in the top-right.
    static func marked() throws -> RGBImage {
        var image = try RGBImage(width: 64, height: 32, fill: (0.5, 0.5, 0.5))
        for y in 0..<8 {
            for x in 0..<8 {
                image[x, y] = red
                image[63 - x, y] = green
            }
        }
        return image
    }

    /// Writes three marked frames with the given tag and returns the path.
    static func writeTagged(_ rotation: Int?, name: String) throws -> String {
        let path = TestSupport.temporaryPath(name)
        let writer = try VideoWriter(path: path, width: 64, height: 32, frameRate: try FrameRate(25),
                                     options: .init(crf: 10, preset: "veryfast", rotationDegrees: rotation))
        let frame = try marked()
        for _ in 0..<3 { try writer.write(frame) }
        try writer.finish()
        return path
    }

    static func isColour(_ pixel: (red: Float, green: Float, blue: Float), _ colour: (red: Float, green: Float, blue: Float)) -> Bool {
        abs(pixel.red - colour.red) < 0.15 && abs(pixel.green - colour.green) < 0.15 && abs(pixel.blue - colour.blue) < 0.15
    }

    /// Where the centres of the red (coded top-left) and green (coded top-right) blocks show,
    /// in displayed coordinates, for each clockwise turn.
    @Test(arguments: [
        (0, 64, 32, (3, 3), (60, 3)),      // as coded
        (90, 32, 64, (28, 3), (28, 60)),   // top edge becomes the right edge, read downwards
        (180, 64, 32, (60, 28), (3, 28)),  // upside down: top-left ends bottom-right
        (270, 32, 64, (3, 60), (3, 3)),    // top edge becomes the left edge, read upwards
    ] as [(Int, Int, Int, (Int, Int), (Int, Int))])
    func taggedClipReadsBackUpright(rotation: Int, width: Int, height: Int,
                                    redAt: (Int, Int), greenAt: (Int, Int)) throws {
        let path = try Self.writeTagged(rotation, name: "rot\(rotation).mp4")
        let reader = try VideoReader(path: path)
        #expect(reader.rotationDegrees == rotation)
        #expect(reader.width == width && reader.height == height)
        let frames = try reader.readAll()
        #expect(frames.count == 3)
        for frame in frames {
            #expect(frame.width == width && frame.height == height)
            let r = frame[redAt.0, redAt.1], g = frame[greenAt.0, greenAt.1]
            #expect(Self.isColour(r, Self.red), "red marker at \(redAt): \(r)")
            #expect(Self.isColour(g, Self.green), "green marker at \(greenAt): \(g)")
        }
        // The frames are exactly the decoded picture turned by the helper.
        let plain = try VideoReader(path: try Self.writeTagged(nil, name: "plain\(rotation).mp4")).readAll()
        #expect(TestSupport.difference(frames[0], plain[0].rotated(quarterTurns: rotation / 90)).max < 0.02)
    }

    @Test func untaggedClipHasNoRotation() throws {
        let reader = try VideoReader(path: try Self.writeTagged(nil, name: "untagged.mp4"))
        #expect(reader.rotationDegrees == 0)
        #expect(reader.width == 64 && reader.height == 32)
    }

    @Test func negativeAndFullTurnTagsNormalise() throws {
        #expect(try VideoReader(path: try Self.writeTagged(-90, name: "minus90.mp4")).rotationDegrees == 270)
        #expect(try VideoReader(path: try Self.writeTagged(450, name: "r450.mp4")).rotationDegrees == 90)
    }

    @Test func writerRejectsOffAxisRotation() throws {
        #expect(throws: MediaError.self) {
            try VideoWriter(path: TestSupport.temporaryPath("r45.mp4"), width: 16, height: 16,
                            frameRate: try FrameRate(25), options: .init(rotationDegrees: 45))
        }
    }

    /// av_display_rotation_get angles (counter-clockwise) → clockwise display turn, rounded
    /// to the nearest quarter turn.
    @Test func matrixAnglesMapToClockwiseQuarterTurns() {
        let cases: [(Double, Int)] = [
            (0, 0), (-90, 90), (90, 270), (180, 180), (-180, 180),
            (-89.6, 90), (-100, 90), (30, 0), (-44, 0), (-46, 90), (-45, 90), (136, 180),
            (270, 90), (-360, 0), (.nan, 0), (.infinity, 0),
        ]
        for (angle, expected) in cases {
            #expect(VideoReader.clockwiseRotation(forDisplayMatrixAngle: angle) == expected, "angle \(angle)")
        }
    }
}
