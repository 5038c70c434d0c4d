import Kernels
import NetworkCore
import Runtime

/// LivePortrait (KwaiVGI, the released human model) bound to weights on one engine: the appearance
/// extractor F, motion extractor M, warping module W, SPADE decoder G and the stitching /
/// retargeting MLPs, plus the per-frame keypoint algebra of the official pipeline. Every tensor op
/// is an `Engine` call (CPU fallback or OpenCL, the same code); the keypoint algebra runs on the host.
///
/// Use: `makeSource(image:)` once per source photo; per driving frame `motion(of:)`, then
/// `renderFrame(source:driverMotion:firstDriverMotion:options:)` with the clip's first frame's
/// motion (relative motion, the official default). Stages run inside `engine.profiler?.withStage`
/// (`avatar/motion`, `avatar/appearance`, `frame/motion`, `frame/keypoints`, `frame/warping`,
/// `frame/decoder`) and record their outputs under the golden names through a `StageRecorder`.
/// Inputs are batch 1. Not thread-safe (neither is its engine's queue).
public final class LivePortraitNetwork: @unchecked Sendable {
    /// The configuration the network was built for.
    public let config: LivePortraitConfig
    /// Where every op runs.
    public let engine: Engine
    /// `Weights.fingerprint` of the weights the network was built with.
    public let weightsFingerprint: String
    let layout: LivePortraitLayout
    private let parameters: [String: Tensor]

    /// Checks `weights` against `config` (one `WeightsError.mismatch` listing every problem) and
    /// uploads them to `engine` once.
    public init(config: LivePortraitConfig, weights: Weights, engine: Engine) throws {
        try weights.validate(against: config)
        let layout = LivePortraitLayout(config)
        parameters = try layout.parameters.upload(weights, to: engine)
        self.config = config
        self.engine = engine
        self.layout = layout
        weightsFingerprint = weights.fingerprint
    }

    /// Loads the converted weights at `weightsPath` strictly for `config` and builds the network.
    public convenience init(config: LivePortraitConfig, weightsPath: String, engine: Engine) throws {
        try self.init(config: config, weights: Weights.load(path: weightsPath, config: config), engine: engine)
    }

    private func forward(_ recorder: StageRecorder?) -> LivePortraitForward {
        LivePortraitForward(engine: engine, config: config, parameters: parameters, recorder: recorder)
    }

    // MARK: - Per source

    /// The per-source stages on `image` `[1, 3, S, S]` (S = `config.imageSize`, RGB in [0, 1],
    /// `uint8 / 255` with no normalisation): its motion (`source.*`) and f_s (`source.feature_2d`,
    /// `source.feature_3d`). The feature volume stays resident on this network's engine.
    public func makeSource(image: Tensor, recorder: StageRecorder? = nil) throws -> LivePortraitSource {
        try checkImage(image, role: "source")
        let f = forward(recorder)
        return try f.stage("avatar") {
            let x = try engine.resident(image)
            let motion = try f.stage("motion") { try extractMotion(f, x, prefix: "source") }
            let features = try f.stage("appearance") { () -> Tensor in
                let features = try layout.appearance.features(f, x)
                try f.record("source.feature_2d", features)
                let volume = try layout.appearance.volume(f, features)
                try f.record("source.feature_3d", volume)
                return volume
            }
            return LivePortraitSource(config: config, featureVolume: features, motion: motion, weightsFingerprint: weightsFingerprint)
        }
    }

    /// Uploads a loaded source's feature volume to this network's engine once, after checking it
    /// was made with this config and these weights.
    public func resident(_ source: LivePortraitSource) throws -> LivePortraitSource {
        try checkSource(source)
        return LivePortraitSource(config: source.config, featureVolume: try engine.resident(source.featureVolume),
                                  motion: source.motion, weightsFingerprint: source.weightsFingerprint)
    }

    /// Reads a source file (`LivePortraitSource.save`) and makes it resident (see `resident(_:)`).
    public func loadSource(path: String) throws -> LivePortraitSource {
        try resident(LivePortraitSource.load(path: path))
    }

    // MARK: - Per frame

