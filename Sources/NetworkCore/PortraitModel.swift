import Kernels
import Runtime

/// A network's official input resampling: a property of the network, not of a front end.
public enum OfficialResize: String, Sendable {
    /// PyTorch's bicubic on float crops, clipped (the official EMOPortraits inference).
    case pytorchBicubic
    /// OpenCV on 8-bit pictures: the cropper's `warpAffine` + `INTER_AREA`, `INTER_LINEAR` without a crop (LivePortrait).
    case opencv
}

/// The face crop a network's official inference takes around a detected face (a front end maps it
/// to its face framer; the networks know no detector).
public enum OfficialFaceCrop: String, Sendable {
    /// EMOPortraits' crop around the face box.
    case emoPortraits
    /// LivePortrait's cropper.
    case livePortrait
}

/// A one-shot head-avatar network of any family (MegaPortraits, LivePortrait, ...) bound to weights
/// on one engine: build the per-source state once (`makeSource`), then render the frames of a
/// clip (`startClip`) from driving pictures or head poses. `NetworkRegistry` (PortraitKit) makes one
/// from a config; `PortraitSession` drives one. Not thread-safe: one thread at a time per model
/// (its engine's queue is shared by everything it runs).
public protocol PortraitModel: AnyObject {
    /// Where every op runs.
    var engine: Engine { get }
    /// The config's name (`megaportraits-512`, `liveportrait`, ...), shown and written in labels.
    var configName: String { get }
    /// The config as JSON (saved sources record it).
    var configJSON: String { get }
    /// Side of the square source and driver crops the network reads.
    var inputSize: Int { get }
    /// Side of the square image it renders.
    var outputSize: Int { get }
    /// A digest of the weights (saved sources record it; disclosure labels carry it).
    var weightsFingerprint: String { get }
    /// The analytic FLOPs of each profiling stage (`avatar/...` once per source, `frame/...` per frame).
    var flopTable: [StageFlops] { get }
    /// The profiling stage names (`avatar/...`, `frame/...`) in the order they run.
    var stageNames: [String] { get }
    /// Device memory the network needs (weights, per-source state and working set) in bytes, when
    /// the family can estimate it; nil when it cannot.
    var deviceMemoryEstimate: Int? { get }
    /// Whether the network reads a face mask with its source (MegaPortraits' `--source-mask`).
    var acceptsSourceMask: Bool { get }
    /// The recorded stage name of a frame's final image (for `compare`'s PSNR line).
    var imageStage: String { get }
    /// How its official code turns a picture into the network's input.
    var officialResize: OfficialResize { get }

    /// The per-source state of `image` `[1, 3, S, S]` (S = `inputSize`, RGB in [0, 1]), with an
    /// optional face mask `[1, 1, S, S]`; resident on `engine`.
    func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource
    /// How many source pictures of one person one per-source state may combine: 1 for a one-shot
    /// network (the default), more for a few-shot one (its identity averages them).
    var maxSourcePictures: Int { get }
    /// The per-source state of `images`, each `[1, 3, S, S]` (one person's pictures; at most
    /// `maxSourcePictures`). A one-shot network takes exactly one (`makeSource(_:mask:recorder:)`)
    /// and refuses more with `SeveralSourcesRefused`.
    func makeSource(_ images: [Tensor], mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource
    /// A per-source state saved by `PortraitSource.save` (checked against this network's config
    /// and weights), made resident.
    func loadSource(path: String) throws -> any PortraitSource
    /// A renderer for one clip driven against `source` (relative-motion networks remember the
    /// clip's first driving frame in it); `stillDriver`: the driver is one picture, not a video
    /// (LivePortrait's relative mode then takes its expression relative to a neutral one).
    func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer
}

/// A network's per-source state: what the per-frame path reads. Immutable once made, so several
/// clips (and sessions) may share one.
public protocol PortraitSource {
    /// Writes it atomically as a safetensors file that `PortraitModel.loadSource` reads.
    func save(to path: String, engine: Engine) throws
}

/// Renders the frames of one clip, in order. Holds per-clip state (a relative-motion network's
/// first driving frame): one renderer per clip, one thread at a time.
public protocol ClipRenderer: AnyObject {
    /// The next frame driven by `driver` `[1, 3, S, S]` (RGB in [0, 1]): `[1, 3, O, O]` in [0, 1].
    func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor
    /// The next frame with the head at `pose` (radians) and the source's own expression.
    func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor
    /// Passes over a driving frame that is not rendered (an earlier shard's, or one a resumed
    /// render kept), taking from it what later frames depend on (a relative-motion clip's first
    /// frame); `driver` makes the frame's tensor only when it is needed.
    func skip(driver: () throws -> Tensor) throws
}

extension ClipRenderer {
    /// Frames independent of each other: nothing to take.
    public func skip(driver: () throws -> Tensor) throws {}
}

extension PortraitModel {
    /// A renderer for a clip driven by a video or by poses (`startClip(source:stillDriver: false)`).
    public func startClip(source: any PortraitSource) throws -> any ClipRenderer { try startClip(source: source, stillDriver: false) }

    /// Total FLOPs per source (`perFrame == false`) or per frame.
    public func totalFlops(perFrame: Bool) -> Double {
        flopTable.filter { $0.perFrame == perFrame }.reduce(0) { $0 + $1.flops }
    }

    /// The stage names of the FLOP table, in its order.
    public var stageNames: [String] { flopTable.map(\.stage) }
}

/// The error for a per-source state made by another network family.
public struct WrongSourceKind: Error, CustomStringConvertible {
    /// The family the source was expected to come from.
    public let expected: String
    /// An error for a source not made by an `expected` network.
    public init(expected: String) { self.expected = expected }
    /// The message.
    public var description: String { "this source state was not made by a \(expected) network (use the same --model and --config it was made with)" }
}
