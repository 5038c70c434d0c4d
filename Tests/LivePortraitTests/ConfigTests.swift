import Foundation
import LivePortrait
import Testing

/// Presets, the converter's JSON, and the validation messages.
struct LivePortraitConfigTests {
    @Test("the embedded tiny preset equals the fixture's tiny.json; released has the released sizes")
    func presets() throws {
        let tiny = try LivePortraitConfig.tiny
        #expect(try LivePortraitConfig.load(LPTestSupport.configPath) == tiny)
        #expect(tiny.imageSize == 64 && tiny.outputSize == 128 && tiny.numKeypoints == 4)
        let released = try LivePortraitConfig.load("liveportrait")
        #expect(released.imageSize == 256 && released.outputSize == 512 && released.numKeypoints == 21)
        #expect(released.featureVolumeShape == [1, 32, 16, 64, 64])
        #expect(released.warpChannels == 256)
        // The JSON written back decodes to the same config.
        #expect(try LivePortraitConfig.decode(Data(tiny.jsonString().utf8)) == tiny)
    }

    @Test("unknown names, missing fields and broken rules are typed errors that say what to do")
    func errors() throws {
        #expect(throws: LivePortraitError.unknownConfig("nope", presets: LivePortraitConfig.presetNames)) {
            _ = try LivePortraitConfig.load("nope")
        }
        var json = try LivePortraitConfig.tiny.jsonString()
        json = json.replacingOccurrences(of: "\"num_kp\" : 4", with: "\"num_kp\" : 5")
        do {
            _ = try LivePortraitConfig.decode(Data(json.utf8), source: "edited")
            Issue.record("a config with inconsistent MLP sizes decoded")
        } catch let LivePortraitError.invalidConfig(source, reason) {
            #expect(source == "edited")
            #expect(reason.contains("stitching: 24 → 14 features, but 5 keypoints need 30 → 17"), "\(reason)")
        }
        do {
            let partial = json.replacingOccurrences(of: "\"num_bins\" : 66,", with: "")
            _ = try LivePortraitConfig.decode(Data(partial.utf8))
            Issue.record("an incomplete config decoded")
        } catch let LivePortraitError.invalidConfig(_, reason) {
            #expect(reason.contains("missing field 'motion.num_bins'"), "\(reason)")
        }
    }
}
