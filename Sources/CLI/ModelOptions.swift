import ArgumentParser
import Avatar
import Foundation
import Kernels
import LivePortrait
import Runtime

/// The network families the CLI runs.
enum ModelFamily: String, CaseIterable, ExpressibleByArgument {
    /// MegaPortraits' base network (and EMOPortraits', which shares it).
    case megaportraits
    /// LivePortrait (KwaiVGI): the released human model.
    case liveportrait

    /// The family a config name or file implies: the LivePortrait presets are named
    /// `liveportrait…`, and a LivePortrait JSON (`reference/convert.py --liveportrait` writes
    /// one) has a `stitching` section or a `liveportrait…` name.
    static func implied(byConfig config: String) -> ModelFamily {
        if (config as NSString).lastPathComponent.lowercased().hasPrefix("liveportrait") { return .liveportrait }
        guard let data = FileManager.default.contents(atPath: config),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return .megaportraits }
        let name = (json["name"] as? String)?.lowercased() ?? ""
        return json["stitching"] != nil || name.hasPrefix("liveportrait") ? .liveportrait : .megaportraits
    }

    /// The default config of the family.
    var defaultConfig: String { self == .liveportrait ? "liveportrait" : "megaportraits-512" }
}

/// `--model`, `--config`, `--weights`, `--random-weights`: which network to run.
struct ModelOptions: ParsableArguments {
    @Option(help: "Network: megaportraits or liveportrait (default: implied by --config, else megaportraits).")
    var model: ModelFamily?

    @Option(name: .customLong("config"), help: "Model config: a preset (megaportraits-512, emoportraits-512, tiny, liveportrait, liveportrait-tiny) or a JSON file (default: the network's full-size preset).")
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

    /// Loads or generates the MegaPortraits weights (exactly one of --weights / --random-weights).
    func loadWeights(_ cfg: ModelConfig) throws -> Weights {
        try chooseWeights(load: { path in try FileFamily.explaining(path, for: .megaportraits) { try Weights.load(path: path, config: cfg) } },
                      random: { Weights.random(config: cfg, seed: $0) })
    }

    /// `load(path)` for --weights or `random(seed)` for --random-weights (exactly one of them).
    private func chooseWeights(load: (String) throws -> Weights, random: (UInt64) -> Weights) throws -> Weights {
        switch (weights, randomSeed) {
        case (let path?, nil):
            return try load(path)
        case (nil, let seed?):
            return random(seed)
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
        let given = livePortrait.given
        guard given.isEmpty else {
            throw ValidationError("\(given.joined(separator: ", ")) \(given.count == 1 ? "is a LivePortrait option" : "are LivePortrait options"); \(config) is a MegaPortraits config (use --model liveportrait or a liveportrait config)")
        }
        let cfg = try modelConfig()
        return try Network(config: cfg, weights: try loadWeights(cfg), engine: engine)
    }

    /// The chosen network on `engine`, whichever family it is.
    func makeModel(engine: Engine) throws -> any PortraitModel {
        switch family {
        case .megaportraits: return try makeNetwork(engine: engine)
        case .liveportrait:
            let options = try livePortrait.options()
            let cfg = try LivePortraitConfig.load(config)
            let weights = try chooseWeights(load: { path in try FileFamily.explaining(path, for: .liveportrait) { try Weights.load(path: path, config: cfg) } },
                                            random: { Weights.random(config: cfg, seed: $0) })
            return LivePortraitModel(network: try LivePortraitNetwork(config: cfg, weights: weights, engine: engine), options: options,
                                     measurer: try livePortrait.measurer(engine: engine))
        }
    }
}
