import Foundation
import Kernels
import NetworkCore
import PortraitKit
import Testing

/// The registry finds each network family from a config, a name or a file's format tag, as the
/// CLI's own sniffing did.
struct RegistryTests {
    @Test("presets and names pick their family; a config no family claims is MegaPortraits'")
    func configsPickTheirFamily() throws {
        #expect(NetworkRegistry.families.map(\.name) == ["megaportraits", "liveportrait", "fewshot"])
        for preset in ["tiny", "megaportraits-512", "emoportraits-512"] {
            #expect(NetworkRegistry.family(forConfig: preset).name == "megaportraits")
        }
        for preset in ["liveportrait", "liveportrait-tiny", "/some/where/LivePortrait-custom.json"] {
            #expect(NetworkRegistry.family(forConfig: preset).name == "liveportrait")
        }
        #expect(NetworkRegistry.family(forConfig: "/no/such/config.json").name == "megaportraits")
        #expect(NetworkRegistry.family(named: "LivePortrait")?.displayName == "LivePortrait")
        #expect(NetworkRegistry.family(named: "FewShot")?.maxSourcePictures == 32)
        #expect(NetworkRegistry.family(named: "liveportrait")?.maxSourcePictures == 1)
        for preset in ["fewshot", "fewshot-tiny", "/some/where/fewshot-mine.json"] {
            #expect(NetworkRegistry.family(forConfig: preset).name == "fewshot")
        }
        #expect(NetworkRegistry.family(named: "nosuch") == nil)
    }

    @Test("a JSON config with a stitching section or a liveportrait name is LivePortrait's")
    func jsonContentPicksTheFamily() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stitching = folder.appendingPathComponent("mine.json"), named = folder.appendingPathComponent("other.json")
        let plain = folder.appendingPathComponent("plain.json")
        try Data(#"{"name": "custom", "stitching": {}}"#.utf8).write(to: stitching)
        try Data(#"{"name": "LivePortrait-small"}"#.utf8).write(to: named)
        try Data(#"{"name": "custom"}"#.utf8).write(to: plain)
        #expect(NetworkRegistry.family(forConfig: stitching.path).name == "liveportrait")
        #expect(NetworkRegistry.family(forConfig: named.path).name == "liveportrait")
        #expect(NetworkRegistry.family(forConfig: plain.path).name == "megaportraits")
    }

    @Test("format tags name the family and whether the file holds weights or a saved source")
    func formatTags() throws {
        for family in NetworkRegistry.families {
            #expect(NetworkRegistry.family(formatTag: family.weightsFormatTag)?.family.name == family.name)
            #expect(NetworkRegistry.family(formatTag: family.weightsFormatTag)?.isWeights == true)
            #expect(NetworkRegistry.family(formatTag: family.sourceFormatTag)?.isWeights == false)
        }
        #expect(NetworkRegistry.family(formatTag: "portraitcl-image-1") == nil)
    }

    @Test("each family builds its network from a preset, with the seam's vocabulary")
    func familiesBuildTheirNetworks() throws {
        for (config, family) in [("tiny", "megaportraits"), ("liveportrait-tiny", "liveportrait"), ("fewshot-tiny", "fewshot")] {
            let model = try NetworkRegistry.makeModel(config: config, weights: .random(seed: 1), engine: .cpu())
            #expect(model.configName == config)
            #expect(NetworkRegistry.family(forConfig: config).name == family)
            #expect(model.inputSize > 0 && model.outputSize > 0)
            #expect(model.totalFlops(perFrame: true) > 0 && model.totalFlops(perFrame: false) > 0)
            #expect(model.stageNames.contains { $0.hasPrefix("frame") })
            #expect(model.weightsFingerprint.count > 8)
        }
        let mega = try NetworkRegistry.makeModel(config: "tiny", weights: .random(seed: 1), engine: .cpu())
        #expect((mega.deviceMemoryEstimate ?? 0) > 0)
    }
}
