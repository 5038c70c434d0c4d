import Avatar
import Foundation
import Testing

/// Config presets, custom JSON files and validation errors.
struct ConfigTests {
    @Test("the three presets load, validate and round-trip through JSON", arguments: ModelConfig.presetNames)
    func presetsLoad(_ name: String) throws {
        let config = try ModelConfig.preset(name)
        #expect(config.name == name)
        #expect(config.format == ModelConfig.formatTag)
        let again = try ModelConfig.decode(config.jsonData())
        #expect(again == config)
    }

    @Test("preset fields match the JSON files")
    func presetValues() throws {
        let mp = try ModelConfig.megaPortraits512
        #expect(mp.imageSize == 512 && mp.volumeChannels == 96 && mp.volumeDepth == 16 && mp.volumeSize == 64)
        #expect(mp.projectionChannels == 1536)
        #expect(mp.g2dUpBlocks.map(\.cout) == [256, 128, 64])
        let emo = try ModelConfig.emoPortraits512
        #expect(emo.zChannels == 128 && emo.g2dBlocksPerResolution == 2)
        #expect(emo.g2dUpBlocks.map(\.cout) == [320, 320, 192, 192, 128, 128])
        #expect(emo.g2dUpBlocks.map(\.upsample) == [true, false, true, false, true, false])
        let tiny = try ModelConfig.tiny
        #expect(tiny.imageSize == 64 && tiny.normGroups == 4 && tiny.warpPreScale == [[2, 2, 2], [2, 2, 2], [1, 2, 2]])
    }

    @Test("a custom JSON file loads by path; an unknown name is a typed error")
    func customFile() throws {
        var config = try ModelConfig.tiny
        config.name = "custom-tiny"
        let path = TestSupport.temporaryPath("custom.json")
        try config.jsonData().write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ModelConfig.load(path) == config)
        #expect(throws: ConfigError.self) { try ModelConfig.load("no-such-preset") }
    }

    @Test("a missing field, a wrong type and a broken schedule are typed errors naming the problem")
    func invalidConfigs() throws {
        let json = try JSONSerialization.jsonObject(with: ModelConfig.tiny.jsonData()) as! [String: Any]
        func decode(_ edit: (inout [String: Any]) -> Void) -> ConfigError? {
            var j = json
            edit(&j)
            do {
                _ = try ModelConfig.decode(JSONSerialization.data(withJSONObject: j), source: "edited")
                return nil
            } catch let e as ConfigError { return e } catch { return nil }
        }
        let missing = decode { $0.removeValue(forKey: "volume_depth") }
        #expect(missing?.description.contains("volume_depth") == true)
        let wrongType = decode { $0["image_size"] = "big" }
        #expect(wrongType?.description.contains("image_size") == true)
        let schedule = decode { $0["volume_depth"] = 8 }
        #expect(schedule?.description.contains("warp schedule") == true)
        let groups = decode { $0["z_channels"] = 18 }
        #expect(groups?.description.contains("norm_groups") == true)
    }
}
