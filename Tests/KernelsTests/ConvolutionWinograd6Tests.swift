import Foundation
@testable import Kernels
import Runtime
import Testing

/// Winograd F(6×6, 3×3) on OpenCL (`conv.winograd=6`, ConvolutionWinograd6.swift): every path of
/// its transform kernels (chunks of eight tiles inside one tile row, across two rows of at least
/// eight tiles, and per lane across rows narrower than eight; whole 48-wide rows and clipped edge
/// tiles) against the CPU reference, which kernels run under each `conv.winograd` value, the
/// input-transform reuse, SPADE's fused output transform, and `auto`'s choice. A private engine:
/// the variant table and profiler must not leak.
@Suite(.serialized)
struct ConvolutionWinograd6Tests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0, environment: [:]) }

    static func weight(_ shape: [Int], seed: UInt64) -> Tensor {
        let bound = 1 / Float(shape.dropFirst().reduce(1, *)).squareRoot()
        return Tensor.random(shape, seed: seed, range: -bound...bound)
    }

    /// (label, input shape, output channels, padding, activation)
    static let shapes: [(String, [Int], Int, Int, Activation?)] = [
        ("tw 2, per-lane chunks, padding 0", [1, 3, 9, 14], 5, 0, nil),
        ("tw 5, batch 2, padding 1, relu", [2, 4, 20, 27], 10, 1, .relu),
        ("tw 10, two-row chunks and lanes past T, padding 2", [1, 3, 13, 54], 9, 2, .leakyReLU),
        ("tw 11 (64-wide rows), one and two-row chunks", [1, 6, 17, 64], 17, 1, nil),
        ("tw 17, whole 48-wide rows and a clipped edge tile, batch 2", [2, 2, 8, 100], 8, 1, .leakyReLU),
    ]

    @Test("conv2d under conv.winograd=6 equals the CPU reference on every transform path, with the F(6×6) kernels")
    func matchesTheCPU() throws {
        guard let e = Self.engine else {
            #expect(!TestEngines.openclRequired, "no OpenCL device")
            return
        }
        let table = e.variants
        defer { e.variants = table; e.profiler = nil }
        for tile in ["16x16", "16x6"] {
            e.variants = try table.overridden(by: "conv.algorithm=winograd4,conv.winograd=6,conv.tile=\(tile)")
            for (index, (label, shape, cout, padding, activation)) in Self.shapes.enumerated() {
                let seed = UInt64(900 + 10 * index)
                let x = Tensor.random(shape, seed: seed, range: -2...2)
                let w = Self.weight([cout, shape[1], 3, 3], seed: seed + 1)
                let b = Tensor.random([cout], seed: seed + 2, range: -0.5...0.5)
                let profiler = Profiler()
                e.profiler = profiler
                let actual = try e.values(try e.conv2d(x, weight: w, bias: b, padding: padding, activation: activation, negativeSlope: 0.2))
                e.profiler = nil
                let names = Set(profiler.drain().map(\.name))
                let expected = try TestEngines.cpu.values(try TestEngines.cpu.conv2d(x, weight: w, bias: b, padding: padding,
                                                                                     activation: activation, negativeSlope: 0.2))
                let comparison = Comparison(actual: actual, reference: expected, tolerance: .reduction)
                #expect(comparison.passed, "\(tile), \(label): \(comparison)")
                #expect(names.isSuperset(of: ["conv3x3_wino6_input", "conv3x3_wino6_output"]) && !names.contains("conv3x3_wino4_input"),
                        "\(tile), \(label): \(names.sorted())")
            }
        }
    }

    @Test("conv.winograd=4 keeps F(4×4); auto takes F(6×6) only for wide, many-channel maps")
    func choice() throws {
        func geometry(_ size: Int, _ cin: Int, _ cout: Int) throws -> ConvolutionGeometry {
            try ConvolutionGeometry(op: "conv2d", input: [1, cin, size, size], weight: [cout, cin, 3, 3], bias: nil,
                                    stride: [1, 1], padding: [1, 1], rank: 2)
        }
        let (g64, g256, g32) = (try geometry(64, 8, 8), try geometry(256, 8, 8), try geometry(32, 8, 8))
        #expect(Winograd6Layout.gemmSmaller(g64) && Winograd6Layout.gemmSmaller(g256))
        #expect(!Winograd6Layout.gemmSmaller(g32), "32²: F(6×6)'s tiles waste more than they save")
        let (wide, narrow, few, spade) = (try geometry(128, 512, 512), try geometry(64, 512, 512), try geometry(256, 128, 64), try geometry(256, 128, 256))
        #expect(Winograd6Layout.preferred(wide, outputs: 512))
        #expect(!Winograd6Layout.preferred(narrow, outputs: 512), "64 wide: below 96")
        #expect(!Winograd6Layout.preferred(few, outputs: 64), "few output channels: the transforms dominate")
        #expect(Winograd6Layout.preferred(spade, outputs: 512), "SPADE's γ and β count together")
        guard let e = Self.engine else { return }
        let table = e.variants
        defer { e.variants = table; e.profiler = nil }
        let x = Tensor.random([1, 4, 12, 12], seed: 3), w = Self.weight([8, 4, 3, 3], seed: 4)
        for (setting, kernel) in [("4", "conv3x3_wino4_input"), ("6", "conv3x3_wino6_input"), ("auto", "conv3x3_wino4_input")] {
            e.variants = try table.overridden(by: "conv.algorithm=winograd4,conv.winograd=\(setting)")
            let profiler = Profiler()
            e.profiler = profiler
            _ = try e.values(try e.conv2d(x, weight: w, bias: nil, padding: 1))
            e.profiler = nil
            let names = profiler.drain().map(\.name)
            #expect(names.contains(kernel), "conv.winograd=\(setting): \(names)")
        }
    }

    @Test("convolutions of a registered input share one F(6×6) input transform, bitwise equal to separate calls")
    func inputReuse() throws {
        guard let e = Self.engine else { return }
        let table = e.variants
        defer { e.variants = table; e.profiler = nil }
        e.variants = try table.overridden(by: "conv.algorithm=winograd4,conv.winograd=6")
        let x = try e.resident(Tensor.random([1, 5, 14, 50], seed: 31))
        let w1 = try e.resident(Self.weight([7, 5, 3, 3], seed: 32)), w2 = try e.resident(Self.weight([12, 5, 3, 3], seed: 33))
        func run() throws -> ([[Float]], Int) {
            let profiler = Profiler()
            e.profiler = profiler
            let values = try [w1, w2, w1].map { try e.values(try e.conv2d(x, weight: $0, bias: nil, padding: 1)) }
            e.profiler = nil
            return (values, profiler.drain().filter { $0.name == "conv3x3_wino6_input" }.count)
        }
        let (separate, separateTransforms) = try run()
        let (shared, sharedTransforms) = try e.reusingConvolutionInputs([x]) { try run() }
        #expect(separateTransforms == 3 && sharedTransforms == 1)
        #expect(separate == shared, "the reused transform changed a result")
        #expect(e.convolutionInputReuse.count == 0)
    }

    @Test("SPADE under conv.winograd=6 transforms h once, fuses the output transforms and equals the CPU")
    func spade() throws {
        guard let e = Self.engine else { return }
        let table = e.variants
        defer { e.variants = table; e.profiler = nil }
        e.variants = try table.overridden(by: "conv.algorithm=winograd4,conv.winograd=6")
        for (index, (shape, hidden)) in [([2, 5, 7, 9], 3), ([1, 6, 13, 50], 4), ([1, 3, 14, 100], 5)].enumerated() {
            let t = SpadeModulateTests.inputs(shape, hidden: hidden, kernel: 3, seed: UInt64(700 + 10 * index))
            let expected = try TestEngines.cpu.values(try SpadeModulateTests.composed(TestEngines.cpu, t, kernel: 3, activation: .leakyReLU))
            let profiler = Profiler()
            e.profiler = profiler
            let actual = try e.values(try SpadeModulateTests.fused(e, t, activation: .leakyReLU))
            e.profiler = nil
            let names = profiler.drain().map(\.name)
            let comparison = Comparison(actual: actual, reference: expected, tolerance: .reduction)
            #expect(comparison.passed, "\(shape): \(comparison)")
            #expect(names.filter { $0 == "conv3x3_wino6_input" }.count == 1 && names.contains("conv3x3_wino6_output_modulate")
                    && !names.contains("conv3x3_wino6_output"), "\(shape): \(names)")
        }
    }
}
