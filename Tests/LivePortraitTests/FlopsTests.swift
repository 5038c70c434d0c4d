import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// The analytic FLOP table against the FLOPs the engine counts, and the released sizes against docs §5.
struct LivePortraitFlopsTests {
    @Test("the released table matches reference/liveportrait/flops.py (docs §5, GFLOP to 0.1)")
    func released() throws {
        let table = LivePortraitNetwork.flopTable(config: try LivePortraitConfig.released)
        func gflop(_ stage: String) -> Double { (table.first { $0.stage == stage }?.flops ?? 0) / 1e9 }
        #expect(abs(gflop("avatar/appearance") - 64.1) < 0.05)
        #expect(abs(gflop("frame/motion") - 11.6) < 0.05)
        #expect(abs(gflop("frame/warping") - 342.1) < 0.05)
        #expect(abs(gflop("frame/decoder") - 891.6) < 0.05)
        let perFrame = LivePortraitNetwork.totalFlops(config: try LivePortraitConfig.released, perFrame: true) / 1e9
        #expect(abs(perFrame - 1245) < 0.5, "\(perFrame)")
    }

    @Test("the FLOPs counted while running equal the table, stage by stage")
    func countedEqualsTable() throws {
        let fixture = try LPFixture()
        let network = try LPTestSupport.network()
        let recorder = StageRecorder(only: [])
        let source = try network.makeSource(image: fixture.source, recorder: recorder)
        let first = try network.motion(of: fixture.drivers[0], recorder: recorder)
        _ = try network.renderFrame(source: source, driverMotion: first, firstDriverMotion: first, recorder: recorder)
        for row in network.flopTable {
            let counted = recorder.countedFlops[row.stage] ?? 0
            #expect(abs(counted - row.flops) <= 1e-9 * row.flops, "\(row.stage): counted \(counted), table \(row.flops)")
        }
    }
}
