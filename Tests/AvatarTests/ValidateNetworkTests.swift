import Avatar
import Kernels
import Runtime
import Testing

/// Validate mode over a whole network: every op of the tiny network's avatar and two frames runs
/// on OpenCL and again on the CPU fallback with the same inputs, and must agree op by op.
struct ValidateNetworkTests {
    @Test("validate mode passes every op of the tiny network (avatar and frames)")
    func tinyNetworkValidates() throws {
        guard let cl = TestSupport.opencl else {
            #expect(!TestSupport.openclRequired, "\(TestSupport.openclProblem)")
            return
        }
        let engine = Engine(backend: cl.backend, variants: cl.variants)
        engine.validation = Validation()
        let config = try ModelConfig.tiny
        _ = try ParityTests.run(engine, weights: Weights.random(config: config, seed: 11), source: TestSupport.image(size: 64, seed: 1),
                                mask: nil, driver: TestSupport.image(size: 64, seed: 2))
        #expect(engine.validatedOps > 100, "only \(engine.validatedOps) ops were validated")
    }
}
