import Kernels
import NetworkCore
import Runtime

/// One animated face: a network (shared or its own), one per-source state and the state of the
/// clip being rendered. It turns one driving picture (or head pose) into one output picture; the
/// caller frames pictures and reads and writes media. Several faces animated at once take one
/// session each over the same `model` (the source and clip state are per session; the weights are
/// the model's). Not thread-safe: sessions sharing a model (or an engine) must be used from one
/// thread at a time.
public final class PortraitSession {
    /// The network every frame runs.
    public let model: any PortraitModel
    /// The per-source state, once set (`setSource`, `loadSource`, `init(model:source:)`).
    public private(set) var source: (any PortraitSource)?
    /// Whether clips treat their driver as one still picture (LivePortrait's relative mode then
    /// takes the expression relative to a neutral one); takes effect at the next clip.
    public var stillDriver: Bool
    private var currentClip: (any ClipRenderer)?

    /// Where every op runs.
    public var engine: Engine { model.engine }

    /// A session on `model`, with `source` when one is already made, for a video-like driver
    /// unless `stillDriver`.
    public init(model: any PortraitModel, source: (any PortraitSource)? = nil, stillDriver: Bool = false) {
        self.model = model
        self.source = source
        self.stillDriver = stillDriver
    }

    /// A session on the network `config` (its family found by the registry) with `weights` on `engine`.
    public convenience init(config: String, weights: WeightsChoice, engine: Engine) throws {
        self.init(model: try NetworkRegistry.makeModel(config: config, weights: weights, engine: engine))
    }

    /// Makes the per-source state of `image` `[1, 3, S, S]` (S = `model.inputSize`, RGB in [0, 1])
    /// with an optional face mask `[1, 1, S, S]` (only networks with `acceptsSourceMask`), and
    /// starts a new clip at the next frame.
    public func setSource(image: Tensor, mask: Tensor? = nil, recorder: StageRecorder? = nil) throws {
        try checkSquare(image, channels: 3, role: "source picture")
        if let mask {
            guard model.acceptsSourceMask else {
                throw SessionError.invalidInput("\(model.configName) reads no source mask; pass none")
            }
            try checkSquare(mask, channels: 1, role: "source mask")
        }
        setSource(try model.makeSource(image, mask: mask, recorder: recorder))
    }

    /// Makes the per-source state of several pictures of one person, each `[1, 3, S, S]` (a
    /// few-shot network averages them; a one-shot network takes exactly one and refuses more with
    /// `SeveralSourcesRefused`), and starts a new clip at the next frame.
    public func setSource(images: [Tensor], mask: Tensor? = nil, recorder: StageRecorder? = nil) throws {
        if images.count == 1 { return try setSource(image: images[0], mask: mask, recorder: recorder) }
        guard images.count >= 1, images.count <= model.maxSourcePictures else {
            throw SeveralSourcesRefused(network: model.configName, given: images.count, allowed: model.maxSourcePictures)
        }
        for image in images { try checkSquare(image, channels: 3, role: "source picture") }
        if mask != nil { throw SessionError.invalidInput("\(model.configName) reads no source mask; pass none") }
        setSource(try model.makeSource(images, mask: nil, recorder: recorder))
    }

    /// Uses `source` (made by this model, or loaded) and starts a new clip at the next frame.
    public func setSource(_ source: any PortraitSource) {
        self.source = source
        currentClip = nil
    }

    /// Reads a per-source state saved by `saveSource` (checked against the model's config and weights).
    public func loadSource(path: String) throws {
        setSource(try model.loadSource(path: path))
    }

    /// Writes the per-source state atomically to `path` (safetensors).
    public func saveSource(to path: String) throws {
        try requireSource().save(to: path, engine: engine)
    }

    /// Ends the current clip: the next frame starts a new one (a relative-motion network takes its
    /// next driving frame as the new reference).
    public func restartClip() { currentClip = nil }

    /// The clip being rendered, started on first use.
    public func clip() throws -> any ClipRenderer {
        if let currentClip { return currentClip }
        let started = try model.startClip(source: try requireSource(), stillDriver: stillDriver)
        currentClip = started
        return started
    }

    /// The next frame driven by `driver` `[1, 3, S, S]` (RGB in [0, 1]): `[1, 3, O, O]` (O =
    /// `model.outputSize`) in [0, 1], resident on `engine`.
    public func render(driver: Tensor, recorder: StageRecorder? = nil) throws -> Tensor {
        try checkSquare(driver, channels: 3, role: "driving picture")
        return try clip().render(driver: driver, recorder: recorder)
    }

    /// The next frame with the head at `pose` (radians) and the source's own expression.
    public func render(pose: HeadPose, recorder: StageRecorder? = nil) throws -> Tensor {
        try clip().render(pose: pose, recorder: recorder)
    }

    /// Passes over a driving frame without rendering it, keeping what later frames depend on.
    public func skip(driver: () throws -> Tensor) throws {
        try clip().skip(driver: driver)
    }

    private func requireSource() throws -> any PortraitSource {
        guard let source else { throw SessionError.noSource }
        return source
    }

    private func checkSquare(_ tensor: Tensor, channels: Int, role: String) throws {
        let size = model.inputSize
        guard tensor.shape == [1, channels, size, size] else {
            throw SessionError.invalidInput("the \(role) must be [1, \(channels), \(size), \(size)] (\(model.configName) reads \(size)×\(size) crops), got \(tensor.shape); crop and resize it first")
        }
    }
}

/// A session used out of order or with input it cannot honour.
public enum SessionError: Error, CustomStringConvertible, Equatable {
    /// A frame was asked for before any source was set.
    case noSource
    /// An input of the wrong shape or kind.
    case invalidInput(String)

    /// The message.
    public var description: String {
        switch self {
        case .noSource: return "no source yet: set a source picture (or load a saved source) before rendering frames"
        case .invalidInput(let message): return message
        }
    }
}
