import Avatar
import Kernels
import LivePortrait
import Runtime

/// A network's official input resampling: a property of the network, not a CLI default.
enum OfficialResize {
    /// PyTorch's bicubic on float crops, clipped (the official EMOPortraits inference).
    case pytorchBicubic
    /// OpenCV on 8-bit pictures: the cropper's `warpAffine` + `INTER_AREA`, `INTER_LINEAR` without a crop (LivePortrait).
    case opencv
}

/// A head-avatar network the CLI runs, whichever it is (MegaPortraits, LivePortrait): build the
/// per-source state once, then render the frames of one clip from driver images or head poses.
/// `ModelOptions.makeModel` picks the network from `--model` or the config.
protocol PortraitModel: AnyObject {
    /// Where every op runs.
    var engine: Engine { get }
    /// The config's name (`megaportraits-512`, `liveportrait`, ...), shown and written in labels.
    var configName: String { get }
    /// Side of the square source and driver crops the network reads.
    var inputSize: Int { get }
    /// Side of the square image it renders.
    var outputSize: Int { get }
    /// A digest of the weights (saved sources record it; disclosure labels carry it).
    var weightsFingerprint: String { get }
    /// The analytic FLOPs of each profiling stage (`avatar/...` once per source, `frame/...` per frame).
    var flopTable: [StageFlops] { get }
    /// Whether the network reads a face mask with its source (MegaPortraits' `--source-mask`).
    var acceptsSourceMask: Bool { get }
    /// The recorded stage name of a frame's final image (for `compare`'s PSNR line).
    var imageStage: String { get }
    /// How its official code turns a picture into the network's input (`InputOptions.filter(for:)`
    /// maps it to the media filter).
    var officialResize: OfficialResize { get }

    /// The per-source state of `image` `[1, 3, S, S]` (S = `inputSize`, RGB in [0, 1]), with an
    /// optional face mask `[1, 1, S, S]`; resident on `engine`.
    func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource
    /// A per-source state saved by `PortraitSource.save` (checked against this network's config
    /// and weights), made resident.
    func loadSource(path: String) throws -> any PortraitSource
    /// A renderer for one clip driven against `source` (relative-motion networks remember the
    /// clip's first driving frame in it); `stillDriver`: the driver is one picture, not a video
    /// (LivePortrait's relative mode then takes its expression relative to a neutral one).
    func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer
}

/// A network's per-source state: what the per-frame path reads.
protocol PortraitSource {
    /// Writes it atomically as a safetensors file that `PortraitModel.loadSource` reads.
    func save(to path: String, engine: Engine) throws
}

/// Renders the frames of one clip, in order.
protocol ClipRenderer: AnyObject {
    /// The next frame driven by `driver` `[1, 3, S, S]` (RGB in [0, 1]): `[1, 3, O, O]` in [0, 1].
    func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor
    /// The next frame with the head at `pose` and the source's own expression.
    func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor
    /// The next frame: the source with a named expression and head edit (LivePortrait).
    func render(edit: ExpressionEdit, recorder: StageRecorder?) throws -> Tensor
    /// The next frame driven by a motion read earlier (a motion file's frame; LivePortrait).
    func render(motion: LivePortraitMotion, recorder: StageRecorder?) throws -> Tensor
    /// Passes over a driving frame that is not rendered (an earlier shard's, or one a resumed
    /// render kept), taking from it what later frames depend on (a relative-motion clip's first
    /// frame); `driver` makes the frame's tensor only when it is needed.
    func skip(driver: () throws -> Tensor) throws
    /// The same for a motion file's frame.
    func skip(motion: LivePortraitMotion) throws
}

extension ClipRenderer {
    /// Frames independent of each other: nothing to take.
    func skip(driver: () throws -> Tensor) throws {}
    /// Frames independent of each other: nothing to take.
    func skip(motion: LivePortraitMotion) throws {}
}

extension PortraitModel {
    /// A renderer for a clip driven by a video or by poses (`startClip(source:stillDriver: false)`).
    func startClip(source: any PortraitSource) throws -> any ClipRenderer { try startClip(source: source, stillDriver: false) }

    /// Total FLOPs per source (`perFrame == false`) or per frame.
    func totalFlops(perFrame: Bool) -> Double {
        flopTable.filter { $0.perFrame == perFrame }.reduce(0) { $0 + $1.flops }
    }
}

/// The error for a per-source state made by another network family.
struct WrongSourceKind: Error, CustomStringConvertible {
    let expected: String
    var description: String { "this source state was not made by a \(expected) network (use the same --model and --config it was made with)" }
}
