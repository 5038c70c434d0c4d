import Disclosure
import Foundation
import Kernels
import Media
import Runtime
import Testing

/// The `addLumaPattern` op (which draws a tiled cell pattern) on both backends. Serialized: the cases share
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
}
