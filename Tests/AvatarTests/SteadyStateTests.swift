import Avatar
import Kernels
import Runtime
import Testing

/// A steady-state frame allocates no new device memory: every buffer comes from the pool the
/// previous frame returned to, and packed convolution weights are cached after the first frame
/// (measured: frame 2 still allocates 18 small buffers, frames 3+ none).
@Suite(.serialized)
struct SteadyStateTests {
    @Test func secondAndLaterFramesAllocateNothingNew() throws {
        // A private engine: other suites run in parallel on the shared one and would move its pool.
        guard let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all()) else {
            if TestSupport.openclRequired { Issue.record(Comment(rawValue: TestSupport.openclProblem)) }
            return
        }
        let engine = try Engine.opencl(device)
        let cl = try #require(engine.openCL)
        let config = try TestSupport.tiny()
        let network = try Network(config: config, weights: Weights.random(config: config, seed: 11), engine: engine)
        let avatar = try network.makeAvatar(source: TestSupport.image(size: config.imageSize, seed: 1))
        // Two warm-up frames: the first packs and caches the per-frame convolution weights, whose
        // buffers come out of the pool, so the second still tops the pool up once.
        for seed in 1...2 {
            _ = try engine.host(try network.renderFrame(avatar: avatar, driver: TestSupport.image(size: config.imageSize, seed: UInt64(seed))))
        }
        let before = cl.pool.allocations
        let bytesBefore = cl.pool.bytesAllocated
        for seed in 3..<6 {
            _ = try engine.host(try network.renderFrame(avatar: avatar, driver: TestSupport.image(size: config.imageSize, seed: UInt64(seed))))
        }
        #expect(cl.pool.allocations == before, "steady-state frames made \(cl.pool.allocations - before) new device allocations")
        #expect(cl.pool.bytesAllocated == bytesBefore)
    }
}
