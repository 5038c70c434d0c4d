import Kernels
import NetworkCore
import Runtime

/// The MegaPortraits base network G_base bound to weights on one engine. `makeAvatar` runs the
/// per-avatar stages once (E_app, e_s, source motion, W_{s→}, G3D); `renderFrame` runs the
/// per-frame stages (driver motion, W_{→d}, the two volume warps, projection, G2D). Every op is an
/// `Engine` call, so the same code runs on the CPU fallback and on OpenCL.
///
/// Each stage runs inside `engine.profiler?.withStage` (`avatar/pose`, `avatar/g3d`, `frame/g2d`,
/// ...), and can record its output under the PyTorch fixture's name through a `StageRecorder`.
/// Inputs are batch 1. A `Network` is not thread-safe (neither is its engine's queue).
public final class Network: @unchecked Sendable {
    /// The configuration the network was built for.
    public let config: ModelConfig
    /// Where every op runs.
    public let engine: Engine
    let layout: NetworkLayout
    private let parameters: [String: Tensor]
    /// `Weights.fingerprint` of the weights this network was built with.
    public let weightsFingerprint: String

    /// Checks `weights` against `config` (one `WeightsError.mismatch` listing every problem) and
    /// uploads them to `engine` once.
    public init(config: ModelConfig, weights: Weights, engine: Engine) throws {
        try weights.validate(against: config)
        let layout = NetworkLayout(config)
        self.parameters = try Self.explainingDeviceMemory(config, device: engine.name) { try layout.parameters.upload(weights, to: engine) }
        self.config = config
        self.engine = engine
        self.layout = layout
        self.weightsFingerprint = weights.fingerprint
    }

    /// Loads `weightsPath` for `config` and builds the network on `engine`.
    public convenience init(config: ModelConfig, weightsPath: String, engine: Engine) throws {
        try self.init(config: config, weights: Weights.load(path: weightsPath, config: config), engine: engine)
    }

    private func forward(_ recorder: StageRecorder?) -> ModelForward {
        ModelForward(engine: engine, config: config, parameters: parameters, recorder: recorder)
    }

    // MARK: - Per avatar

    /// The per-avatar stages on `source` `[1, 3, S, S]` (RGB in [0, 1]) with an optional face mask
    /// `[1, 1, S, S]` (1 keeps a pixel; default all ones), as `network.py encode_avatar`. The
    /// result's tensors stay resident on this network's engine.
    public func makeAvatar(source: Tensor, mask: Tensor? = nil, recorder: StageRecorder? = nil) throws -> Avatar {
        try checkImage(source, role: "source", channels: 3)
        if let mask { try checkImage(mask, role: "mask", channels: 1) }
        let f = forward(recorder)
        let cfg = config
        return try Self.explainingDeviceMemory(config, device: engine.name) { try f.stage("avatar") {
            let image = try engine.resident(applyMask(source, mask))
            try f.record("source.masked", image)
            let motion = try f.motion(layout, image, prefix: "source")
            let es = try f.stage("identity") { try layout.identity(f, image) }
            try f.record("es", es)
            let features = try f.stage("appearance") { try layout.appearance.features(f, image) }
            try f.record("appearance.features", features)
            let sourceVolume = try f.stage("appearance.3d") { try layout.appearance.volume(f, features) }
            try f.record("volume.source", sourceVolume)
            let embedding = try f.stage("embedding") { try layout.embedding(f, z: motion.z, es: es) }
            try f.record("source.embedding", embedding)
            let (grid, delta) = try f.stage("warp.source") { try layout.warpSource(f, embedding: embedding) }
            try f.record("warp.source.delta", delta)
            try f.record("warp.source.grid", grid)
            let warped = try f.stage("sampling") {
                let inverse = try Matrix4.invert(motion.theta, "source")
                let rigid = try rigidGrid(inverse)
                try f.record("warp.source.rigid", rigid)
                let v = try sample(sourceVolume, rigid)
                try f.record("volume.source.rigid", v)
                let w = try sample(v, grid)
                try f.record("volume.source.warped", w)
                return w
            }
            let canonical = try f.stage("g3d") { try layout.g3d(f, warped) }
            try f.record("volume.canonical", canonical)
            var avatar = Avatar(config: cfg, es: es, canonicalVolume: canonical, sourcePose: motion.pose, sourceExpression: motion.z)
            avatar.weightsFingerprint = weightsFingerprint
            return avatar
        } }
    }

    // MARK: - Per frame

    /// One frame: `avatar` driven by `driver` `[1, 3, S, S]` (RGB in [0, 1]), as `network.py
    /// render_frame`. Returns the image `[1, 3, S, S]` in [0, 1], resident on the engine.
    public func renderFrame(avatar: Avatar, driver: Tensor, recorder: StageRecorder? = nil) throws -> Tensor {
        try checkAvatar(avatar)
        try checkImage(driver, role: "driver", channels: 3)
        let f = forward(recorder)
        return try Self.explainingDeviceMemory(config, device: engine.name) { try f.stage("frame") {
            let image = try engine.resident(driver)
            let motion = try f.motion(layout, image, prefix: "driver")
            return try drive(f, avatar, theta: motion.theta, z: motion.z)
        } }
    }

