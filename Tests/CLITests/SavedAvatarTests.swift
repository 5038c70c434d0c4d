import Foundation
import Testing

/// Issue 18 item 7: a saved avatar knows its model. `render --avatar` runs the config recorded in
/// the file; a `--config` or weights that disagree are refused naming what differs; `--avatar`
/// with `--source` is an error; `avatar` refuses the per-frame options it would ignore.
@Suite(.serialized) struct SavedAvatarTests {
    @Test("render --avatar takes the avatar's config; another config, other weights, --source or frame options are refused")
    func avatarCarriesItsModel() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let avatar = dir.appendingPathComponent("me.avatar").path
        let made = try CLIRunner.run(["avatar", "--source", ModelJobsTests.source, "-o", avatar, "--device", "cpu"] + ModelJobsTests.tiny)
        #expect(made.status == 0, "\(made.stderr)")
        let out = dir.appendingPathComponent("f.png").path
        // No --config: the avatar's own (tiny), not the default megaportraits-512.
        let plain = try CLIRunner.run(["render", "--avatar", avatar, "--pose", "5,0,0", "--random-weights", "3", "-o", out, "--device", "cpu"])
        #expect(plain.status == 0 && plain.stderr.contains("portrait: tiny on"), "\(plain.stderr)")
        let config = try CLIRunner.run(["render", "--avatar", avatar, "--pose", "5,0,0", "--config", "megaportraits-512", "--random-weights", "3",
                                        "-o", out, "--device", "cpu"])
        #expect(config.status == 2 && config.stderr.contains("was made with config 'tiny'; --config megaportraits-512 differs in"), "\(config.stderr)")
        #expect(config.stderr.split(separator: "\n").count == 1, "\(config.stderr)")
        let weights = try CLIRunner.run(["render", "--avatar", avatar, "--pose", "5,0,0", "--random-weights", "4", "-o", out, "--device", "cpu"])
        #expect(weights.status == 2 && weights.stderr.contains("was made with other weights (fingerprint") && weights.stderr.contains("than --random-weights 4"),
                "\(weights.stderr)")
        let both = try CLIRunner.run(["render", "--avatar", avatar, "--source", ModelJobsTests.source, "--pose", "5,0,0", "-o", out, "--device", "cpu"]
                                     + ModelJobsTests.tiny)
        #expect(both.status == 2 && both.stderr.contains("not both") && both.stderr.split(separator: "\n").count == 1, "\(both.stderr)")
        let motion = try CLIRunner.run(["avatar", "--source", ModelJobsTests.source, "-o", dir.appendingPathComponent("lp.avatar").path, "--device", "cpu",
                                        "--region", "lip", "--no-stitching"] + LivePortraitCLITests.model)
        #expect(motion.status == 2 && motion.stderr.contains("--region, --no-stitching shape the rendered frames; `portrait avatar` renders none"),
                "\(motion.stderr)")
    }
}
