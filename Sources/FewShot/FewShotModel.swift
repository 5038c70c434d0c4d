import Foundation
import Kernels
import NetworkCore
import Runtime

/// The few-shot network as a `PortraitModel`: the per-source state is a person's identity (ê
/// averaged over up to `maxSources` pictures, and ψ̂); every frame draws the driver's 68
/// landmarks (found by `facePoints` in the driving crop, or given) as a landmark image and
/// generates the person in that pose. Frames are independent of each other.
public final class FewShotModel: PortraitModel {
    /// The network.
    public let network: FewShotNetwork
    /// Its config.
    public let config: FewShotConfig
    public let weightsFingerprint: String
    /// Finds the 68 points of the source pictures and driving crops (the dense-landmark model by
    /// default; `TemplateFacePoints` for synthetic pictures).
    public var facePoints: any FacePointFinder
    /// The most pictures one identity averages (the paper goes up to 32).
    public static let maxSources = 32

    /// The network of `config` with `weights` on `engine`, finding landmarks with `facePoints`
    /// (default: `MeshFacePoints` on `engine`).
    public init(config: FewShotConfig, weights: Weights, engine: Engine, facePoints: (any FacePointFinder)? = nil) throws {
        try weights.validate(against: config)
        network = try FewShotNetwork(tensors: weights.tensors, widths: config.widths, engine: engine)
        self.config = config
        weightsFingerprint = weights.fingerprint
        self.facePoints = facePoints ?? MeshFacePoints(engine: engine)
    }

    /// `choice`'s weights for `config`: a converted file (its `widths` metadata must be the
    /// config's, then every tensor is checked) or seeded random ones.
    public static func weights(_ choice: WeightsChoice, config: FewShotConfig) throws -> Weights {
        if case .file(let path) = choice {
            let found = (try SafeTensorsFile(path: path)).metadata["widths"] ?? "(none)"
            guard found == config.widths.description else {
                throw FewShotError.widthsMismatch(path: path, config: config.name, expected: config.widths.description, found: found)
            }
        }
        return try Weights.load(choice, config: config)
    }

    public var engine: Engine { network.engine }
    public var configName: String { config.name }
    public var configJSON: String { (try? config.jsonString()) ?? "{}" }
    public var inputSize: Int { config.imageSize }
    public var outputSize: Int { config.imageSize }
    public var maxSourcePictures: Int { Self.maxSources }
    /// Per source picture: the embedder; per source: ψ̂ = P·ê; per frame: the generator.
    public var flopTable: [StageFlops] {
        [StageFlops(stage: "avatar/embedder", perFrame: false, flops: network.layout.embedderFlops(size: inputSize)),
         StageFlops(stage: "avatar/identity", perFrame: false, flops: network.layout.projectionFlops),
         StageFlops(stage: "frame/generator", perFrame: true, flops: network.layout.generatorFlops(size: inputSize))]
    }
    /// No estimate is derived for the few-shot network.
    public var deviceMemoryEstimate: Int? { nil }
    public var acceptsSourceMask: Bool { false }
    public var imageStage: String { "image" }
    /// The crops are resampled with bicubic (the public code resizes 8-bit frames with OpenCV's
    /// bilinear; `--resize opencv` picks that).
    public var officialResize: OfficialResize { .pytorchBicubic }

    public func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        try makeSource([image], mask: mask, recorder: recorder)
    }

    /// The identity of `images` (each `[1, 3, S, S]`, one person): each picture's 68 points
    /// drawn as its landmark image, the embedder on all of them, ê their mean, ψ̂ = P·ê.
    public func makeSource(_ images: [Tensor], mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        guard mask == nil else { throw FewShotError.unsupported("the few-shot network reads no source mask; pass none") }
        guard !images.isEmpty, images.count <= Self.maxSources else {
            throw SeveralSourcesRefused(network: configName, given: images.count, allowed: Self.maxSources)
        }
        let s = inputSize
        var pictures: [Float] = [], drawings: [Float] = []
        for (i, image) in images.enumerated() {
            guard image.shape == [1, 3, s, s] else {
                throw FewShotError.badInput(what: "a source picture", expected: "[1, 3, \(s), \(s)] (crop and resize it first)", found: image.shape)
            }
            let role = images.count == 1 ? "source picture" : "source picture \(i + 1) of \(images.count)"
            let drawing = try landmarkImage(points: try facePoints.points68(in: image, role: role))
            pictures += try engine.values(image)
            drawings += try engine.values(drawing)
        }
        let k = images.count
        let landmarks = Tensor(shape: [k, 3, s, s], values: drawings)
        try recorder?.record(name: "source.landmarks", tensor: landmarks, engine: engine)
        let identity = try stage("avatar") {
            try network.identity(images: Tensor(shape: [k, 3, s, s], values: pictures), landmarks: landmarks, recorder: recorder)
        }
        return FewShotSource(identity: identity, config: config, weightsFingerprint: weightsFingerprint)
    }

    public func loadSource(path: String) throws -> any PortraitSource {
        let identity = try FewShotIdentity.load(path: path, widths: config.widths)
        let recorded = (try SafeTensorsFile(path: path)).metadata["weights_fingerprint"]
        if let recorded, recorded != weightsFingerprint {
            throw FewShotError.badIdentityFile(path: path, problem: "made with other weights (fingerprint \(recorded), these are \(weightsFingerprint)); rebuild it with `portrait avatar` and these weights")
        }
        return FewShotSource(identity: identity, config: config, weightsFingerprint: weightsFingerprint)
    }

    public func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer {
        guard let source = source as? FewShotSource else { throw WrongSourceKind(expected: "few-shot") }
        return try FewShotClip(model: self, source: source)
    }

    /// The `[1, 3, S, S]` landmark image of 68 points in the crop's pixels ((0, 0) its top-left
    /// corner; the drawing puts pixel centres at whole numbers, hence the half-pixel shift).
    public func landmarkImage(points: [SIMD2<Float>]) throws -> Tensor {
        try LandmarkImage.render(points: points.map { $0 - SIMD2(0.5, 0.5) }, size: inputSize)
    }

    /// Runs `body` as the profiling stage `name` (`avatar`, `frame`).
    func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
        if let profiler = engine.profiler { return try profiler.withStage(name, body) }
        return try body()
    }
}

