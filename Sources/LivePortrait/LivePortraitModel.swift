import Foundation
import Kernels
import NetworkCore
import Runtime

/// LivePortrait as a `PortraitModel`: the source state is f_s and the source's keypoints; a clip
/// remembers its first driving frame's motion, against which every frame's motion is taken
/// (relative motion, the official default).
public final class LivePortraitModel: PortraitModel {
    /// The five networks and the keypoint algebra.
    public let network: LivePortraitNetwork
    /// The per-frame composition (stitching, region, retargeting ...) of clips started from now on.
    public var options: LivePortraitOptions
    /// Measures what landmark-based options need (auto retargeting, normalize lip) on the source
    /// picture and each driving frame; nil: nothing is measured.
    public var measurer: RetargetingMeasurer?

    /// `network` composing frames with `options` (the official defaults unless given).
    public init(network: LivePortraitNetwork, options: LivePortraitOptions = LivePortraitOptions()) {
        self.network = network
        self.options = options
    }

    public var engine: Engine { network.engine }
    public var configName: String { network.config.name }
    public var inputSize: Int { network.config.imageSize }
    public var outputSize: Int { network.config.outputSize }
    public var weightsFingerprint: String { network.weightsFingerprint }
    public var flopTable: [StageFlops] { network.flopTable }
    public var acceptsSourceMask: Bool { false }
    public var imageStage: String { "frame.image" }
    /// The official code crops with `cv2.warpAffine` and resizes 8-bit pictures with OpenCV (`ResizeFilter.opencv`).
    public var officialResize: OfficialResize { .opencv }
    public var configJSON: String { (try? network.config.jsonString()) ?? "{}" }
    /// No estimate is derived for LivePortrait's networks yet.
    public var deviceMemoryEstimate: Int? { nil }

    public func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        try measurer?.measureSource(image)
        return try network.makeSource(image: image, recorder: recorder)
    }

    public func loadSource(path: String) throws -> any PortraitSource {
        measurer?.forgetSource()
        return try network.loadSource(path: path)
    }

    public func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer {
        guard let source = source as? LivePortraitSource else { throw WrongSourceKind(expected: "LivePortrait") }
        var clipOptions = options
        clipOptions.stillDriver = stillDriver
        if let measurer { clipOptions = try measurer.clipOptions(clipOptions) }
        return LivePortraitClip(network: network, source: source, options: clipOptions, measurer: measurer)
    }
}

extension LivePortraitSource: PortraitSource {}

/// One LivePortrait clip: the first driving frame's motion is the reference of every frame.
public final class LivePortraitClip: ClipRenderer {
    /// The networks that render.
    public let network: LivePortraitNetwork
    /// The per-source state every frame reads.
    public let source: LivePortraitSource
    /// The clip's frame composition.
    public let options: LivePortraitOptions
    /// Measures each driving frame's ratios for auto retargeting (nil: nothing is measured).
    public let measurer: RetargetingMeasurer?
    private var firstMotion: LivePortraitMotion?

    /// A clip of `source` on `network` composed with `options`, each frame's options from
    /// `measurer` when given.
    public init(network: LivePortraitNetwork, source: LivePortraitSource, options: LivePortraitOptions, measurer: RetargetingMeasurer? = nil) {
        self.network = network
        self.source = source
        self.options = options
        self.measurer = measurer
    }

    public func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor {
        let frameOptions = try measurer?.frameOptions(options, driver: driver) ?? options
        return try render(motion: try network.motion(of: driver, recorder: recorder, recordAs: "driver"), options: frameOptions, recorder: recorder)
    }

    /// The next frame driven by `motion` (a driving frame's, read now or from a motion file),
    /// relative to the clip's first.
    public func render(motion: LivePortraitMotion, recorder: StageRecorder?) throws -> Tensor {
        if let measurer, measurer.measuresDrivingFrames {
            throw LivePortraitError.invalidInput("auto eye/lip retargeting measures each driving frame's landmarks; a motion file has none: drive with the clip, or give the ratios as numbers")
        }
        return try render(motion: motion, options: options, recorder: recorder)
    }

    private func render(motion: LivePortraitMotion, options: LivePortraitOptions, recorder: StageRecorder?) throws -> Tensor {
        let first = firstMotion ?? motion
        firstMotion = first
        return try network.renderFrame(source: source, driverMotion: motion, firstDriverMotion: first, options: options, recorder: recorder)
    }

