import Foundation
import NetworkCore

/// The network configuration: every hyper-parameter of the MegaPortraits graph, read from a flat
/// JSON object (`Sources/Avatar/Presets/*.json`, fields documented in docs/architecture.md).
/// It mirrors `reference/model/config.py` field for field; `validate()` applies the same checks.
public struct ModelConfig: Codable, Sendable, Equatable {
    /// The format tag every config carries.
    public static let formatTag = "portraitcl-config-1"

    /// Format tag, `portraitcl-config-1`.
    public var format: String
    /// Preset name (`tiny`, `megaportraits-512`, ...).
    public var name: String
    /// Free-text description (optional in the file).
    public var description: String?
    /// Side of the square input and output images (S).
    public var imageSize: Int
    /// GroupNorm groups everywhere.
    public var normGroups: Int
    /// GroupNorm epsilon everywhere.
    public var normEps: Double
    /// Channels C of the feature volume.
    public var volumeChannels: Int
    /// Depth D of the feature volume.
    public var volumeDepth: Int
    /// Height = width of the feature volume.
    public var volumeSize: Int
    /// Output channels of the appearance encoder's first conv.
    public var appearanceStemChannels: Int
    /// Kernel of the appearance encoder's first conv.
    public var appearanceStemKernel: Int
    /// Output channels of each 2-D appearance ResBlock (each followed by a 2× average pool).
    public var appearanceBlockChannels: [Int]
    /// Number of plain ResBlock3Ds after the reshape to a volume.
    public var appearance3DBlocks: Int
    /// Input side of the identity ResNet-50 (bilinear resize).
    public var identityInputSize: Int
    /// Base width of the identity ResNet-50.
    public var identityWidth: Int
    /// Bottleneck blocks per layer of the identity ResNet.
    public var identityLayers: [Int]
    /// Channels Ce of e_s and of the warp embedding.
    public var embedChannels: Int
    /// Spatial side s of e_s (s×s).
    public var embedSize: Int
    /// Input side of the head-pose ResNet-18.
    public var poseInputSize: Int
    /// Base width of the head-pose ResNet.
    public var poseWidth: Int
    /// Basic blocks per layer of the head-pose ResNet.
    public var poseLayers: [Int]
    /// Lower clamp of the pose angles, radians.
    public var poseAngleMin: Double
    /// Upper clamp of the pose angles, radians.
    public var poseAngleMax: Double
    /// Side of the aligned expression crop.
    public var expressionCropSize: Int
    /// Zoom of the expression crop (0.5 = 2× zoom in).
    public var expressionZoom: Double
    /// Base width of the expression ResNet-18.
    public var expressionWidth: Int
    /// Basic blocks per layer of the expression ResNet.
    public var expressionLayers: [Int]
    /// Adaptive average pool side before the expression linear layer.
    public var expressionPoolSize: Int
    /// Dimension of the expression latent z.
    public var zChannels: Int
    /// Channels of the warp generator's first volume (after the 1×1 conv and reshape).
    public var warpFirstChannels: Int
    /// Output channels of each AdaGN ResBlock3D of the warp generators.
    public var warpBlockChannels: [Int]
    /// Trilinear upsampling factor [d, h, w] before each warp block.
    public var warpPreScale: [[Int]]
    /// Average pool kernel [d, h, w] after each warp block.
    public var warpPostPool: [[Int]]
    /// Side of G3D's learned constant input.
    public var g3dInputSize: Int
    /// Channels of G3D's learned constant input.
    public var g3dInputChannels: Int
    /// Output channels of G3D's encoder blocks.
    public var g3dDownChannels: [Int]
    /// Trilinear upsampling before each G3D encoder block.
    public var g3dDownPreScale: [[Int]]
    /// Average pool after each G3D encoder block.
    public var g3dDownPostPool: [[Int]]
    /// Output channels of G3D's decoder blocks.
    public var g3dUpChannels: [Int]
    /// Trilinear upsampling before each G3D decoder block.
    public var g3dUpPreScale: [[Int]]
    /// Average pool after each G3D decoder block.
    public var g3dUpPostPool: [[Int]]
    /// Kernel of G3D's head conv (1 or 3).
    public var g3dHeadKernel: Int
    /// Channels of G2D's same-resolution blocks (projection output).
    public var g2dChannels: Int
    /// Number of same-resolution ResBlocks in G2D.
    public var g2dSameBlocks: Int
    /// Output channels per upsampling resolution of G2D.
    public var g2dUpChannels: [Int]
    /// ResBlocks per upsampling resolution of G2D (the first one follows a nearest ×2).
    public var g2dBlocksPerResolution: Int
    /// Kernel of G2D's head conv (1 or 3).
    public var g2dHeadKernel: Int
    /// `grid_sample` padding of the volume warps: `zeros` or `border`.
    public var gridPaddingMode: String
    /// `grid_sample` align_corners of the volume warps.
    public var gridAlignCorners: Bool
    /// ImageNet per-channel mean (identity and expression inputs).
    public var imagenetMean: [Double]
    /// ImageNet per-channel standard deviation.
    public var imagenetStd: [Double]

