import Foundation
import Kernels
import NetworkCore
import Runtime

/// The per-avatar state the per-frame path needs, computed once by `Network.makeAvatar`: the
/// canonical volume v_c, the identity descriptor e_s, and the source's own head pose and
/// expression (for free-view rendering). Tensors may be host or resident on one engine.
public struct Avatar: @unchecked Sendable {
    /// The avatar file format tag.
    public static let formatTag = "portraitcl-avatar-1"

    /// The config of the network that made it (rendering checks it matches).
    public let config: ModelConfig
    /// e_s `[1, Ce, s, s]`.
    public let es: Tensor
    /// v_c `[1, C, D, H, W]`, the output of G3D.
    public let canonicalVolume: Tensor
    /// The source image's head pose (the pose network's 9 outputs).
    public let sourcePose: HeadPose
    /// The source's expression latent z_s `[1, Z]`.
    public let sourceExpression: Tensor
    /// `Weights.fingerprint` of the weights that made it (nil for avatars from older files);
    /// a network with other weights refuses it.
    public var weightsFingerprint: String?

    /// An avatar from its parts (shapes are checked against `config`).
    public init(config: ModelConfig, es: Tensor, canonicalVolume: Tensor, sourcePose: HeadPose, sourceExpression: Tensor) {
        self.config = config
        self.es = es
        self.canonicalVolume = canonicalVolume
        self.sourcePose = sourcePose
        self.sourceExpression = sourceExpression
    }

    /// Expected tensor shapes for `config`.
    static func shapes(_ c: ModelConfig) -> [String: [Int]] {
        ["es": [1, c.embedChannels, c.embedSize, c.embedSize],
         "volume.canonical": [1, c.volumeChannels, c.volumeDepth, c.volumeSize, c.volumeSize],
         "source.pose": [1, 9],
         "source.z": [1, c.zChannels]]
    }

    /// Writes the avatar (downloading with `engine` when resident) as a safetensors file with
    /// `es`, `volume.canonical`, `source.pose`, `source.z` and metadata `format`, `config` (name)
    /// and `config_json`, atomically. A render can then skip the per-avatar stages.
    public func save(to path: String, engine: Engine) throws {
        let tensors: [String: Tensor] = [
            "es": try engine.host(es),
            "volume.canonical": try engine.host(canonicalVolume),
            "source.pose": Tensor(shape: [1, 9], values: sourcePose.parameters),
            "source.z": try engine.host(sourceExpression),
        ]
        var metadata = ["format": Self.formatTag, "config": config.name, "config_json": try config.jsonString()]
        if let weightsFingerprint { metadata["weights_fingerprint"] = weightsFingerprint }
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: path)
    }

    /// Reads an avatar file written by `save` (host tensors). With `config`, checks the avatar was
    /// made with a compatible configuration (`AvatarError.incompatibleAvatar` lists the differences);
    /// without, uses the config recorded in the file.
    public static func load(path: String, config expected: ModelConfig? = nil) throws -> Avatar {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: path) } catch let e as SafeTensorsError {
            throw AvatarError.avatarFile(path: path, reason: e.description)
        }
        return try load(file, config: expected)
    }

    /// Reads avatar-file bytes already in memory, as `load(path:config:)` does; `path` only names
    /// them in errors.
    public static func load(data: Data, path: String, config expected: ModelConfig? = nil) throws -> Avatar {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(data: data, path: path) } catch let e as SafeTensorsError {
            throw AvatarError.avatarFile(path: path, reason: e.description)
        }
        return try load(file, config: expected)
    }

    private static func load(_ file: SafeTensorsFile, config expected: ModelConfig?) throws -> Avatar {
        let path = file.path
        guard let format = file.metadata["format"] else {
            throw AvatarError.avatarFile(path: path, reason: "no 'format' metadata (is this a weights or fixture file?)")
        }
        guard format == formatTag else {
            throw AvatarError.avatarFile(path: path, reason: "format '\(format)', this build reads '\(formatTag)'")
        }
        guard let json = file.metadata["config_json"], let config = try? ModelConfig.decode(Data(json.utf8)) else {
            throw AvatarError.avatarFile(path: path, reason: "missing or invalid 'config_json' metadata")
        }
        if let expected {
            let differences = config.differences(from: expected)
            guard differences.isEmpty else {
                throw AvatarError.incompatibleAvatar(avatarConfig: config.name, networkConfig: expected.name, differences: differences)
            }
        }
        var tensors: [String: Tensor] = [:]
        for (name, shape) in shapes(config) {
            guard let entry = file.entries[name] else { throw AvatarError.avatarFile(path: path, reason: "no tensor '\(name)'") }
            guard entry.shape == shape else {
                throw AvatarError.avatarFile(path: path, reason: "tensor '\(name)' has shape \(entry.shape), config '\(config.name)' needs \(shape)")
            }
            do { tensors[name] = try file.tensor(name) } catch { throw AvatarError.avatarFile(path: path, reason: "\(error)") }
            guard tensors[name]?.hostValues?.allSatisfy({ $0.isFinite }) == true else {
                throw AvatarError.avatarFile(path: path, reason: "tensor '\(name)' contains NaN or infinite values")
            }
        }
        guard let es = tensors["es"], let volume = tensors["volume.canonical"], let pose = tensors["source.pose"],
              let z = tensors["source.z"], let poseValues = pose.hostValues else {
            throw AvatarError.avatarFile(path: path, reason: "incomplete avatar")
        }
        var avatar = Avatar(config: config, es: es, canonicalVolume: volume, sourcePose: try HeadPose(parameters: poseValues), sourceExpression: z)
        avatar.weightsFingerprint = file.metadata["weights_fingerprint"]
        return avatar
    }
}

extension ModelConfig {
    /// Fields that differ from `other`, as `field: this vs other` lines (name and description
    /// ignored): empty when an avatar made with one can be rendered with the other.
    public func differences(from other: ModelConfig) -> [String] {
        var a = self, b = other
        a.name = ""; b.name = ""
        a.description = nil; b.description = nil
        guard a != b else { return [] }
        let mirrorA = Mirror(reflecting: a), mirrorB = Mirror(reflecting: b)
        var out: [String] = []
        for (ca, cb) in zip(mirrorA.children, mirrorB.children) {
            let (va, vb) = ("\(ca.value)", "\(cb.value)")
            if va != vb, let label = ca.label { out.append("\(label): \(va) vs \(vb)") }
        }
        return out.isEmpty ? ["configurations differ"] : out
    }
}
