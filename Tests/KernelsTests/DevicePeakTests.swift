import Kernels
import Runtime
import Testing

/// The measured peak that `portrait profile` divides by: positive and finite on OpenCL, absent
/// on the CPU engine.
@Suite(.serialized)
struct DevicePeakTests {
    @Test func peakIsMeasuredOnOpenCLOnly() throws {
        #expect(try TestEngines.cpu.measuredPeakGFLOPS() == nil)
        guard let gpu = TestEngines.opencl else {
            if TestEngines.openclRequired { Issue.record("no OpenCL device") }
            return
        }
        let peak = try #require(try gpu.measuredPeakGFLOPS())
        #expect(peak.isFinite && peak > 0.1, "peak \(peak) GFLOP/s")
    }
}
