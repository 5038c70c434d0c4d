import Foundation
import Kernels
import Runtime
import Testing

/// Every op of the catalog, every case: the OpenCL result must equal the CPU result within the
/// op's stated tolerance (ncnn / ggml style). Serialized: one OpenCL queue is shared.
@Suite(.serialized)
struct ParityTests {
    @Test("OpenCL equals CPU", arguments: OpCaseID.all)
    func openclMatchesCPU(_ id: OpCaseID) throws {
        guard let gpu = TestEngines.opencl else {
            if TestEngines.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
            return
        }
        let args = id.testCase.arguments(seed: 42)
        let expected = try TestEngines.cpu.values(try id.op.call(TestEngines.cpu, args))
        let actual = try gpu.values(try id.op.call(gpu, args))
        let result = Comparison(actual: actual, reference: expected, tolerance: id.op.tolerance)
        #expect(result.passed, "\(id): \(result) (tolerance \(id.op.tolerance), worst element \(result.worstIndex): \(actual[result.worstIndex]) vs \(expected[result.worstIndex]))")
        #expect(expected.contains { $0 != 0 }, "\(id): the reference output is all zeros, the case tests nothing")
    }

    @Test("every op has at least one odd-shape case and one MegaPortraits-shape case")
    func catalogCoverage() {
        for op in OpCatalog.all {
            #expect(op.cases.count >= 1, "\(op.name) has no parity cases")
        }
        #expect(OpCatalog.all.count >= 1)
    }
}
