import Foundation
import NetworkCore
import Runtime

/// The LivePortrait side of `Weights`: its parameter list comes from a `LivePortraitConfig`.
extension Weights {
    /// The format tag `reference/convert.py --liveportrait` writes into the weights' metadata.
    public static let livePortraitFormatTag = "portraitcl-liveportrait-1"

    /// Every parameter `config` needs, with its shape, in declaration order.
    public static func expected(config: LivePortraitConfig) -> [ParameterSpec] {
        LivePortraitLayout(config).specs
    }

    /// Loads the converted weights at `path` and checks them strictly against `config`: missing,
    /// unexpected and mis-shaped tensors and non-finite values, all in one `WeightsError.mismatch`.
    public static func load(path: String, config: LivePortraitConfig) throws -> Weights {
        try load(path: path, specs: expected(config: config), configName: config.name) { metadata in
            metadata["config"].flatMap { try? LivePortraitConfig.decode(Data($0.utf8)) }?.name
        }
    }

    /// Checks the tensors against `config`; throws one `WeightsError.mismatch` listing every problem.
    public func validate(against config: LivePortraitConfig) throws {
        try validate(against: Self.expected(config: config), configName: config.name)
    }

    /// Writes the weights with `config` recorded in the metadata (format `portraitcl-liveportrait-1`,
    /// as the converter does), atomically.
    public func save(to path: String, config: LivePortraitConfig) throws {
        let metadata = ["format": Self.livePortraitFormatTag, "config": try config.jsonString()]
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: path)
    }

    /// Deterministic random weights for `config` from `seed` (fan-in scaled convs and linears,
    /// LayerNorm scales near 1, small SPADE modulations and MLP outputs). Not PyTorch's stream.
    public static func random(config: LivePortraitConfig, seed: UInt64) -> Weights {
        random(specs: expected(config: config), seed: seed, configName: config.name)
    }
}
