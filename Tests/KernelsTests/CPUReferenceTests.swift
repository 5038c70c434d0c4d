import Kernels
import Runtime
import Testing

/// The CPU side of every OpenCL check is independent of the Winograd arithmetic some OpenCL
/// kernels use: the parity reference (`Engine.cpuReference`, `TestEngines.cpu`) runs direct
/// convolutions; the CPU fallback (`Engine.cpu`) keeps Winograd as its fast path and is checked
/// here against that direct reference, case by case.
@Suite(.serialized)
struct CPUReferenceTests {
    /// The catalog's convolution cases small enough to run twice on the CPU quickly.
    static let convolutionCases: [OpCaseID] = OpCatalog.all.filter { ["conv2d", "conv3d"].contains($0.name) }.flatMap { op in
        op.cases.filter { $0.elementCount <= 1 << 18 }
            .map { OpCaseID(op: op, testCase: $0) }
    }

    @Test("the parity reference runs direct convolutions, the CPU fallback Winograd")
    func referenceIsDirect() throws {
        #expect(TestEngines.cpu.variants.convolutionAlgorithm == .direct)
        #expect(TestEngines.cpuFallback.variants.convolutionAlgorithm == .winograd4)
        let x = Tensor.random([1, 6, 9, 13], seed: 3, range: -1...1)
        let w = Tensor.random([5, 6, 3, 3], seed: 4, range: -0.2...0.2)
        let reference = try TestEngines.cpu.values(try TestEngines.cpu.conv2d(x, weight: w, bias: nil, stride: 1, padding: 1))
        let fallback = try TestEngines.cpuFallback.values(try TestEngines.cpuFallback.conv2d(x, weight: w, bias: nil, stride: 1, padding: 1))
        // One tap of one output, summed by hand: the reference is the convolution itself.
        let xv = x.hostValues!, wv = w.hostValues!
        var direct: Float = 0
        for c in 0..<6 { for ky in 0..<3 { for kx in 0..<3 { direct += xv[(c * 9 + 4 + ky - 1) * 13 + 6 + kx - 1] * wv[(c * 3 + ky) * 3 + kx] } } }
        #expect(abs(reference[4 * 13 + 6] - direct) < 1e-5)
        // Winograd rounds otherwise: identical bits would mean both sides ran the same arithmetic.
        #expect(reference != fallback, "the CPU fallback did not take Winograd, or the reference did")
    }

    @Test("the CPU fallback's Winograd equals the direct reference", arguments: convolutionCases)
    func fallbackMatchesReference(_ id: OpCaseID) throws {
        let args = id.testCase.arguments(seed: 42)
        let expected = try TestEngines.cpu.values(try id.op.call(TestEngines.cpu, args))
        let actual = try TestEngines.cpuFallback.values(try id.op.call(TestEngines.cpuFallback, args))
        let result = Comparison(actual: actual, reference: expected, tolerance: id.op.tolerance)
        #expect(result.passed, "\(id): \(result)")
    }
}
