import Foundation
import Kernels
import Runtime

/// Where a network's weights come from.
public enum WeightsChoice: Sendable, Equatable {
    /// A safetensors file (converted by reference/convert.py).
    case file(String)
    /// Seeded random weights: untrained, for speed and device-agreement checks, not faces.
    case random(seed: UInt64)
}

/// One network family as a registry entry: its names, presets and file tags, which configs it
/// claims, and how to build its `PortraitModel`. Each network module declares one
/// (`MegaPortraitsFamily.entry`, `LivePortraitFamily.entry`); `NetworkRegistry` (PortraitKit)
/// lists them, so a front end never names a family itself.
public struct NetworkFamily: Sendable {
    /// The family's identifier, as `--model` takes it (`megaportraits`, `liveportrait`).
    public let name: String
    /// Its name in prose (`MegaPortraits`).
    public let displayName: String
    /// The config used when none is given.
    public let defaultConfig: String
    /// The configs embedded in the binary.
    public let presetNames: [String]
    /// How its official inference crops a face out of a larger picture.
    public let officialFaceCrop: OfficialFaceCrop
    /// The `format` metadata tag of its weights files.
    public let weightsFormatTag: String
    /// The `format` metadata tag of its saved per-source states.
    public let sourceFormatTag: String
    /// Whether a config belongs to this family: called with the config's file or preset name
    /// (lowercased last path component) and its JSON object when it is a readable JSON file.
    public let claims: @Sendable (_ name: String, _ json: [String: Any]?) -> Bool
    /// The config `nameOrPath` (a preset or a JSON file) as this family's canonical JSON; throws
    /// the family's own error when it is no config of this family.
    public let configJSON: @Sendable (_ nameOrPath: String) throws -> String
    /// Builds the network for the config `nameOrPath` with `weights` on `engine`; weights are
    /// checked strictly against the config.
    public let makeModel: @Sendable (_ config: String, _ weights: WeightsChoice, _ engine: Engine) throws -> any PortraitModel
    /// Reads the weights file `path` and checks it strictly against the config `nameOrPath`
    /// without building the network; returns the config's name.
    public let checkWeights: @Sendable (_ nameOrPath: String, _ path: String) throws -> String
    /// How many source pictures of one person its per-source state may combine (1: one-shot;
    /// `PortraitModel.maxSourcePictures` of its networks), known before any network is built.
    public let maxSourcePictures: Int

    /// An entry; see the properties.
    public init(name: String, displayName: String, defaultConfig: String, presetNames: [String], officialFaceCrop: OfficialFaceCrop,
                weightsFormatTag: String, sourceFormatTag: String,
                claims: @escaping @Sendable (_ name: String, _ json: [String: Any]?) -> Bool,
                configJSON: @escaping @Sendable (_ nameOrPath: String) throws -> String,
                makeModel: @escaping @Sendable (_ config: String, _ weights: WeightsChoice, _ engine: Engine) throws -> any PortraitModel,
                checkWeights: @escaping @Sendable (_ nameOrPath: String, _ path: String) throws -> String,
                maxSourcePictures: Int = 1) {
        self.name = name
        self.displayName = displayName
        self.defaultConfig = defaultConfig
        self.presetNames = presetNames
        self.officialFaceCrop = officialFaceCrop
        self.weightsFormatTag = weightsFormatTag
        self.sourceFormatTag = sourceFormatTag
        self.claims = claims
        self.configJSON = configJSON
        self.makeModel = makeModel
        self.checkWeights = checkWeights
        self.maxSourcePictures = maxSourcePictures
    }

    /// Whether the config `nameOrPath` belongs to this family (its preset names, or `claims`).
    public func owns(config nameOrPath: String) -> Bool {
        let name = (nameOrPath as NSString).lastPathComponent.lowercased()
        if presetNames.contains(name) { return true }
        let json = FileManager.default.contents(atPath: nameOrPath).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return claims(name, json)
    }
}

extension Weights {
    /// `choice`'s weights for `config`: the file, checked strictly against it, or seeded random ones.
    public static func load<C: NetworkConfiguration>(_ choice: WeightsChoice, config: C) throws -> Weights {
        switch choice {
        case .file(let path): return try load(path: path, config: config)
        case .random(let seed): return random(config: config, seed: seed)
        }
    }
}
