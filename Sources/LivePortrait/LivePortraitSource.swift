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
    /// `feature_3d` and `motion` (canonical, expression, translation, scale, pitch, yaw, roll as
    /// float64 values stored in float32 pairs — see `packedMotion`) and metadata `format`, `config`
    /// (name), `config_json`, `weights_fingerprint`; atomically.
    public func save(to path: String, engine: Engine) throws {
        let tensors: [String: Tensor] = ["feature_3d": try engine.host(featureVolume), "motion": Self.packedMotion(motion)]
        let metadata = ["format": Self.formatTag, "config": config.name, "config_json": try config.jsonString(),
                        "weights_fingerprint": weightsFingerprint]
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
        let k = config.numKeypoints
        let shapes = ["feature_3d": config.featureVolumeShape, "motion": [2 * (6 * k + 7)]]
        var tensors: [String: [Float]] = [:]
        for (name, shape) in shapes {
            guard let entry = file.entries[name] else { throw fail("no tensor '\(name)'") }
            guard entry.shape == shape else { throw fail("tensor '\(name)' has shape \(entry.shape), config '\(config.name)' needs \(shape)") }
            do { tensors[name] = try file.tensor(name).hostValues } catch { throw fail("\(error)") }
            guard tensors[name]?.allSatisfy({ $0.isFinite }) == true else { throw fail("tensor '\(name)' contains NaN or infinite values") }
        }
        guard let motion = LivePortraitMotion(packed: unpack(tensors["motion"]!), keypoints: k) else { throw fail("bad motion record") }
        return LivePortraitSource(config: config, featureVolume: Tensor(shape: config.featureVolumeShape, values: tensors["feature_3d"]!),
                                  motion: motion, weightsFingerprint: fingerprint)
    }

    /// The motion's Double values, each as a float32 pair (high = Float(v), low = Float(v − high))
    /// so that a round trip keeps ~48 bits (the writer stores float32 only).
    static func packedMotion(_ motion: LivePortraitMotion) -> Tensor {
        let values = motion.packed.flatMap { v -> [Float] in
            let high = Float(v)
            return [high, Float(v - Double(high))]
        }
        return Tensor(shape: [values.count], values: values)
    }

    private static func unpack(_ pairs: [Float]) -> [Double] {
        stride(from: 0, to: pairs.count, by: 2).map { Double(pairs[$0]) + Double(pairs[$0 + 1]) }
    }
}