    /// The first skipped frame's motion is the clip's reference, as if it had been rendered.
    public func skip(driver: () throws -> Tensor) throws {
        guard firstMotion == nil else { return }
        firstMotion = try network.motion(of: driver(), recorder: nil, recordAs: "driver")
    }

    /// The first skipped frame's motion is the clip's reference, as if it had been rendered.
    public func skip(motion: LivePortraitMotion) throws {
        if firstMotion == nil { firstMotion = motion }
    }

    /// The source with `edit` applied: its own motion, edited, taken relative to itself, so an
    /// empty edit renders the source as it is (stitching as the options say; no retargeting).
    public func render(edit: ExpressionEdit, recorder: StageRecorder?) throws -> Tensor {
        var editOptions = options
        editOptions.stillDriver = false
        return try network.renderFrame(source: source, driverMotion: source.motion.edited(edit), firstDriverMotion: source.motion,
                                       options: editOptions, recorder: recorder)
    }

    /// The source under an absolute head pose (radians, as `--pose` gives them): its own motion
    /// with the pose's angles (and the pose's x/y translation added), taken relative to the
    /// source's own motion, so the rotation is exactly the pose's and the expression the source's.
    public func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor {
        var motion = source.motion
        let degrees = 180 / Double.pi
        motion.pitch = pose.pitch * degrees
        motion.yaw = pose.yaw * degrees
        motion.roll = pose.roll * degrees
        for axis in 0..<min(2, motion.translation.count, pose.translation.count) { motion.translation[axis] += pose.translation[axis] }
        return try network.renderFrame(source: source, driverMotion: motion, firstDriverMotion: source.motion, options: options, recorder: recorder)
    }
}

/// The LivePortrait family's registry entry (`NetworkRegistry` lists it).
public enum LivePortraitFamily {
    /// LivePortrait: its presets, file tags and network (official per-frame options; set
    /// `LivePortraitModel.options` for others). It claims a config named `liveportrait…` and a
    /// JSON with a `stitching` section or a `liveportrait…` name (`reference/convert.py --liveportrait` writes one).
    public static let entry = NetworkFamily(
        name: "liveportrait", displayName: "LivePortrait", defaultConfig: "liveportrait",
        presetNames: LivePortraitConfig.presetNames, officialFaceCrop: .livePortrait, weightsFormatTag: Weights.livePortraitFormatTag, sourceFormatTag: LivePortraitSource.formatTag,
        claims: { name, json in
            if name.hasPrefix("liveportrait") { return true }
            guard let json else { return false }
            return json["stitching"] != nil || ((json["name"] as? String)?.lowercased() ?? "").hasPrefix("liveportrait")
        },
        configJSON: { try LivePortraitConfig.load($0).jsonString() },
        makeModel: { config, weights, engine in
            let cfg = try LivePortraitConfig.load(config)
            return LivePortraitModel(network: try LivePortraitNetwork(config: cfg, weights: try Weights.load(weights, config: cfg), engine: engine))
        },
        checkWeights: { config, path in
            let cfg = try LivePortraitConfig.load(config)
            try Weights.load(path: path, config: cfg).validate(against: cfg)
            return cfg.name
        })
}

/// Measures what LivePortrait's landmark-based options need (the CLI's `--eye-retargeting auto`,
/// `--lip-retargeting auto`, `--normalize-lip`): the source picture's ratios once, each driving
/// frame's as it is rendered (the CLI's `LandmarkRetargeting` uses MediaPipe's landmarks).
public protocol RetargetingMeasurer: AnyObject {
    /// Whether each driving frame is measured (auto eye or lip retargeting).
    var measuresDrivingFrames: Bool { get }
    /// Measures the source picture `image` `[1, 3, S, S]` the model encodes.
    func measureSource(_ image: Tensor) throws
    /// Forgets the source's ratios (a saved source has no picture to measure).
    func forgetSource()
    /// A clip's options from `base` and the source's ratios; throws when no source was measured.
    func clipOptions(_ base: LivePortraitOptions) throws -> LivePortraitOptions
    /// One driving frame's options from the clip's, its ratios measured on `driver` `[1, 3, S, S]`.
    func frameOptions(_ base: LivePortraitOptions, driver: Tensor) throws -> LivePortraitOptions
}
