import ArgumentParser
import Avatar
import Foundation
import Kernels
import Runtime

/// `--config`, `--weights`, `--random-weights`: which network to run.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model config: a preset (megaportraits-512, emoportraits-512, tiny) or a JSON file.")
    var config: String = "megaportraits-512"

    @Option(help: "Weights in safetensors (convert a checkpoint with reference/convert.py; see README).")
    var weights: String?

    @Option(name: .customLong("random-weights"), help: "Use seeded random weights instead of a checkpoint (untrained: for speed and CPU/GPU agreement, not faces).")
    var randomSeed: UInt64?

    /// The configuration.
    func modelConfig() throws -> ModelConfig { try ModelConfig.load(config) }

    /// Loads or generates the weights (exactly one of --weights / --random-weights).
    func loadWeights(_ cfg: ModelConfig) throws -> Weights {
        switch (weights, randomSeed) {
        case (let path?, nil):
            return try Weights.load(path: path, config: cfg)
        case (nil, let seed?):
            return Weights.random(config: cfg, seed: seed)
        case (.some, .some):
            throw ValidationError("give either --weights FILE or --random-weights SEED, not both")
        case (nil, nil):
            throw ValidationError("no weights: pass --weights FILE.safetensors (convert a checkpoint with reference/convert.py, see README) or --random-weights SEED for an untrained network")
        }
    }

    /// One line describing the weights, and a warning for random ones.
    var weightsDescription: String {
        if let weights { return "weights \(weights)" }
        return "random weights (seed \(randomSeed ?? 0)) — untrained: the output is not a face; use it to measure speed and CPU/GPU agreement"
    }

    /// The network on `engine`.
    func makeNetwork(engine: Engine) throws -> Network {
        let cfg = try modelConfig()
        return try Network(config: cfg, weights: try loadWeights(cfg), engine: engine)
    }
}
