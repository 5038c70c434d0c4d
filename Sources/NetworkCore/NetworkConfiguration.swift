import Foundation
import Runtime

/// A network's configuration as the weights machinery needs it: a name, the parameter list it
/// implies, how it is written into and read back from a weights file's metadata, and the format
/// tag its weights files carry. `Weights.load(path:config:)` and the other config-typed
/// conveniences work for any conforming config (MegaPortraits' `ModelConfig`, `LivePortraitConfig`).
public protocol NetworkConfiguration: Sendable {
    /// The config's name (`megaportraits-512`, `liveportrait`, ...).
    var name: String { get }
    /// Every parameter the network built from this config declares, in declaration order.
    var parameterSpecs: [ParameterSpec] { get }
    /// The config as the JSON its presets and the converter write.
    func jsonString() throws -> String
    /// A config from that JSON; `source` names it in errors.
    static func decode(_ data: Data, source: String) throws -> Self
    /// The `format` tag of this network's weights files.
    static var weightsFormatTag: String { get }
}

extension Weights {
    /// Every parameter `config` needs, with its shape, in declaration order.
    public static func expected(config: some NetworkConfiguration) -> [ParameterSpec] {
        config.parameterSpecs
    }

    /// Loads `path` and checks it strictly against `config` (see
    /// `load(path:specs:configName:fileConfigName:)`); a config recorded in the file that differs
    /// is named in the error.
    public static func load<C: NetworkConfiguration>(path: String, config: C) throws -> Weights {
        try load(path: path, specs: config.parameterSpecs, configName: config.name) { metadata in
            metadata["config"].flatMap { try? C.decode(Data($0.utf8), source: "config") }?.name
        }
    }

    /// Checks the tensors against `config`; throws one `WeightsError.mismatch` listing every problem.
    public func validate(against config: some NetworkConfiguration) throws {
        try validate(against: config.parameterSpecs, configName: config.name)
    }

    /// Writes the weights with `config` and its network's format tag in the metadata, atomically.
    public func save<C: NetworkConfiguration>(to path: String, config: C) throws {
        try save(to: path, configJSON: try config.jsonString(), format: C.weightsFormatTag)
    }

    /// Deterministic random weights for `config` from `seed`, each parameter drawn by its
    /// `ParameterInit` (the network's own initialisation in spirit; not PyTorch's stream).
    public static func random(config: some NetworkConfiguration, seed: UInt64) -> Weights {
        random(specs: config.parameterSpecs, seed: seed, configName: config.name)
    }
}
