import Kernels
import Runtime
import Testing

/// The CPU fallback's Winograd F(4×4, 3×3) on 3-D convolutions (each depth tap one GEMM over the
/// output slices it reaches) against its im2col + GEMM path, on odd shapes: depth padding wider
/// than the kernel's reach (no tap covers every output slice, so M starts from zero), depth 1,
/// deep kernels, batch 2 and a volume large enough for two tile-row chunks.
@Suite(.serialized)
struct CPUWinogradConv3dTests {
    struct Case: CustomStringConvertible, Sendable {
        let label: String
        let input: [Int], weight: [Int], padding: [Int]
        let bias: Bool
        var description: String { label }
    }

    static let cases: [Case] = [
        Case(label: "batch 2, 3->5 k3 p1 5x7x9", input: [2, 3, 5, 7, 9], weight: [5, 3, 3, 3, 3], padding: [1, 1, 1], bias: true),
        Case(label: "depth padding 2 > reach, 2->6 k3 3x5x7", input: [1, 2, 3, 5, 7], weight: [6, 2, 3, 3, 3], padding: [2, 1, 1], bias: true),
        Case(label: "depth 1, 4->3 k3 p1 1x6x6", input: [1, 4, 1, 6, 6], weight: [3, 4, 3, 3, 3], padding: [1, 1, 1], bias: false),
        Case(label: "k(5,3,3) p(2,1,1) 3->4 6x9x10", input: [1, 3, 6, 9, 10], weight: [4, 3, 5, 3, 3], padding: [2, 1, 1], bias: true),
        Case(label: "k(1,3,3) depth padding 1 (bias-only edge slices) 2->3 2x5x6", input: [1, 2, 2, 5, 6], weight: [3, 2, 1, 3, 3],
             padding: [1, 1, 1], bias: true),
        Case(label: "p0 3->7 k3 4x6x11", input: [1, 3, 4, 6, 11], weight: [7, 3, 3, 3, 3], padding: [0, 0, 0], bias: false),
        Case(label: "two tile-row chunks, 32->5 k3 p1 24x32x336", input: [1, 32, 24, 32, 336], weight: [5, 32, 3, 3, 3],
             padding: [1, 1, 1], bias: true),
    ]

    @Test("CPU Winograd 3-D equals im2col + GEMM within the conv tolerance", arguments: cases)
    func matchesIm2col(_ c: Case) throws {
        let engine = Engine.cpu()
        let x = Tensor.random(c.input, seed: 21, range: -1...1)
        let bound = 1 / Float(c.weight.dropFirst().reduce(1, *)).squareRoot()
        let w = Tensor.random(c.weight, seed: 22, range: -bound...bound)
        let b = c.bias ? Tensor.random([c.weight[0]], seed: 23, range: -0.5...0.5) : nil
        func run(_ algorithm: ConvolutionAlgorithm) throws -> Tensor {
            engine.variants.convolutionAlgorithm = algorithm
            return try engine.conv3d(x, weight: w, bias: b, strides: [1, 1, 1], paddings: c.padding)
        }
        let reference = try run(.direct), winograd = try run(.winograd4)
        #expect(winograd.shape == reference.shape)
        let (actual, expected) = (try engine.values(winograd), try engine.values(reference))
        let cmp = Comparison(actual: actual, reference: expected, tolerance: .reduction)
        #expect(cmp.passed, "\(c.label): \(cmp)")
        // Winograd rounds differently from the direct sum: equal bits would mean it never ran.
        #expect(actual != expected, "\(c.label): the Winograd path was not taken")
    }
}
