import Foundation
import NetworkCore
import Runtime

/// The MegaPortraits side of `Weights`: its parameter list comes from a `ModelConfig`.
extension Weights {
    /// Every parameter `config` needs, with its shape, in declaration order.
    public static func expected(config: ModelConfig) -> [ParameterSpec] {
        NetworkLayout(config).specs
    }

    /// Loads `path` and checks it against `config` (see `load(path:specs:configName:fileConfigName:)`).
    public static func load(path: String, config: ModelConfig) throws -> Weights {
        try load(path: path, specs: expected(config: config), configName: config.name) { metadata in
            metadata["config"].flatMap { try? ModelConfig.decode(Data($0.utf8)) }?.name
        }
    }

    /// Checks the tensors against `config`; throws one `WeightsError.mismatch` listing every problem.
    public func validate(against config: ModelConfig) throws {
        try validate(against: Self.expected(config: config), configName: config.name)
    }

    /// Writes the weights with `config` recorded in the metadata, atomically.
    public func save(to path: String, config: ModelConfig) throws {
        try save(to: path, configJSON: try config.jsonString())
    }

    /// Deterministic random weights for `config` from `seed`, drawn as `reference/model/init.py`
    /// does in spirit (fan-in scaled uniform convs, GN scales near 1, small AdaGN projections,
    /// warp heads ×0.1, a near-identity pose head).
    public static func random(config: ModelConfig, seed: UInt64) -> Weights {
        random(specs: expected(config: config), seed: seed, configName: config.name)
    }
}