    /// The motion of a driving frame `[1, 3, S, S]` (RGB in [0, 1]); recorded as `recordAs.*`
    /// (`driver.0.kp`, ...). Runs as the profiling stage `frame/motion`.
    public func motion(of driver: Tensor, recorder: StageRecorder? = nil, recordAs prefix: String = "driver") throws -> LivePortraitMotion {
        try checkImage(driver, role: "driver")
        let f = forward(recorder)
        return try f.stage("frame") { try f.stage("motion") { try extractMotion(f, engine.resident(driver), prefix: prefix) } }
    }

    /// The driving keypoints x_d,i `[K · 3]` of one frame (`execute`, docs/liveportrait.md §4):
    /// relative (or absolute) motion of `driverMotion` against `firstDriverMotion` applied to the
    /// source, the expression-friendly rescale, then stitching — or, with retargeting on,
    /// `x_s + Δ_eye + Δ_lip` then stitching — then the driving multiplier. Records
    /// `recordAs.x_d_composed`, `.x_d_expression`, `.eye_delta`, `.lip_delta` (when on) and `.x_d`.
    public func drivingKeypoints(source: LivePortraitSource, driverMotion: LivePortraitMotion, firstDriverMotion: LivePortraitMotion,
                                 options: LivePortraitOptions = LivePortraitOptions(), recorder: StageRecorder? = nil,
                                 recordAs prefix: String = "frame") throws -> [Double] {
        try checkSource(source)
        for m in [driverMotion, firstDriverMotion] where m.keypointCount != config.numKeypoints || !m.isValid {
            throw LivePortraitError.invalidInput("a driving motion has \(m.keypointCount) keypoints or non-finite values; the network needs \(config.numKeypoints) finite keypoints (use motion(of:) of this network)")
        }
        let f = forward(recorder)
        return try f.stage("frame") { try f.stage("keypoints") {
            try keypoints(f, source.motion, driverMotion, firstDriverMotion, options, prefix: prefix)
        } }
    }

    /// The driving keypoints of frame `index` of a source video (`SourceVideoMotion`): `source` is
    /// that frame's state, `targets` the clip's smoothed targets; then retargeting, stitching and
    /// the multiplier as for a picture source (no expression-friendly rescale). Records
    /// `recordAs.x_d_composed` and `.x_d`.
    public func sourceVideoKeypoints(source: LivePortraitSource, targets: SourceVideoMotion.Targets, index: Int,
                                     options: LivePortraitOptions = LivePortraitOptions(), recorder: StageRecorder? = nil,
                                     recordAs prefix: String = "frame") throws -> [Double] {
        try checkSource(source)
        guard targets.expressions.indices.contains(index), targets.rotations.indices.contains(index), targets.translations.indices.contains(index),
              targets.expressions[index].count == 3 * config.numKeypoints else {
            throw LivePortraitError.invalidInput("source video frame \(index): no motion target for it (\(targets.expressions.count) targets)")
        }
        let f = forward(recorder)
        return try f.stage("frame") { try f.stage("keypoints") {
            let x = SourceVideoMotion.compose(source: source.motion, expression: targets.expressions[index], rotation: targets.rotations[index],
                                              translation: targets.translations[index], region: options.region)
            try f.record("\(prefix).x_d_composed", Tensor(shape: [1, config.numKeypoints, 3], values: x.map(Float.init)))
            return try finish(f, x, source: source.motion.keypoints, options, prefix: prefix)
        } }
    }

    /// Warps f_s from x_s to `drivingKeypoints` `[K · 3]` and decodes: the image `[1, 3, O, O]` in
    /// (0, 1) (O = `config.outputSize`), resident. Records `recordAs.warping.*`,
    /// `recordAs.decoder.block{i}` and `recordAs.image`.
    public func render(source: LivePortraitSource, drivingKeypoints: [Double], recorder: StageRecorder? = nil,
                       recordAs prefix: String = "frame") throws -> Tensor {
        try checkSource(source)
        guard drivingKeypoints.count == 3 * config.numKeypoints, drivingKeypoints.allSatisfy({ $0.isFinite }) else {
            throw LivePortraitError.invalidInput("driving keypoints: expected \(3 * config.numKeypoints) finite values (\(config.numKeypoints) × xyz), got \(drivingKeypoints.count)")
        }
        let f = forward(recorder)
        let shape = [1, config.numKeypoints, 3]
        return try f.stage("frame") {
            let feature = try engine.resident(source.featureVolume)
            let xs = try engine.resident(Tensor(shape: shape, values: source.motion.keypoints.map(Float.init)))
            let xd = try engine.resident(Tensor(shape: shape, values: drivingKeypoints.map(Float.init)))
            let warped = try f.stage("warping") { try layout.warping(f, feature, source: xs, driving: xd, prefix: prefix + ".warping") }
            let image = try f.stage("decoder") { try layout.decoder(f, warped, prefix: prefix + ".decoder") }
            try f.record(prefix + ".image", image)
            return image
        }
    }

