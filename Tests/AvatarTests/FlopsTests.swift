import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// The analytic per-stage FLOP table against reference/model/flops.py (forward hooks on every conv
/// and linear of the PyTorch reference; numbers from running it on each preset) and against the
/// FLOPs of the convolutions the Swift network actually runs.
struct FlopsTests {
    /// flops.py counts by sub-network, per avatar and per frame (`python3 reference/...` hooks).
    static let pytorch: [String: [String: Double]] = [
        "tiny": [
            "avatar/pose": 1_094_784, "avatar/expression": 4_383_232, "avatar/identity": 23_658_496,
            "avatar/appearance": 19_759_104, "avatar/appearance.3d": 21_233_664, "avatar/embedding": 12_288,
            "avatar/warp.source": 14_278_656, "avatar/g3d": 118_538_240,
            "frame/pose": 1_094_784, "frame/expression": 4_383_232, "frame/embedding": 12_288,
            "frame/warp.driver": 14_278_656, "frame/projection": 524_288, "frame/g2d": 49_479_680,
        ],
        "megaportraits-512": [
            "avatar/pose": 1_184_375_808, "avatar/expression": 1_201_143_808, "avatar/identity": 10_810_818_560,
            "avatar/appearance": 372_152_205_312, "avatar/appearance.3d": 195_689_447_424, "avatar/embedding": 16_777_216,
            "avatar/warp.source": 61_643_685_888, "avatar/g3d": 2_535_104_446_464,
            "frame/pose": 1_184_375_808, "frame/expression": 1_201_143_808, "frame/embedding": 16_777_216,
            "frame/warp.driver": 61_643_685_888, "frame/projection": 6_442_450_944, "frame/g2d": 418_859_974_656,
        ],
        "emoportraits-512": [
            "avatar/pose": 1_184_375_808, "avatar/expression": 1_186_988_032, "avatar/identity": 10_810_818_560,
            "avatar/appearance": 1_132_998_950_912, "avatar/appearance.3d": 195_689_447_424, "avatar/embedding": 10_485_760,
            "avatar/warp.source": 61_643_685_888, "avatar/g3d": 2_535_104_446_464,
            "frame/pose": 1_184_375_808, "frame/expression": 1_186_988_032, "frame/embedding": 10_485_760,
            "frame/warp.driver": 61_643_685_888, "frame/projection": 6_442_450_944, "frame/g2d": 948_181_139_456,
        ],
    ]

    @Test("the analytic table equals flops.py for every preset", arguments: ModelConfig.presetNames)
    func matchesPyTorch(_ name: String) throws {
        let table = Network.flopTable(config: try ModelConfig.preset(name))
        let reference = try #require(Self.pytorch[name])
        for row in table where row.flops > 0 || reference[row.stage] != nil {
            #expect(row.flops == reference[row.stage], "\(name) \(row.stage): \(row.flops) vs flops.py \(reference[row.stage] ?? -1)")
        }
        #expect(Set(table.filter { $0.flops > 0 }.map(\.stage)) == Set(reference.keys))
    }

    @Test("megaportraits-512 totals: ≈3.2 TFLOP per avatar, ≈0.49 TFLOP per frame (spec §7)")
    func totals() throws {
        let config = try ModelConfig.megaPortraits512
        let avatar = Network.totalFlops(config: config, perFrame: false), frame = Network.totalFlops(config: config, perFrame: true)
        #expect(abs(avatar / 1e12 - 3.18) < 0.05, "per avatar \(avatar / 1e12) TFLOP")
        #expect(abs(frame / 1e12 - 0.49) < 0.01, "per frame \(frame / 1e12) TFLOP")
    }

    @Test("the table equals the FLOPs of the convolutions the network runs, stage by stage")
    func matchesExecution() throws {
        let config = try ModelConfig.tiny
        let network = try Network(config: config, weights: Weights.random(config: config, seed: 3), engine: TestSupport.cpu)
        let recorder = StageRecorder(only: [])
        let avatar = try network.makeAvatar(source: TestSupport.image(size: 64, seed: 5), recorder: recorder)
        _ = try network.renderFrame(avatar: avatar, driver: TestSupport.image(size: 64, seed: 6), recorder: recorder)
        for row in network.flopTable {
            #expect(recorder.countedFlops[row.stage, default: 0] == row.flops, "\(row.stage): ran \(recorder.countedFlops[row.stage, default: 0]), table \(row.flops)")
        }
        #expect(network.flops(stage: "frame/g2d") == 49_479_680)
        #expect(network.flops(stage: "no/such") == nil)
    }
}
