import Disclosure
import Foundation
import Kernels
import Media
import Runtime
import Testing

/// The embedding op on both backends, and how visible the mark is. Serialized: the cases share
/// one OpenCL engine, whose kernel objects must not be set up from two threads at once.
@Suite(.serialized)
struct EmbedTests {
    static let opencl: Engine? = {
        guard let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all()) else { return nil }
        return try? Engine.opencl(device)
    }()

    @Test(arguments: [(1, 67, 131, 32), (2, 64, 64, 32), (1, 300, 257, 128)])
    func openCLMatchesCPU(batch: Int, height: Int, width: Int, period: Int) throws {
        guard let gpu = Self.opencl else {
            #expect(ProcessInfo.processInfo.environment["PORTRAIT_ALLOW_NO_OPENCL"] == "1", "no OpenCL device (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)")
            return
        }
        var g = SeededGenerator(seed: 9)
        let pattern = try LumaPattern(cells: (0..<1024).map { _ in g.uniform(-1, 1) }, cellsPerSide: 32, period: period)
        let image = Tensor.random([batch, 3, height, width], seed: 3, range: 0...1)
        let cpu = try Engine.cpu().values(try Engine.cpu().addLumaPattern(image, pattern, strength: 0.01))
        let cl = try gpu.values(try gpu.addLumaPattern(image, pattern, strength: 0.01))
        let resident = try gpu.resident(Tensor(shape: [1024], values: pattern.cells))
        let cached = try gpu.values(try gpu.addLumaPattern(image, pattern, strength: 0.01, residentCells: resident))
        #expect(cached == cl, "resident cells give the same result as uploaded ones")
        let input = image.hostValues!
        var worst: Float = 0, changed = 0
        for i in cpu.indices {
            worst = max(worst, abs(cpu[i] - cl[i]))
            if abs(cpu[i] - input[i]) > 1e-5 { changed += 1 }
        }
        #expect(worst <= 1e-6, "CPU and OpenCL differ by \(worst)")
        #expect(changed > cpu.count / 2, "the pattern changes most pixels")
    }

    @Test func patternIsTheSameOffsetOnAllThreeChannels() throws {
        let pattern = try LumaPattern(cells: (0..<1024).map { Float($0 % 7) - 3 }, cellsPerSide: 32, period: 64)
        let out = try Engine.cpu().values(try Engine.cpu().addLumaPattern(Tensor(zeros: [1, 3, 8, 8]), pattern, strength: 1))
        for i in 0..<64 { #expect(out[i] == out[64 + i] && out[i] == out[128 + i]) }
        #expect(throws: (any Error).self) { try LumaPattern(cells: [1, 2, 3], cellsPerSide: 2, period: 8) }
        #expect(throws: (any Error).self) { try Engine.cpu().addLumaPattern(Tensor(zeros: [1, 1, 8, 8]), pattern, strength: 1) }
    }

    /// PSNR ≥ 42 dB on the portrait and on every kind of synthetic content; writes the amplified
    /// difference (×20 around mid-grey, top-left 256²) when PORTRAIT_WATERMARK_DIFF names a path.
    @Test func markIsInvisibleByPSNR() throws {
        var pictures = try Harness.sourceFrames(count: 1, size: 512)
        pictures += (0..<Content.kinds).map { Content.picture(kind: $0, seed: 2, width: 256, height: 256) }
        for picture in pictures {
            let marked = try Harness.mark([picture], payload: WatermarkPayload(renderID: 7))[0]
            let psnr = Harness.psnr(picture, marked)
            #expect(psnr >= 42 && psnr < 50, "PSNR \(psnr) dB on a \(picture.width)² picture")
        }
        if let path = ProcessInfo.processInfo.environment["PORTRAIT_WATERMARK_DIFF"] {
            let marked = try Harness.mark([pictures[0]], payload: WatermarkPayload(renderID: 7))[0]
            let diff = zip(marked.rgbBytes(), pictures[0].rgbBytes()).map { Float(min(max(128 + 20 * (Int($0) - Int($1)), 0), 255)) / 255 }
            try PNGCodec.write(try RGBImage(width: 512, height: 512, pixels: diff).cropped(x: 0, y: 0, width: 256, height: 256), to: path)
        }
    }
}
