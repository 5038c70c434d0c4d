import Foundation
@testable import Kernels
import Runtime
import Testing

/// `Engine.spadeModulate` (SPADE's γ/β convolutions, instance norm, modulation and LeakyReLU in one
/// op) against the composition it replaces, `activation(instanceNormModulate(x, conv2d(h, wγ),
/// conv2d(h, wβ)))`, on the CPU and on OpenCL under Winograd F(4×4) (the fused output-transform
/// kernel, one input transform of h) and the direct convolutions (`norm_modulate_apply` with the
/// activation variant). A private engine: the variant table and profiler must not leak.
@Suite(.serialized)
struct SpadeModulateTests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0, environment: [:]) }

    /// (label, x shape, hidden channels, kernel, activation)
    static let shapes: [(String, [Int], Int, Int, Activation?)] = [
        ("2x5x7x9 h3 leaky", [2, 5, 7, 9], 3, 3, .leakyReLU),
        ("1x4x9x40 h6 (whole and edge runs)", [1, 4, 9, 40], 6, 3, nil),
        ("1x9x36x70 h5 leaky (several tile rows)", [1, 9, 36, 70], 5, 3, .leakyReLU),
        ("1x3x5x6 h2 k1", [1, 3, 5, 6], 2, 1, .leakyReLU),
    ]

    static func inputs(_ shape: [Int], hidden: Int, kernel: Int, seed: UInt64) -> [Tensor] {
        let c = shape[1], bound = 0.3 / Float(hidden * kernel * kernel).squareRoot()
        return [Tensor.random(shape, seed: seed, range: -2...5), Tensor.random([shape[0], hidden, shape[2], shape[3]], seed: seed + 1, range: 0...2),
                Tensor.random([c, hidden, kernel, kernel], seed: seed + 2, range: -bound...bound), Tensor.random([c], seed: seed + 3, range: -0.1...0.1),
                Tensor.random([c, hidden, kernel, kernel], seed: seed + 4, range: -bound...bound), Tensor.random([c], seed: seed + 5, range: -0.1...0.1)]
    }

    static func composed(_ e: Engine, _ t: [Tensor], kernel: Int, activation: Activation?) throws -> Tensor {
        let gamma = try e.conv2d(t[1], weight: t[2], bias: t[3], padding: kernel / 2)
        let beta = try e.conv2d(t[1], weight: t[4], bias: t[5], padding: kernel / 2)
        let y = try e.instanceNormModulate(t[0], gamma: gamma, beta: beta, eps: 1e-5)
        return try activation.map { try e.activation(y, $0, negativeSlope: 0.2) } ?? y
    }

    static func fused(_ e: Engine, _ t: [Tensor], activation: Activation?) throws -> Tensor {
        try e.spadeModulate(t[0], hidden: t[1], gammaWeight: t[2], gammaBias: t[3], betaWeight: t[4], betaBias: t[5],
                            eps: 1e-5, activation: activation, negativeSlope: 0.2)
    }

    @Test("the CPU op equals its composition")
    func cpuMatchesComposition() throws {
        for (index, (label, shape, hidden, kernel, activation)) in Self.shapes.enumerated() {
            let t = Self.inputs(shape, hidden: hidden, kernel: kernel, seed: UInt64(500 + 10 * index))
            for e in [TestEngines.cpu, TestEngines.cpuFallback] {
                let comparison = Comparison(actual: try e.values(try Self.fused(e, t, activation: activation)),
                                            reference: try e.values(try Self.composed(e, t, kernel: kernel, activation: activation)), tolerance: .tight)
                #expect(comparison.passed, "\(label): \(comparison)")
            }
        }
    }

    @Test("OpenCL (Winograd fused and direct) equals the CPU composition; the fused path stores no γ/β and transforms h once")
    func openCLMatchesComposition() throws {
        guard let e = Self.engine else {
            #expect(!TestEngines.openclRequired, "no OpenCL device")
            return
        }
        let table = e.variants
        defer { e.variants = table; e.profiler = nil }
        for path in ["conv.algorithm=winograd4,conv.tile=16x16", "conv.algorithm=winograd4,conv.tile=16x6", "conv.algorithm=direct"] {
            e.variants = try table.overridden(by: path)
            for (index, (label, shape, hidden, kernel, activation)) in Self.shapes.enumerated() {
                let t = Self.inputs(shape, hidden: hidden, kernel: kernel, seed: UInt64(500 + 10 * index))
                let expected = try TestEngines.cpu.values(try Self.composed(TestEngines.cpu, t, kernel: kernel, activation: activation))
                let profiler = Profiler()
                e.profiler = profiler
                let actual = try e.values(try Self.fused(e, t, activation: activation))
                e.profiler = nil
                let names = profiler.drain().map(\.name)
                let comparison = Comparison(actual: actual, reference: expected, tolerance: .reduction)
                #expect(comparison.passed, "\(path), \(label): \(comparison)")
                // The unfused OpenCL composition agrees closely too (same Winograd sums).
                let unfused = try e.values(try Self.composed(e, t, kernel: kernel, activation: activation))
                let close = Comparison(actual: actual, reference: unfused, tolerance: Tolerance(absolute: 1e-5, relative: 1e-5))
                #expect(close.passed, "\(path), \(label) against the OpenCL composition: \(close)")
                if path.hasPrefix("conv.algorithm=winograd4") && kernel == 3 {
                    #expect(names.filter { $0 == "conv3x3_wino4_input" }.count == 1, "\(path), \(label): h transformed once, got \(names)")
                    #expect(names.contains("conv3x3_wino4_output_modulate") && !names.contains("conv3x3_wino4_output"), "\(path), \(label): \(names)")
                } else {
                    #expect(names.contains("norm_modulate_apply"), "\(path), \(label): \(names)")
                }
            }
        }
    }

    @Test("mismatched shapes are errors that name the op")
    func shapeErrors() throws {
        let t = Self.inputs([1, 4, 6, 6], hidden: 3, kernel: 3, seed: 7)
        let wrongHidden = Tensor.random([1, 3, 5, 6], seed: 8)
        #expect(throws: RuntimeError.self) {
            _ = try TestEngines.cpu.spadeModulate(t[0], hidden: wrongHidden, gammaWeight: t[2], gammaBias: t[3], betaWeight: t[4], betaBias: t[5])
        }
        let evenKernel = Tensor.random([4, 3, 2, 2], seed: 9)
        #expect(throws: RuntimeError.self) {
            _ = try TestEngines.cpu.spadeModulate(t[0], hidden: t[1], gammaWeight: evenKernel, gammaBias: t[3], betaWeight: evenKernel, betaBias: t[5])
        }
        #expect(throws: RuntimeError.self) {
            _ = try TestEngines.cpu.spadeModulate(t[0], hidden: t[1], gammaWeight: t[2], gammaBias: t[3], betaWeight: t[4], betaBias: Tensor.random([5], seed: 10))
        }
    }
}