/// A few-shot per-source state: the identity, with what a saved one records (the config and
/// the weights' fingerprint).
public struct FewShotSource: PortraitSource {
    /// ê, ψ̂ and K.
    public let identity: FewShotIdentity
    let config: FewShotConfig
    let weightsFingerprint: String

    /// The state of `identity` for a network of `config` with weights of `weightsFingerprint`.
    public init(identity: FewShotIdentity, config: FewShotConfig, weightsFingerprint: String) {
        self.identity = identity; self.config = config; self.weightsFingerprint = weightsFingerprint
    }

    /// Writes the identity (`FewShotIdentity.save`) with `config`, `config_json` and `weights_fingerprint` metadata.
    public func save(to path: String, engine: Engine) throws {
        try identity.save(to: path, widths: config.widths,
                          metadata: ["config": config.name, "config_json": try config.jsonString(), "weights_fingerprint": weightsFingerprint])
    }
}

/// One few-shot clip: ψ̂'s AdaIN slices resident once, then one generator pass per frame.
public final class FewShotClip: ClipRenderer {
    /// The network that renders.
    public let model: FewShotModel
    /// The identity every frame draws.
    public let source: FewShotSource
    private let style: FewShotStyle

    /// A clip of `source` on `model`.
    public init(model: FewShotModel, source: FewShotSource) throws {
        guard source.identity.psi.count == model.network.widths.psiLength else {
            throw FewShotError.identityMismatch(expected: model.network.widths.psiLength, found: source.identity.psi.count)
        }
        self.model = model
        self.source = source
        style = try FewShotStyle(psi: source.identity.psi, widths: model.network.widths, engine: model.engine)
    }

    /// The frame posed as the face in the driving crop `driver` (its 68 points from `facePoints`).
    public func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor {
        try render(points: try model.facePoints.points68(in: driver, role: "driving frame"), recorder: recorder)
    }

    /// The frame posed as 68 dlib-order `points` in the crop's pixels ((0, 0) its top-left corner).
    public func render(points: [SIMD2<Float>], recorder: StageRecorder?) throws -> Tensor {
        let drawing = try model.landmarkImage(points: points)
        try recorder?.record(name: "driver.landmarks", tensor: drawing, engine: model.engine)
        return try model.stage("frame") { try model.network.render(landmarks: drawing, style: style, recorder: recorder) }
    }

    /// Refused: the network draws faces from landmarks, not from head angles.
    public func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor {
        throw FewShotError.unsupported("the few-shot network is driven by face landmarks (a driving picture or video, or a landmarks JSON file), not by head poses: --pose, --pose-sweep and --pose-csv drive MegaPortraits and LivePortrait")
    }
}

/// The few-shot family's registry entry (`NetworkRegistry` lists it).
public enum FewShotFamily {
    /// Few-shot talking heads: its presets (`fewshot`, `fewshot-tiny`), file tags and network. It
    /// claims configs named `fewshot…` and JSON configs with a `widths` text.
    public static let entry = NetworkFamily(
        name: "fewshot", displayName: "few-shot talking-heads", defaultConfig: "fewshot",
        presetNames: FewShotConfig.presetNames, officialFaceCrop: .emoPortraits,
        weightsFormatTag: FewShotConfig.weightsFormatTag, sourceFormatTag: FewShotIdentity.formatTag,
        claims: { name, json in name.hasPrefix("fewshot") || json?["widths"] is String },
        configJSON: { try FewShotConfig.load($0).jsonString() },
        makeModel: { config, weights, engine in
            let cfg = try FewShotConfig.load(config)
            return try FewShotModel(config: cfg, weights: try FewShotModel.weights(weights, config: cfg), engine: engine)
        },
        checkWeights: { config, path in
            let cfg = try FewShotConfig.load(config)
            _ = try FewShotModel.weights(.file(path), config: cfg)
            return cfg.name
        },
        maxSourcePictures: FewShotModel.maxSources)
}
