import Foundation
import Kernels
import Runtime

/// What the per-frame path needs of a source portrait, computed once by
/// `LivePortraitNetwork.makeSource`: the appearance feature volume f_s and the source's motion
/// (x_s and its parts). The volume may be host or resident on one engine.
public struct LivePortraitSource: @unchecked Sendable {
    /// The source file format tag.
    public static let formatTag = "portraitcl-liveportrait-source-1"

    /// The config of the network that made it.
    public let config: LivePortraitConfig
    /// f_s `[1, C, D, H, W]`.
    public let featureVolume: Tensor
    /// The source image's motion (x_s = `motion.keypoints`).
    public let motion: LivePortraitMotion
    /// `Weights.fingerprint` of the weights that made it; a network with other weights refuses it.
    public let weightsFingerprint: String

    /// A source from its parts (checked when a network uses it).
    public init(config: LivePortraitConfig, featureVolume: Tensor, motion: LivePortraitMotion, weightsFingerprint: String) {
        self.config = config
        self.featureVolume = featureVolume
        self.motion = motion
        self.weightsFingerprint = weightsFingerprint
    }

    /// Writes the source (downloading f_s with `engine` when resident) as a safetensors file with
    /// the tensor `feature_3d` and metadata `format`, `config` (name), `config_json`,
    /// `weights_fingerprint` and `motion` (its Double values as JSON, exact); atomically.
    public func save(to path: String, engine: Engine) throws {
        let tensors: [String: Tensor] = ["feature_3d": try engine.host(featureVolume)]
        let motionJSON = String(decoding: try JSONEncoder().encode(motion), as: UTF8.self)
        let metadata = ["format": Self.formatTag, "config": config.name, "config_json": try config.jsonString(),
                        "weights_fingerprint": weightsFingerprint, "motion": motionJSON]
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: path)
    }

    /// Reads a source file written by `save` (host tensors), checking its format, shapes and
    /// values; `LivePortraitNetwork.resident(_:)` then checks config and weights.
    public static func load(path: String) throws -> LivePortraitSource {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: path) } catch let e as SafeTensorsError {
            throw LivePortraitError.sourceFile(path: path, reason: e.description)
        }
        func fail(_ reason: String) -> LivePortraitError { .sourceFile(path: path, reason: reason) }
        guard let format = file.metadata["format"] else { throw fail("no 'format' metadata (is this a weights or fixture file?)") }
        guard format == formatTag else { throw fail("format '\(format)', this build reads '\(formatTag)'") }
        guard let json = file.metadata["config_json"], let config = try? LivePortraitConfig.decode(Data(json.utf8)) else {
            throw fail("missing or invalid 'config_json' metadata")
        }
        guard let fingerprint = file.metadata["weights_fingerprint"] else { throw fail("no 'weights_fingerprint' metadata") }
        guard let motionJSON = file.metadata["motion"],
              let motion = try? JSONDecoder().decode(LivePortraitMotion.self, from: Data(motionJSON.utf8)),
              motion.keypointCount == config.numKeypoints, motion.isValid else {
            throw fail("missing or invalid 'motion' metadata (config '\(config.name)' needs \(config.numKeypoints) finite keypoints)")
        }
        let shape = config.featureVolumeShape
        guard let entry = file.entries["feature_3d"] else { throw fail("no tensor 'feature_3d'") }
        guard entry.shape == shape else { throw fail("tensor 'feature_3d' has shape \(entry.shape), config '\(config.name)' needs \(shape)") }
        let volume: Tensor
        do { volume = try file.tensor("feature_3d") } catch { throw fail("\(error)") }
        guard volume.hostValues?.allSatisfy({ $0.isFinite }) == true else { throw fail("tensor 'feature_3d' contains NaN or infinite values") }
        return LivePortraitSource(config: config, featureVolume: volume, motion: motion, weightsFingerprint: fingerprint)
    }
}