    /// One frame: `drivingKeypoints` then `render`. With the official defaults (`options`),
    /// `firstDriverMotion` is the motion of the clip's first driving frame. For a free-view frame,
    /// pass a copy of `source.motion` with other angles as the driver and `source.motion` as the first.
    public func renderFrame(source: LivePortraitSource, driverMotion: LivePortraitMotion, firstDriverMotion: LivePortraitMotion,
                            options: LivePortraitOptions = LivePortraitOptions(), recorder: StageRecorder? = nil,
                            recordAs prefix: String = "frame") throws -> Tensor {
        let x = try drivingKeypoints(source: source, driverMotion: driverMotion, firstDriverMotion: firstDriverMotion,
                                     options: options, recorder: recorder, recordAs: prefix)
        return try render(source: source, drivingKeypoints: x, recorder: recorder, recordAs: prefix)
    }

    // MARK: - Helpers

    /// M on a resident image, then the host-side pose and keypoint maths; records `prefix.*`.
    private func extractMotion(_ f: LivePortraitForward, _ image: Tensor, prefix: String) throws -> LivePortraitMotion {
        let out = try layout.motion(f, image)
        let h = out.heads
        let k = config.numKeypoints
        let motion = LivePortraitMotion(
            canonical: h["kp"]!.map(Double.init), expression: h["exp"]!.map(Double.init), translation: h["t"]!.map(Double.init),
            scale: Double(h["scale"]![0]), pitch: Keypoints.degrees(fromBins: h["pitch"]!), yaw: Keypoints.degrees(fromBins: h["yaw"]!),
            roll: Keypoints.degrees(fromBins: h["roll"]!))
        guard f.recorder != nil else { return motion }
        func record(_ name: String, _ shape: [Int], _ values: [Double]) throws {
            try f.record("\(prefix).\(name)", Tensor(shape: shape, values: values.map(Float.init)))
        }
        try f.record(prefix + ".pooled", out.pooled)
        for angle in ["pitch", "yaw", "roll"] { try f.record("\(prefix).raw.\(angle)", Tensor(shape: [1, config.motion.numBins], values: h[angle]!)) }
        try record("pitch", [1, 1], [motion.pitch])
        try record("yaw", [1, 1], [motion.yaw])
        try record("roll", [1, 1], [motion.roll])
        try record("kp", [1, k, 3], motion.canonical)
        try record("exp", [1, k, 3], motion.expression)
        try record("t", [1, 3], motion.translation)
        try record("scale", [1, 1], [motion.scale])
        try record("R", [1, 3, 3], motion.rotation)
        try record("x", [1, k, 3], motion.keypoints)
        return motion
    }

    private func keypoints(_ f: LivePortraitForward, _ s: LivePortraitMotion, _ d: LivePortraitMotion, _ first: LivePortraitMotion,
                           _ options: LivePortraitOptions, prefix: String) throws -> [Double] {
        let shape = [1, config.numKeypoints, 3]
        func record(_ name: String, _ values: [Double]) throws {
            try f.record("\(prefix).\(name)", Tensor(shape: shape, values: values.map(Float.init)))
        }
        let xs = s.keypoints
        if options.stillDriver && options.relativeMotion && [.all, .exp, .lip].contains(options.region) {
            guard let neutral = config.neutralExpression else { throw LivePortraitError.noNeutralExpression(config: config.name) }
            guard neutral.count == xs.count else {
                throw LivePortraitError.invalidConfig(source: config.name, reason: "neutral_expression has \(neutral.count) values; \(config.numKeypoints) keypoints need \(xs.count)")
            }
        }
        var x = MotionComposer.compose(source: s, driver: d, first: first, options: options, neutral: config.neutralExpression)
        try record("x_d_composed", x)
        // The official pipeline rescales only relative motion (`flag_relative_motion and
        // driving_option == "expression-friendly"`); absolute keypoints are used as composed.
        if options.expressionFriendly && options.relativeMotion && !options.stillDriver {
            let x0 = MotionComposer.compose(source: s, driver: first, first: first, options: options)
            x = MotionComposer.expressionFriendly(x, first: x0, source: xs)
            try record("x_d_expression", x)
        }
        return try finish(f, x, source: xs, options, prefix: prefix)
    }

