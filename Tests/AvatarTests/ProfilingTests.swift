import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// Stage labels for `portrait profile` and filtered recording.
struct ProfilingTests {
    @Test("every op runs inside a named stage; the stages are those of the FLOP table")
    func stagesLabelled() throws {
        let engine = Engine.cpu()  // its own engine: the profiler is per engine
        let config = try ModelConfig.tiny
        let network = try Network(config: config, weights: Weights.random(config: config, seed: 9), engine: engine)
        engine.profiler = Profiler()
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 1))
        _ = try network.renderFrame(avatar: avatar, driver: TestSupport.image(size: 64, seed: 2))
        let timings = engine.profiler?.drain() ?? []
        engine.profiler = nil
        let stages = Set(timings.map(\.stage))
        #expect(!timings.isEmpty)
        #expect(!stages.contains(""), "ops outside any stage: \(timings.filter { $0.stage.isEmpty }.map(\.name))")
        #expect(stages == Set(network.flopTable.map(\.stage)), "profiled \(stages.sorted())")
        // Conv FLOPs the profiler saw in G2D include the bias adds the table leaves out, so they are ≥ the table.
        let g2d = timings.filter { $0.stage == "frame/g2d" && $0.name == "conv2d" }.reduce(0) { $0 + $1.cost.flops }
        #expect(g2d >= network.flops(stage: "frame/g2d") ?? .infinity)
    }

    @Test("a filtered recorder keeps only the named stages")
    func filteredRecorder() throws {
        let config = try ModelConfig.tiny
        let network = try Network(config: config, weights: Weights.random(config: config, seed: 9), engine: TestSupport.cpu)
        var seen: [String] = []
        let recorder = StageRecorder(only: ["es", "image"]) { name, _ in seen.append(name) }
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 1), recorder: recorder)
        let image = try network.renderFrame(avatar: avatar, driver: TestSupport.image(size: 64, seed: 2), recorder: recorder)
        #expect(recorder.order == ["es", "image"] && seen == ["es", "image"])
        #expect(recorder["image"]?.hostValues == (try network.engine.values(image)))
        #expect(recorder["es"]?.shape == [1, 32, 2, 2])
    }
}
