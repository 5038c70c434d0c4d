import Foundation
import Kernels
import Runtime
import Testing

/// The activation fused into the convolution epilogues (`conv2d`/`conv3d` with `activation:`):
/// every OpenCL path — the direct tile kernels (8×8, 16×6, 16×16, the k1/k3/k7 specialisations
/// and `conv_any_tile`), Winograd F(4×4, 3×3) under both GEMM tiles (2-D and 3-D), the 3-D
/// Winograd F(2×2×2, 3×3×3) (`conv.winograd3d=cube`), Winograd
/// F(2×2, 3×3), `conv_igemm` at widths 1 and 4 — under every
/// activation equals the CPU's `activation(conv(x))` within the convolution tolerance
/// (`Tolerance.reduction`; the activations are 1-Lipschitz or flatter, so they add no error
/// beyond their own ulps). A private engine: the table must not leak.
@Suite(.serialized)
struct ConvolutionActivationTests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0, environment: [:]) }

    static let paths = [
        "conv.algorithm=direct,conv.tile=8x8", "conv.algorithm=direct,conv.tile=16x6", "conv.algorithm=direct,conv.tile=16x16",
        "conv.algorithm=winograd4,conv.tile=16x16,conv.winograd3d=slices", "conv.algorithm=winograd4,conv.tile=16x6,conv.winograd3d=slices",
        "conv.algorithm=winograd4,conv.tile=16x16,conv.winograd3d=cube", "conv.algorithm=winograd",
        "conv.algorithm=igemm,conv.igemm=16x16x8/4x4", "conv.algorithm=igemm,conv.igemm=16x16x8/4x4v4",
    ]

    /// (label, input, weight, strides, paddings); every case has a bias.
    static let shapes: [(String, [Int], [Int], [Int], [Int])] = [
        ("2-D 5->19 k3 p1 9x13", [1, 5, 9, 13], [19, 5, 3, 3], [1, 1], [1, 1]),
        ("2-D 12->21 k1 batch 2 7x9", [2, 12, 7, 9], [21, 12, 1, 1], [1, 1], [0, 0]),
        ("2-D 4->11 k3 s2 p1 11x10", [1, 4, 11, 10], [11, 4, 3, 3], [2, 2], [1, 1]),
        ("2-D 3->9 k7 p3 9x10", [1, 3, 9, 10], [9, 3, 7, 7], [1, 1], [3, 3]),
        ("2-D 2->5 k(3,5) s(1,3) p(0,2) (conv_any_tile)", [1, 2, 5, 11], [5, 2, 3, 5], [1, 3], [0, 2]),
        ("3-D 3->17 k3 p1 3x5x9", [1, 3, 3, 5, 9], [17, 3, 3, 3, 3], [1, 1, 1], [1, 1, 1]),
    ]

    static let activations: [(Activation, Float)] = [(.relu, 0), (.leakyReLU, 0.2), (.sigmoid, 0), (.tanh, 0), (.gelu, 0)]

    @Test("every fused convolution path and activation equals activation(conv(x)) on the CPU")
    func fusedEpiloguesMatchTheCPU() throws {
        guard let engine = Self.engine else { return }
        let table = engine.variants
        defer { engine.variants = table }
        let cpu = TestEngines.cpu
        for (index, (label, inputShape, weightShape, strides, paddings)) in Self.shapes.enumerated() {
            let seed = UInt64(300 + index)
            let bound = 1 / Float(weightShape.dropFirst().reduce(1, *)).squareRoot()
            let x = Tensor.random(inputShape, seed: seed), w = Tensor.random(weightShape, seed: seed + 1, range: -bound...bound)
            let b = Tensor.random([weightShape[0]], seed: seed + 2, range: -0.5...0.5)
            func convolve(_ e: Engine, _ activation: Activation?, _ slope: Float) throws -> Tensor {
                inputShape.count == 4
                    ? try e.conv2d(x, weight: w, bias: b, strides: strides, paddings: paddings, activation: activation, negativeSlope: slope)
                    : try e.conv3d(x, weight: w, bias: b, strides: strides, paddings: paddings, activation: activation, negativeSlope: slope)
            }
            let plain = try convolve(cpu, nil, 0)
            for (kind, slope) in Self.activations {
                let expected = try cpu.values(try cpu.activation(plain, kind, negativeSlope: slope))
                #expect(try cpu.values(try convolve(cpu, kind, slope)) == expected, "CPU \(kind) on \(label): the fused call differs")
                for path in Self.paths {
                    engine.variants = try table.overridden(by: path)
                    let comparison = Comparison(actual: try engine.values(try convolve(engine, kind, slope)), reference: expected, tolerance: .reduction)
                    #expect(comparison.passed, "\(kind) with \(path) on \(label): \(comparison)")
                }
            }
        }
    }
}