    enum CodingKeys: String, CodingKey {
        case format, name, description
        case imageSize = "image_size", normGroups = "norm_groups", normEps = "norm_eps"
        case volumeChannels = "volume_channels", volumeDepth = "volume_depth", volumeSize = "volume_size"
        case appearanceStemChannels = "appearance_stem_channels", appearanceStemKernel = "appearance_stem_kernel"
        case appearanceBlockChannels = "appearance_block_channels", appearance3DBlocks = "appearance_3d_blocks"
        case identityInputSize = "identity_input_size", identityWidth = "identity_width", identityLayers = "identity_layers"
        case embedChannels = "embed_channels", embedSize = "embed_size"
        case poseInputSize = "pose_input_size", poseWidth = "pose_width", poseLayers = "pose_layers"
        case poseAngleMin = "pose_angle_min", poseAngleMax = "pose_angle_max"
        case expressionCropSize = "expression_crop_size", expressionZoom = "expression_zoom"
        case expressionWidth = "expression_width", expressionLayers = "expression_layers"
        case expressionPoolSize = "expression_pool_size", zChannels = "z_channels"
        case warpFirstChannels = "warp_first_channels", warpBlockChannels = "warp_block_channels"
        case warpPreScale = "warp_pre_scale", warpPostPool = "warp_post_pool"
        case g3dInputSize = "g3d_input_size", g3dInputChannels = "g3d_input_channels"
        case g3dDownChannels = "g3d_down_channels", g3dDownPreScale = "g3d_down_pre_scale", g3dDownPostPool = "g3d_down_post_pool"
        case g3dUpChannels = "g3d_up_channels", g3dUpPreScale = "g3d_up_pre_scale", g3dUpPostPool = "g3d_up_post_pool"
        case g3dHeadKernel = "g3d_head_kernel"
        case g2dChannels = "g2d_channels", g2dSameBlocks = "g2d_same_blocks", g2dUpChannels = "g2d_up_channels"
        case g2dBlocksPerResolution = "g2d_blocks_per_resolution", g2dHeadKernel = "g2d_head_kernel"
        case gridPaddingMode = "grid_padding_mode", gridAlignCorners = "grid_align_corners"
        case imagenetMean = "imagenet_mean", imagenetStd = "imagenet_std"
    }

    // MARK: - Derived quantities

    /// C·D: channels of the 2-D view of the volume (1536 for the base model).
    public var projectionChannels: Int { volumeChannels * volumeDepth }

    /// `(cin, cout, upsample)` for each block of G2D's upsampling section, in order.
    public var g2dUpBlocks: [(cin: Int, cout: Int, upsample: Bool)] {
        var out: [(cin: Int, cout: Int, upsample: Bool)] = []
        var cin = g2dChannels
        for cout in g2dUpChannels {
            for j in 0..<g2dBlocksPerResolution {
                out.append((cin, cout, j == 0))
                cin = cout
            }
        }
        return out
    }

    /// GroupNorm epsilon as the engine's float.
    var eps: Float { Float(normEps) }

    /// The GroupNorm settings of every plain norm layer.
    var groupNorm: GroupNormSettings { GroupNormSettings(groups: normGroups, eps: eps) }

    /// The identity-ResNet output channels (bottleneck expansion 4).
    var identityOutputChannels: Int { identityWidth * 8 * 4 }
}

/// A configuration that could not be read or fails validation.
public enum ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No preset with this name is built in, and no file exists at that path.
    case unknownPreset(String, available: [String])
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The JSON lacks a field, has a wrong type, or breaks a structural rule.
    case invalid(name: String, reason: String)

    /// A one-line message: what was expected, what was found, what to do.
    public var description: String {
        switch self {
        case .unknownPreset(let n, let a):
            return "no config preset named '\(n)' and no such file (presets: \(a.joined(separator: ", ")); or pass a path to a config JSON)"
        case .unreadable(let p, let r): return "\(p): cannot read config (\(r))"
        case .invalid(let n, let r): return "config \(n): \(r)"
        }
    }
}

extension ModelConfig {
    /// Names of the presets embedded in the binary.
    public static let presetNames = ["tiny", "megaportraits-512", "emoportraits-512"]

    /// The `tiny` test preset (64×64 images, 8×4×16×16 volume).
    public static var tiny: ModelConfig { get throws { try preset("tiny") } }
    /// The MegaPortraits base model (`megaportraits-512`).
    public static var megaPortraits512: ModelConfig { get throws { try preset("megaportraits-512") } }
    /// The EMOPortraits release layout (`emoportraits-512`).
    public static var emoPortraits512: ModelConfig { get throws { try preset("emoportraits-512") } }

    /// The embedded preset `name`.
    public static func preset(_ name: String) throws -> ModelConfig {
        let bytes: [UInt8]
        switch name {
        case "tiny": bytes = PackageResources.tiny_json
        case "megaportraits-512": bytes = PackageResources.megaportraits_512_json
        case "emoportraits-512": bytes = PackageResources.emoportraits_512_json
        default: throw ConfigError.unknownPreset(name, available: presetNames)
        }
        return try decode(Data(bytes), source: name)
    }

    /// A preset by name, or a config JSON file at `nameOrPath`.
    public static func load(_ nameOrPath: String) throws -> ModelConfig {
        if presetNames.contains(nameOrPath) { return try preset(nameOrPath) }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw ConfigError.unknownPreset(nameOrPath, available: presetNames)
        }
        return try load(contentsOf: URL(fileURLWithPath: nameOrPath))
    }

    /// Reads and validates a config JSON file.
    public static func load(contentsOf url: URL) throws -> ModelConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
        return try decode(data, source: url.path)
    }

    /// Decodes and validates config JSON bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "config") throws -> ModelConfig {
        let config: ModelConfig
        do {
            config = try JSONDecoder().decode(ModelConfig.self, from: data)
        } catch let error as DecodingError {
            throw ConfigError.invalid(name: source, reason: error.explanation)
        } catch {
            throw ConfigError.invalid(name: source, reason: "not valid JSON (\(error))")
        }
        try config.validate()
        return config
    }

    /// The config as pretty-printed JSON with the file's snake_case keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The config as a JSON string (sorted keys), e.g. for file metadata.
    public func jsonString() throws -> String { String(decoding: try jsonData(), as: UTF8.self) }
}