    /// Free-view rendering: `avatar` under an explicit head `pose` (no driver image), with the
    /// source's own expression, or `expression` `[1, Z]` when given (e.g. a driver's `driver.z`).
    /// Start from `avatar.sourcePose` and change yaw/pitch/roll/translation for a turntable.
    public func renderFrame(avatar: Avatar, pose: HeadPose, expression: Tensor? = nil, recorder: StageRecorder? = nil) throws -> Tensor {
        try checkAvatar(avatar)
        try pose.validate()
        if let expression, expression.shape != [1, config.zChannels] {
            throw AvatarError.invalidPose("expression must be [1, \(config.zChannels)], got \(expression.shape)")
        }
        let f = forward(recorder)
        return try Self.explainingDeviceMemory(config, device: engine.name) { try f.stage("frame") {
            let theta = pose.matrix(angleMin: config.poseAngleMin, angleMax: config.poseAngleMax)
            try f.record("driver.theta", Matrix4.tensor(theta))
            let z = try engine.resident(expression ?? avatar.sourceExpression)
            return try drive(f, avatar, theta: theta, z: z)
        } }
    }

    /// Uploads a loaded avatar's tensors to this network's engine once (a host avatar would
    /// otherwise be uploaded on every frame).
    public func resident(_ avatar: Avatar) throws -> Avatar {
        try checkAvatar(avatar)
        var resident = try Self.explainingDeviceMemory(config, device: engine.name) { Avatar(config: avatar.config, es: try engine.resident(avatar.es), canonicalVolume: try engine.resident(avatar.canonicalVolume),
                              sourcePose: avatar.sourcePose, sourceExpression: try engine.resident(avatar.sourceExpression)) }
        resident.weightsFingerprint = avatar.weightsFingerprint
        return resident
    }

    /// The per-frame path after the motion encoder: embedding, W_{→d}, expression warp then rigid warp
    /// of v_c, projection, G2D.
    private func drive(_ f: ModelForward, _ avatar: Avatar, theta: [Double], z: Tensor) throws -> Tensor {
        let es = try engine.resident(avatar.es)
        let canonical = try engine.resident(avatar.canonicalVolume)
        let embedding = try f.stage("embedding") { try layout.embedding(f, z: z, es: es) }
        try f.record("driver.embedding", embedding)
        let (grid, delta) = try f.stage("warp.driver") { try layout.warpDriver(f, embedding: embedding) }
        try f.record("warp.driver.delta", delta)
        try f.record("warp.driver.grid", grid)
        let driven = try f.stage("sampling") {
            let rigid = try rigidGrid(theta)
            try f.record("warp.driver.rigid", rigid)
            let v = try sample(canonical, grid)
            try f.record("volume.driven.expression", v)
            let w = try sample(v, rigid)
            try f.record("volume.driven", w)
            return w
        }
        let projected = try f.stage("projection") { try layout.g2d.project(f, driven) }
        try f.record("projection", projected)
        let image = try f.stage("g2d") { try layout.g2d.decode(f, projected) }
        try f.record("image", image)
        return image
    }

    // MARK: - Helpers

    /// `affine_grid(M[:3, :], [1, 1, D, H, W], align_corners=True)`: [u, v, w, 1]·M[:3]ᵀ.
    private func rigidGrid(_ matrix: [Double]) throws -> Tensor {
        try engine.affineGrid(theta: engine.resident(Matrix4.top3x4(matrix)),
                              size: [1, 1, config.volumeDepth, config.volumeSize, config.volumeSize], alignCorners: true)
    }

    /// The volume warp: trilinear `grid_sample` with the config's padding and align_corners.
    private func sample(_ volume: Tensor, _ grid: Tensor) throws -> Tensor {
        try engine.gridSample(volume, grid: grid, mode: .bilinear, padding: config.gridPaddingMode == "border" ? .border : .zeros,
                              alignCorners: config.gridAlignCorners)
    }

    private func checkImage(_ t: Tensor, role: String, channels: Int) throws {
        let s = config.imageSize
        guard t.rank == 4, t.shape[0] == 1, t.shape[1] == channels else {
            throw AvatarError.invalidImage(role: role, problem: .layout(expected: [1, channels, s, s], found: t.shape))
        }
        let (h, w) = (t.shape[2], t.shape[3])
        guard h == w else { throw AvatarError.invalidImage(role: role, problem: .notSquare(height: h, width: w)) }
        guard h >= s else { throw AvatarError.invalidImage(role: role, problem: .tooSmall(side: h, required: s)) }
        guard h == s else { throw AvatarError.invalidImage(role: role, problem: .tooLarge(side: h, required: s)) }
        if let v = t.hostValues, !v.allSatisfy({ $0.isFinite }) {
            throw AvatarError.invalidImage(role: role, problem: .notFinite)
        }
    }

    private func checkAvatar(_ avatar: Avatar) throws {
        let differences = avatar.config.differences(from: config)
        guard differences.isEmpty else {
            throw AvatarError.incompatibleAvatar(avatarConfig: avatar.config.name, networkConfig: config.name, differences: differences)
        }
        if let made = avatar.weightsFingerprint, made != weightsFingerprint {
            throw AvatarError.weightsMismatch(avatarWeights: made, networkWeights: weightsFingerprint)
        }
    }

    /// `source · mask` on the host (mask broadcast over channels); the source itself without a mask.
    private func applyMask(_ source: Tensor, _ mask: Tensor?) throws -> Tensor {
        guard let mask else { return source }
        var x = try engine.values(source)
        let m = try engine.values(mask)
        let plane = m.count
        for c in 0..<(x.count / plane) { for i in 0..<plane { x[c * plane + i] *= m[i] } }
        return Tensor(shape: source.shape, values: x)
    }
}
