import Foundation
import NetworkCore

/// Every size that fixes the tensor shapes of one LivePortrait model: the JSON that
/// `reference/convert.py --liveportrait` writes next to the weights (snake_case keys, the same as
/// `reference/liveportrait/config.py`). Two presets are embedded: `liveportrait` (the released
/// human model) and `liveportrait-tiny` (64² in, the test fixtures' size).
public struct LivePortraitConfig: Codable, Sendable, Equatable {
    /// The appearance feature extractor F (image → 3-D feature volume).
    public struct Appearance: Codable, Sendable, Equatable {
        /// Stem width; each down block doubles it (capped at `maxFeatures`).
        public var blockExpansion: Int
        /// 2×2-pooled down blocks (the feature grid is image / 2^n).
        public var numDownBlocks: Int
        /// Width cap and the channels of the 1×1 projection (= reshapeChannel · reshapeDepth).
        public var maxFeatures: Int
        /// Channels C of the feature volume.
        public var reshapeChannel: Int
        /// Depth D of the feature volume.
        public var reshapeDepth: Int
        /// Pre-activation 3-D residual blocks.
        public var numResblocks: Int
    }

    /// The motion extractor M (ConvNeXtV2 backbone and its heads).
    public struct Motion: Codable, Sendable, Equatable {
        /// Blocks per stage (4 stages).
        public var depths: [Int]
        /// Width per stage (4 stages).
        public var dims: [Int]
        /// Implicit keypoints K.
        public var numKp: Int
        /// Head-pose bins per angle (66 at release: 3° each from −97.5°).
        public var numBins: Int
    }

    /// The dense-motion hourglass inside the warping module.
    public struct DenseMotion: Codable, Sendable, Equatable {
        /// Hourglass base width.
        public var blockExpansion: Int
        /// Hourglass width cap.
        public var maxFeatures: Int
        /// Hourglass down (and up) blocks.
        public var numBlocks: Int
        /// Channels of the compressed feature volume.
        public var compress: Int
    }

    /// The warping module W.
    public struct Warping: Codable, Sendable, Equatable {
        /// With `numDownBlocks`, the output width `blockExpansion · 2^numDownBlocks`.
        public var blockExpansion: Int
        /// See `blockExpansion`.
        public var numDownBlocks: Int
        /// The dense-motion network.
        public var dense: DenseMotion
    }

    /// The SPADE decoder G.
    public struct Decoder: Codable, Sendable, Equatable {
        /// With `maxFeatures` and `numDownBlocks`, the input width
        /// `min(maxFeatures, blockExpansion · 2^numDownBlocks)` (must equal the warp output).
        public var blockExpansion: Int
        /// See `blockExpansion`.
        public var maxFeatures: Int
        /// See `blockExpansion`.
        public var numDownBlocks: Int
        /// Hidden channels of every SPADE modulation network (128 at release).
        public var spadeHidden: Int
        /// Channels before the image convolution (64 at release).
        public var outChannels: Int
        /// SPADE residual blocks at the feature size (6 at release).
        public var numMiddleBlocks: Int
        /// 2: pixel-shuffle ×2 at the end (image = 2 × input size); 1: none.
        public var upscale: Int
    }

    /// One stitching / retargeting MLP: Linear+ReLU per hidden size, then a Linear.
    public struct MLP: Codable, Sendable, Equatable {
        /// Input features.
        public var inputSize: Int
        /// Hidden widths.
        public var hiddenSizes: [Int]
        /// Output features.
        public var outputSize: Int
    }

    /// Config name (`liveportrait`, `liveportrait-tiny`, ...), recorded in weights and source files.
    public var name: String
    /// Side of the square network input (256 at release); the output image is `upscale` × it.
    public var imageSize: Int
    /// Appearance feature extractor sizes.
    public var appearance: Appearance
    /// Motion extractor sizes.
    public var motion: Motion
    /// Warping module sizes.
    public var warping: Warping
    /// SPADE decoder sizes.
    public var decoder: Decoder
    /// Stitching MLP (x_s ‖ x_d → Δexp, Δtx, Δty).
    public var stitching: MLP
    /// Lip retargeting MLP.
    public var lip: MLP
    /// Eye retargeting MLP.
    public var eye: MLP
    /// The official neutral expression δ (`lip_array.pkl`, K × 3 values, keypoint-major): a driving
    /// *picture*'s expression is taken relative to it in relative mode. Written by
    /// `reference/convert.py --liveportrait --lip-array`; nil when the config has none.
    public var neutralExpression: [Double]? = nil

    // MARK: - Derived sizes

    /// Keypoints K.
    public var numKeypoints: Int { motion.numKp }
    /// Side of the 2-D/3-D feature grids (image / 2^appearance.numDownBlocks).
    public var featureSize: Int { imageSize >> appearance.numDownBlocks }
    /// Channels of the warping output (= the decoder input and its SPADE label map).
    public var warpChannels: Int { warping.blockExpansion << warping.numDownBlocks }
    /// Side of the output image.
    public var outputSize: Int { featureSize * 4 * decoder.upscale }
    /// Shape of the source feature volume f_s.
    public var featureVolumeShape: [Int] {
        [1, appearance.reshapeChannel, appearance.reshapeDepth, featureSize, featureSize]
    }
}

extension LivePortraitConfig {
    /// Names of the presets embedded in the binary.
    public static let presetNames = ["liveportrait", "liveportrait-tiny"]

    /// The released human model's sizes (256² in, 512² out, 21 keypoints).
    public static var released: LivePortraitConfig { get throws { try preset("liveportrait") } }
    /// The test fixtures' sizes (64² in, 128² out, 4 keypoints).
    public static var tiny: LivePortraitConfig { get throws { try preset("liveportrait-tiny") } }

    /// The embedded preset `name`.
    public static func preset(_ name: String) throws -> LivePortraitConfig {
        let bytes: [UInt8]
        switch name {
        case "liveportrait": bytes = PackageResources.liveportrait_json
        case "liveportrait-tiny": bytes = PackageResources.liveportrait_tiny_json
        default: throw LivePortraitError.unknownConfig(name, presets: presetNames)
        }
        return try decode(Data(bytes), source: name)
    }

    /// A preset by name, or a config JSON file at `nameOrPath` (as the converter writes it).
    public static func load(_ nameOrPath: String) throws -> LivePortraitConfig {
        if presetNames.contains(nameOrPath) { return try preset(nameOrPath) }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw LivePortraitError.unknownConfig(nameOrPath, presets: presetNames)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: nameOrPath)) } catch {
            throw LivePortraitError.invalidConfig(source: nameOrPath, reason: "unreadable (\(error.localizedDescription))")
        }
        return try decode(data, source: nameOrPath)
    }

    /// Decodes and validates config JSON bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "config") throws -> LivePortraitConfig {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let config: LivePortraitConfig
        do { config = try decoder.decode(LivePortraitConfig.self, from: data) } catch let error as DecodingError {
            throw LivePortraitError.invalidConfig(source: source, reason: error.explanation(keyName: snakeCase))
        } catch {
            throw LivePortraitError.invalidConfig(source: source, reason: "not valid JSON (\(error))")
        }
        try config.validate(source: source)
        return config
    }

    /// `numKp` → `num_kp` (the file's spelling, for error messages).
    private static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
    }

    /// The config as pretty-printed JSON with the converter's snake_case keys (sorted).
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
