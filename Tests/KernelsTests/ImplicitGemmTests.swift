import Foundation
import Kernels
import Runtime
import Testing

/// The implicit-GEMM convolution's tile text (`conv.igemm`, vector width `vVW`) and its kernel at
/// shapes that cut every tile edge: small tiles so that each call spans several work-groups in
/// both channels and positions, Cout and positions not multiples of the tile, K not a multiple
/// of TK (and of VW: the unaligned weight-row path), stride 2, 3-D. Each width is compared with
/// the CPU (`Tolerance.reduction`), and the widths of one tile with each other bitwise (every
/// output sums the same terms in the same order). A private engine: the table must not leak.
@Suite(.serialized)
struct ImplicitGemmTests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0, environment: [:]) }

    @Test func tileTextParsesValidatesAndRoundTrips() throws {
        let v4 = try #require(ImplicitGemmTile("64x64x16/4x4v4"))
        #expect(v4.vw == 4 && v4.rm == 4 && v4.rn == 4 && v4.tk == 16 && v4.description == "64x64x16/4x4v4")
        let old = try #require(ImplicitGemmTile("32x16x8/2x2"))
        #expect(old.vw == 1 && old.description == "32x16x8/2x2", "the text without a width still means width 1")
        #expect(ImplicitGemmTile("32x16x8/2x2v1") == old)
        #expect(ImplicitGemmTile.standard.description == "64x64x16/4x4v4")
        for bad in ["64x64x16/4x4v3", "64x64x16/4x4v8", "64x64x16/4x2v4", "64x64x16/2x4v4", "64x64x6/4x4v4", "64x64x16/4x4v",
                    "64x64x16/4x4v4v4", "64x64x16/v4", "64x64x16/4x4x4v4", "64xx64x16/4x4"] {
            #expect(ImplicitGemmTile(bad) == nil, "\(bad) was accepted")
        }
        do {
            _ = try KernelVariants.defaults(isGPU: true, deviceName: "NVIDIA H100").overridden(by: "conv.igemm=64x64x16/4x2v4")
            Issue.record("conv.igemm=64x64x16/4x2v4 was accepted")
        } catch {
            #expect("\(error)".contains("conv.igemm=64x64x16/4x2v4") && "\(error)".contains("VW 1, 2 or 4"), "\(error)")
        }
    }

    /// (label, input, weight, bias, strides, paddings); rank from the input.
    static let shapes: [(String, [Int], [Int], Bool, [Int], [Int])] = [
        ("2-D 7->37 k3 p1 batch 2 19x23 (K 63)", [2, 7, 19, 23], [37, 7, 3, 3], true, [1, 1], [1, 1]),
        ("2-D 5->19 k3 s2 p1 17x14 (K 45)", [1, 5, 17, 14], [19, 5, 3, 3], false, [2, 2], [1, 1]),
        ("2-D 12->21 k1 9x11 (K 12, aligned rows)", [1, 12, 9, 11], [21, 12, 1, 1], true, [1, 1], [0, 0]),
        ("3-D 4->10 k3 s2 p1 7x9x11 (K 108)", [1, 4, 7, 9, 11], [10, 4, 3, 3, 3], true, [2, 2, 2], [1, 1, 1]),
        ("3-D 6->9 k(1,3,3) p(0,1,1) batch 2 3x6x7 (K 54)", [2, 6, 3, 6, 7], [9, 6, 1, 3, 3], false, [1, 1, 1], [0, 1, 1]),
    ]

    /// Tiles grouped by shape; within a group only the vector width differs.
    static let tileGroups: [[String]] = [
        ["16x16x8/4x4", "16x16x8/4x4v2", "16x16x8/4x4v4"],
        ["8x32x4/2x4", "8x32x4/2x4v2"],
        ["64x64x16/4x4", "64x64x16/4x4v2", "64x64x16/4x4v4"],
    ]

    @Test("every vector width equals the CPU at odd shapes, and the widths of a tile agree bitwise")
    func widthsMatchTheCPUAndEachOther() throws {
        guard let engine = Self.engine else { return }
        let table = engine.variants
        defer { engine.variants = table }
        for (index, (label, inputShape, weightShape, hasBias, strides, paddings)) in Self.shapes.enumerated() {
            let seed = UInt64(100 + index)
            let fanIn = Float(weightShape.dropFirst().reduce(1, *))
            let x = Tensor.random(inputShape, seed: seed)
            let w = Tensor.random(weightShape, seed: seed + 1, range: -1 / fanIn.squareRoot()...1 / fanIn.squareRoot())
            let b = hasBias ? Tensor.random([weightShape[0]], seed: seed + 2, range: -0.5...0.5) : nil
            func convolve(_ e: Engine) throws -> [Float] {
                try e.values(inputShape.count == 4
                    ? try e.conv2d(x, weight: w, bias: b, strides: strides, paddings: paddings)
                    : try e.conv3d(x, weight: w, bias: b, strides: strides, paddings: paddings))
            }
            let expected = try convolve(TestEngines.cpu)
            for group in Self.tileGroups {
                var first: [Float]?
                for tile in group {
                    engine.variants = try table.overridden(by: "conv.algorithm=igemm,conv.igemm=\(tile)")
                    let actual = try convolve(engine)
                    let comparison = Comparison(actual: actual, reference: expected, tolerance: .reduction)
                    #expect(comparison.passed, "\(tile) on \(label): \(comparison)")
                    if let first { #expect(actual == first, "\(tile) differs bitwise from \(group[0]) on \(label)") } else { first = actual }
                }
            }
        }
    }
}
