import Foundation
import Kernels
import NetworkCore
import Runtime

/// MegaPortraits (and EMOPortraits' base network) as a `PortraitModel`: the avatar is its
/// per-source state and frames are independent of each other.
extension Network: PortraitModel {
    public var configName: String { config.name }
    public var configJSON: String { (try? config.jsonString()) ?? "{}" }
    public var inputSize: Int { config.imageSize }
    public var outputSize: Int { config.imageSize }
    public var acceptsSourceMask: Bool { true }
    public var imageStage: String { "image" }
    /// Weights with their repacked copy, the avatar and the working set (`DeviceMemoryEstimate`).
    public var deviceMemoryEstimate: Int? { DeviceMemoryEstimate(config: config).totalBytes }
    /// The official EMOPortraits inference resizes its float face crops with PyTorch's bicubic, clipped.
    public var officialResize: OfficialResize { .pytorchBicubic }

    public func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        try makeAvatar(source: image, mask: mask, recorder: recorder)
    }

    public func loadSource(path: String) throws -> any PortraitSource {
        try resident(try Avatar.load(path: path, config: config))
    }

    /// MegaPortraits drives with the driver's own pose and expression, so a still driver needs nothing else.
    public func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer {
        guard let avatar = source as? Avatar else { throw WrongSourceKind(expected: "MegaPortraits") }
        return MegaPortraitsClip(network: self, avatar: avatar)
    }
}

extension Avatar: PortraitSource {}

/// A MegaPortraits clip: every frame renders from the avatar alone.
public final class MegaPortraitsClip: ClipRenderer {
    /// The network that renders.
    public let network: Network
    /// The per-source state every frame reads.
    public let avatar: Avatar

    /// A clip of `avatar` on `network`.
    public init(network: Network, avatar: Avatar) {
        self.network = network
        self.avatar = avatar
    }

    public func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor {
        try network.renderFrame(avatar: avatar, driver: driver, recorder: recorder)
    }

    public func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor {
        try network.renderFrame(avatar: avatar, pose: pose, recorder: recorder)
    }
}

/// The MegaPortraits family's registry entry (`NetworkRegistry` lists it).
public enum MegaPortraitsFamily {
    /// MegaPortraits/EMOPortraits: its presets, file tags and network. It claims no config beyond
    /// its presets; the registry falls back to it for a config no family claims (the CLI's default).
    public static let entry = NetworkFamily(
        name: "megaportraits", displayName: "MegaPortraits", defaultConfig: "megaportraits-512",
        presetNames: ModelConfig.presetNames, officialFaceCrop: .emoPortraits, weightsFormatTag: Weights.formatTag, sourceFormatTag: Avatar.formatTag,
        claims: { _, _ in false },
        configJSON: { try ModelConfig.load($0).jsonString() },
        makeModel: { config, weights, engine in
            let cfg = try ModelConfig.load(config)
            return try Network(config: cfg, weights: try Weights.load(weights, config: cfg), engine: engine)
        },
        checkWeights: { config, path in
            let cfg = try ModelConfig.load(config)
            try Weights.load(path: path, config: cfg).validate(against: cfg)
            return cfg.name
        })
}
