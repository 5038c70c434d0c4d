import Foundation
@testable import Kernels
import Runtime
import Testing

/// `Engine.reusingConvolutionInputs`: convolutions of one registered input share its Winograd
/// F(4×4, 3×3) input transform. The results must be bitwise those of separate calls, the input
/// transform must run once per (input, padding) instead of once per call, inputs the scope did not
/// register must still be transformed every time, and nothing may outlive the scope. A private
/// engine: the variant table and profiler must not leak.
@Suite(.serialized)
struct ConvolutionInputReuseTests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0, environment: [:]) }

    static func weight(_ shape: [Int], seed: UInt64) -> Tensor {
        let bound = 1 / Float(shape.dropFirst().reduce(1, *)).squareRoot()
        return Tensor.random(shape, seed: seed, range: -bound...bound)
    }

    @Test("convolutions of a registered input reuse one transform per padding, bitwise equal to separate calls")
    func reusedTransformsGiveTheSameResults() throws {
        guard let e = Self.engine else {
            #expect(!TestEngines.openclRequired, "no OpenCL device")
            return
        }
        let table = e.variants
        defer { e.variants = table; e.profiler = nil }
        e.variants = try table.overridden(by: "conv.algorithm=winograd4,conv.tile=16x16")
        let x = try e.resident(Tensor.random([1, 5, 9, 13], seed: 71))
        let other = try e.resident(Tensor.random([1, 5, 9, 13], seed: 72))
        let w1 = try e.resident(Self.weight([7, 5, 3, 3], seed: 73)), w2 = try e.resident(Self.weight([11, 5, 3, 3], seed: 74))
        let b1 = try e.resident(Tensor.random([7], seed: 75, range: -0.5...0.5))
        // (input, weight, bias, padding, activation): two paddings of x, and an input not registered.
        let calls: [(Tensor, Tensor, Tensor?, Int, Activation?)] = [
            (x, w1, b1, 1, .relu), (x, w2, nil, 1, nil), (x, w1, nil, 0, nil), (other, w2, nil, 1, nil),
            (x, w2, nil, 0, .leakyReLU), (other, w1, b1, 1, nil),
        ]
        func run() throws -> ([[Float]], Int) {
            let profiler = Profiler()
            e.profiler = profiler
            let outputs = try calls.map { input, w, b, p, activation in
                try e.conv2d(input, weight: w, bias: b, padding: p, activation: activation, negativeSlope: 0.2)
            }
            let values = try outputs.map { try e.values($0) }
            e.profiler = nil
            return (values, profiler.drain().filter { $0.name == "conv3x3_wino4_input" }.count)
        }
        let (separate, separateTransforms) = try run()
        let (shared, sharedTransforms) = try e.reusingConvolutionInputs([x]) { () throws -> ([[Float]], Int) in
            let result = try run()
            #expect(e.convolutionInputReuse.count == 2, "one transform of x per padding is held while the scope is open")
            return result
        }
        #expect(separateTransforms == calls.count)
        // x: one transform for padding 1, one for padding 0; `other` (not registered): both of its calls.
        #expect(sharedTransforms == 4)
        #expect(e.convolutionInputReuse.count == 0, "the scope's transforms are dropped when it closes")
        for (i, (a, b)) in zip(separate, shared).enumerated() {
            #expect(a == b, "call \(i): the reused transform changed the result")
        }
        // The results are right, not merely equal: against the CPU reference.
        for (i, (input, w, b, p, activation)) in calls.enumerated() {
            let cpu = TestEngines.cpu
            let expected = try cpu.values(try cpu.conv2d(try e.host(input), weight: try e.host(w), bias: try b.map { try e.host($0) },
                                                         padding: p, activation: activation, negativeSlope: 0.2))
            let comparison = Comparison(actual: shared[i], reference: expected, tolerance: .reduction)
            #expect(comparison.passed, "call \(i): \(comparison)")
        }
    }

    @Test("nested scopes keep the outer scope's transforms and drop only their own")
    func nestedScopes() throws {
        guard let e = Self.engine else { return }
        let table = e.variants
        defer { e.variants = table }
        e.variants = try table.overridden(by: "conv.algorithm=winograd4,conv.tile=16x16")
        let x = try e.resident(Tensor.random([1, 3, 8, 8], seed: 81)), h = try e.resident(Tensor.random([1, 3, 8, 8], seed: 82))
        let w = try e.resident(Self.weight([4, 3, 3, 3], seed: 83))
        try e.reusingConvolutionInputs([x]) {
            _ = try e.conv2d(x, weight: w, bias: nil, padding: 1)
            try e.reusingConvolutionInputs([h]) {
                _ = try e.conv2d(h, weight: w, bias: nil, padding: 1)
                _ = try e.conv2d(x, weight: w, bias: nil, padding: 1)
                #expect(e.convolutionInputReuse.count == 2)
            }
            #expect(e.convolutionInputReuse.count == 1, "the inner scope's transform of h is dropped, x's is kept")
        }
        #expect(e.convolutionInputReuse.count == 0)
    }
}