    /// The steps after composition: retargeting (replacing relative motion by x_s + deltas),
    /// stitching, the normalize-lip and source-eye deltas, the driving multiplier; records `prefix.eye_delta`, `.lip_delta`, `.lip_normalize_delta`, `.source_eye_delta`, `.x_d`.
    private func finish(_ f: LivePortraitForward, _ composed: [Double], source xs: [Double], _ options: LivePortraitOptions,
                        prefix: String) throws -> [Double] {
        var x = composed
        let shape = [1, config.numKeypoints, 3]
        func record(_ name: String, _ values: [Double]) throws {
            try f.record("\(prefix).\(name)", Tensor(shape: shape, values: values.map(Float.init)))
        }
        if options.retargeting {
            var delta = [Double](repeating: 0, count: xs.count)
            if let eye = options.eyeRetargeting {
                let d = try layout.mlps.eyeDelta(f, source: xs, eye)
                try record("eye_delta", d)
                delta = zip(delta, d).map(+)
            }
            if let lip = options.lipRetargeting {
                let d = try layout.mlps.lipDelta(f, source: xs, lip)
                try record("lip_delta", d)
                delta = zip(delta, d).map(+)
            }
            x = zip(options.relativeMotion ? xs : x, delta).map(+)
        }
        // Without retargeting, the official "normalize lip" and source-video eye deltas are
        // added after stitching (live_portrait_pipeline.py, the no-retargeting branches).
        var after: [Double]? = nil
        if !options.retargeting {
            if let ratio = options.normalizeLip, options.relativeMotion, ratio >= LivePortraitOptions.lipNormalizeThreshold {
                let d = try layout.mlps.lipDelta(f, source: xs, LipRatios(source: ratio, driving: 0))
                try record("lip_normalize_delta", d)
                after = d
            }
            if let eye = options.sourceEyeRetargeting {
                let d = try layout.mlps.eyeDelta(f, source: xs, eye)
                try record("source_eye_delta", d)
                after = zip(after ?? [Double](repeating: 0, count: xs.count), d).map(+)
            }
        }
        if options.stitching { x = try layout.mlps.stitch(f, source: xs, driving: x) }
        if let after { x = zip(x, after).map(+) }
        x = zip(xs, x).map { $0 + ($1 - $0) * options.drivingMultiplier }
        try record("x_d", x)
        return x
    }

    private func checkImage(_ t: Tensor, role: String) throws {
        let expected = [1, 3, config.imageSize, config.imageSize]
        guard t.shape == expected else { throw LivePortraitError.invalidImage(role: role, expected: expected, found: t.shape, notFinite: false) }
        if let v = t.hostValues, !v.allSatisfy({ $0.isFinite }) {
            throw LivePortraitError.invalidImage(role: role, expected: expected, found: t.shape, notFinite: true)
        }
    }

    private func checkSource(_ source: LivePortraitSource) throws {
        guard source.config == config || sameShapes(source.config) else {
            throw LivePortraitError.incompatibleSource(sourceConfig: source.config.name, networkConfig: config.name)
        }
        guard source.weightsFingerprint == weightsFingerprint else {
            throw LivePortraitError.sourceWeightsMismatch(sourceWeights: source.weightsFingerprint, networkWeights: weightsFingerprint)
        }
        guard source.featureVolume.shape == config.featureVolumeShape, source.motion.keypointCount == config.numKeypoints else {
            throw LivePortraitError.incompatibleSource(sourceConfig: source.config.name, networkConfig: config.name)
        }
    }

    /// Whether `other` differs from this config only in its name and neutral expression (neither shapes a tensor).
    private func sameShapes(_ other: LivePortraitConfig) -> Bool {
        var renamed = other
        renamed.name = config.name
        renamed.neutralExpression = config.neutralExpression
        return renamed == config
    }
}
