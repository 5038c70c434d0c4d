import ArgumentParser
import Avatar
import Foundation
import Kernels
import LivePortrait
import PortraitKit
import Runtime

/// A network family the CLI runs: an entry of `NetworkRegistry` (PortraitKit), named on the
/// command line by its identifier (`--model megaportraits`). The CLI names no family beyond the
/// two whose own options it parses (LivePortrait's) and the default.
struct ModelFamily: RawRepresentable, Hashable, CaseIterable, ExpressibleByArgument, CustomStringConvertible {
    /// The registry entry.
    let entry: NetworkFamily

    /// MegaPortraits' base network (and EMOPortraits', which shares it).
    static let megaportraits = ModelFamily(entry: MegaPortraitsFamily.entry)
    /// LivePortrait (KwaiVGI): the released human model.
    static let liveportrait = ModelFamily(entry: LivePortraitFamily.entry)

    init(entry: NetworkFamily) { self.entry = entry }

    /// The registered family named `rawValue`; nil when none is.
    init?(rawValue: String) {
        guard let entry = NetworkRegistry.family(named: rawValue) else { return nil }
        self.entry = entry
    }

    /// The family's identifier (`--model` takes it).
    var rawValue: String { entry.name }
    var description: String { entry.name }
    static var allCases: [ModelFamily] { NetworkRegistry.families.map(ModelFamily.init(entry:)) }
    static func == (a: ModelFamily, b: ModelFamily) -> Bool { a.rawValue == b.rawValue }
    func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// The family a config name or file implies (`NetworkRegistry.family(forConfig:)`: the
    /// LivePortrait presets are named `liveportrait…`, and a LivePortrait JSON has a `stitching`
    /// section or a `liveportrait…` name; a config no family claims is MegaPortraits').
    static func implied(byConfig config: String) -> ModelFamily {
        ModelFamily(entry: NetworkRegistry.family(forConfig: config))
    }

    /// The default config of the family.
    var defaultConfig: String { entry.defaultConfig }

    /// The registered names as a list in prose: "megaportraits or liveportrait".
    static var namesInProse: String {
        let names = allCases.map(\.rawValue)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}

/// `--model`, `--config`, `--weights`, `--random-weights`: which network to run.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Network: \(ModelFamily.namesInProse) (default: implied by --config, else \(ModelFamily.megaportraits.rawValue))."))
    var model: ModelFamily?

    @Option(name: .customLong("config"), help: "Model config: a preset (megaportraits-512, emoportraits-512, tiny, liveportrait, liveportrait-tiny, fewshot, fewshot-tiny) or a JSON file (default: the network's full-size preset).")
    var configOption: String?

    /// The config name or file (the network's default preset when not given).
    var config: String { configOption ?? family.defaultConfig }

    /// The network family: `--model`, else what the config implies.
    var family: ModelFamily { model ?? configOption.map(ModelFamily.implied(byConfig:)) ?? .megaportraits }

    @Option(help: "Weights in safetensors (convert a checkpoint with reference/convert.py; see README).")
    var weights: String?

    @Option(name: .customLong("random-weights"), help: "Use seeded random weights instead of a checkpoint (untrained: for speed and CPU/GPU agreement, not faces).")
    var randomSeed: UInt64?

    @OptionGroup(title: "LivePortrait") var livePortrait: LivePortraitCLIOptions

    /// The configuration.
    func modelConfig() throws -> ModelConfig { try ModelConfig.load(config) }

    /// --weights FILE or --random-weights SEED (exactly one of them).
    func weightsChoice() throws -> WeightsChoice {
        switch (weights, randomSeed) {
        case (let path?, nil):
            return .file(path)
        case (nil, let seed?):
            return .random(seed: seed)
        case (.some, .some):
            throw ValidationError("give either --weights FILE or --random-weights SEED, not both")
        case (nil, nil):
            throw ValidationError("no weights: pass --weights FILE.safetensors (convert a checkpoint with reference/convert.py, see README) or --random-weights SEED for an untrained network")
        }
    }

    /// The weights as the user named them: the file, or `--random-weights SEED`.
    var weightsName: String { weights ?? "--random-weights \(randomSeed ?? 0)" }

    /// One line describing the weights, and a warning for random ones.
    var weightsDescription: String {
        if let weights { return "weights \(weights)" }
        return "random weights (seed \(randomSeed ?? 0)) — untrained: the output is not a face; use it to measure speed and CPU/GPU agreement"
    }

    /// The MegaPortraits network on `engine` (for the commands that only run it).
    func makeNetwork(engine: Engine) throws -> Network {
        guard family == .megaportraits else {
            throw ValidationError("this command runs MegaPortraits configs only; \(config) is a \(family.rawValue) config")
        }
        guard let network = try makeModel(engine: engine) as? Network else {
            throw ValidationError("\(config) did not make a MegaPortraits network")
        }
        return network
    }

    /// The chosen network on `engine`, whichever family it is (`NetworkRegistry`), with the
    /// LivePortrait options applied to a LivePortrait network; they are an error for any other.
    func makeModel(engine: Engine) throws -> any PortraitModel {
        let livePortraitOptions: LivePortraitOptions?
        if family == .liveportrait {
            livePortraitOptions = try livePortrait.options()
        } else {
            let given = livePortrait.given
            guard given.isEmpty else {
                throw ValidationError("\(given.joined(separator: ", ")) \(given.count == 1 ? "is a LivePortrait option" : "are LivePortrait options"); \(config) is a \(family.entry.displayName) config (use --model liveportrait or a liveportrait config)")
            }
            livePortraitOptions = nil
        }
        _ = try family.entry.configJSON(config)   // the config's own error first, as before the weights
        let choice = try weightsChoice()
        let model = try FileFamily.explaining(weights ?? "", for: family) { try family.entry.makeModel(config, choice, engine) }
        if let livePortraitOptions, let livePortraitModel = model as? LivePortraitModel {
            livePortraitModel.options = livePortraitOptions
            livePortraitModel.measurer = try livePortrait.measurer(engine: engine)
        }
        return model
    }
}
