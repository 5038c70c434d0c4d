import Foundation
import Media
import Testing

/// Issue 18 item 6: a shard plan is bound to what it plans. A render with another driver (same
/// size, rate and length, other pictures), another frame count, other crop options or another
/// network family is refused before any work, with a message naming what differs; the planned
/// render itself runs.
@Suite(.serialized) struct PlanBindingTests {
    /// A 96×96 clip of 6 frames at 25 fps whose pictures depend on `seed`.
    static func clip(_ name: String, in dir: URL, seed: Int) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let writer = try VideoWriter(path: path, width: 96, height: 96, frameRate: try FrameRate(25), options: .init(crf: 20))
        for f in 0..<6 {
            let pixels = (0..<(96 * 96 * 3)).map { i in Float((i * (seed + 3) + f * 11 + seed * 7) % 97) / 96 }
            try writer.write(try RGBImage(width: 96, height: 96, pixels: pixels))
        }
        try writer.finish()
        return path
    }

    @Test("a plan refuses another driver, --frames, crop options (framing, smoothing) or model family, naming each; the planned render runs")
    func planIsBoundToItsRender() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let planned = try Self.clip("a.mp4", in: dir, seed: 1), other = try Self.clip("b.mp4", in: dir, seed: 2)
        let plan = dir.appendingPathComponent("plan.json").path
        let p = try CLIRunner.run(["plan", "--driver", planned, "--crop", "none", "--keyframe-interval", "3", "-o", plan])
        #expect(p.status == 0, "\(p.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as? [String: Any]
        #expect((json?["driverDigest"] as? String)?.count == 16 && json?["model"] as? String == "megaportraits", "\(String(describing: json))")
        let source = ModelJobsTests.source
        let out = dir.appendingPathComponent("out.mp4").path
        func render(_ extra: [String], driver: String = planned) throws -> CLIRunner.Result {
            try CLIRunner.run(["render", "--source", source, "--driver", driver, "--plan", plan, "--crop", "none", "-o", out, "--device", "cpu"]
                              + ModelJobsTests.tiny + extra)
        }
        let cases: [([String], String, String)] = [
            ([], other, "driver content"),
            (["--frames", "4"], planned, "--frames 4, planned 6"),
            (["--crop", "auto"], planned, "crop options 'driver crop auto"),
            (["--crop-smoothing", "3"], planned, "smoothing 3"),   // (--face with --crop none is refused earlier: nothing to pick)
        ]
        for (extra, driver, phrase) in cases {
            let r = try render(extra, driver: driver)
            #expect(r.status == 2 && r.stderr.contains("was made for another render") && r.stderr.contains(phrase), "\(extra): \(r.stderr)")
            #expect(!r.stderr.contains("avatar built"), "refused before any work: \(r.stderr)")
        }
        let live = try CLIRunner.run(["render", "--source", source, "--driver", planned, "--plan", plan, "--crop", "none", "-o", out, "--device", "cpu"]
                                     + LivePortraitCLITests.model)
        #expect(live.status == 2 && live.stderr.contains("model family liveportrait, planned megaportraits"), "\(live.stderr)")
        let ok = try render(["--shard", "1/2"])
        #expect(ok.status == 0, "the planned render runs: \(ok.stderr)")
    }
}
