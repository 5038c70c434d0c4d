import Foundation
import Media
import Runtime
import Testing

/// `OpenCVResize` and `OpenCVWarp` against `cv2.resize` and `cv2.warpAffine` themselves (opencv-python 4.10, LivePortrait's pin): the goldens in
/// Tests/Fixtures/opencv/resize.safetensors come from reference/make_opencv_resize_fixtures.py and
/// cover every path OpenCV takes for 8-bit pictures. The contract is bit-exactness.
struct OpenCVSamplingTests {
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/opencv/resize.safetensors").path

    /// The case names in the golden file (`SWxSH-DWxDH`).
    static func cases(_ file: SafeTensorsFile) -> [String] {
        file.names.filter { $0.hasSuffix(".input") && !$0.hasPrefix("warp") }.map { String($0.dropLast(".input".count)) }.sorted()
    }

    @Test(arguments: OpenCVResize.Interpolation.allCases)
    func matchesOpenCVBitForBit(interpolation: OpenCVResize.Interpolation) throws {
        let file = try SafeTensorsFile(path: Self.fixturePath)
        let names = Self.cases(file)
        #expect(names.count == 10)
        for name in names {
            let input = try file.tensor("\(name).input"), expected = try file.tensor("\(name).\(interpolation.rawValue)")
            let bytes = input.hostValues!.map { UInt8($0) }
            let out = try OpenCVResize.resize(bytes, width: input.shape[1], height: input.shape[0], channels: 3,
                                              toWidth: expected.shape[1], toHeight: expected.shape[0], interpolation: interpolation)
            let want = expected.hostValues!.map { UInt8($0) }
            let differing = zip(out, want).filter { $0 != $1 }.count
            #expect(out.count == want.count && differing == 0, "\(name) \(interpolation): \(differing) of \(want.count) bytes differ from cv2.resize")
        }
    }

    @Test func warpMatchesOpenCVBitForBit() throws {
        let file = try SafeTensorsFile(path: Self.fixturePath)
        let warps = file.names.filter { $0.hasPrefix("warp") && $0.hasSuffix(".input") }.map { String($0.dropLast(".input".count)) }
        #expect(warps.count == 4)
        for name in warps {
            let input = try file.tensor("\(name).input"), expected = try file.tensor("\(name).output")
            let matrix = try file.tensor("\(name).matrix").hostValues!.map { Double($0) }
            let out = try OpenCVWarp.affine(input.hostValues!.map { UInt8($0) }, width: input.shape[1], height: input.shape[0], channels: 3,
                                            matrix: matrix, toWidth: expected.shape[1], toHeight: expected.shape[0])
            let want = expected.hostValues!.map { UInt8($0) }
            let differing = zip(out, want).filter { $0 != $1 }.count
            #expect(out.count == want.count && differing == 0, "\(name): \(differing) of \(want.count) bytes differ from cv2.warpAffine")
        }
    }

    @Test func pictureVersionRoundsToBytesFirst() throws {
        // 0.5/255 above a byte value rounds up before resizing, as a uint8 picture would hold it.
        let image = try RGBImage(width: 4, height: 2, pixels: (0..<24).map { Float($0 % 7) / 255 + 0.6 / 255 })
        let resized = try image.resizedLikeOpenCV(width: 2, height: 1, interpolation: .area)
        let bytes = (0..<24).map { UInt8($0 % 7 + 1) }
        let expected = try OpenCVResize.resize(bytes, width: 4, height: 2, channels: 3, toWidth: 2, toHeight: 1, interpolation: .area)
        #expect(resized.pixels == expected.map { Float($0) * (1 / 255) })
    }

    @Test func refusesInconsistentSizes() {
        #expect(throws: MediaError.self) {
            _ = try OpenCVResize.resize([1, 2, 3], width: 2, height: 1, channels: 3, toWidth: 1, toHeight: 1, interpolation: .linear)
        }
        #expect(throws: MediaError.self) {
            _ = try OpenCVResize.resize([1, 2, 3], width: 1, height: 1, channels: 3, toWidth: 0, toHeight: 1, interpolation: .area)
        }
    }
}
