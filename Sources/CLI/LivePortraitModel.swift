import Avatar
import Foundation
import Kernels
import LivePortrait
import Runtime

/// LivePortrait as a `PortraitModel`: the source state is f_s and the source's keypoints; a clip
/// remembers its first driving frame's motion, against which every frame's motion is taken
/// (relative motion, the official default).
final class LivePortraitModel: PortraitModel {
    let network: LivePortraitNetwork
    /// The per-frame composition (`--no-stitching`, `--region`, retargeting ...).
    let options: LivePortraitOptions

    init(network: LivePortraitNetwork, options: LivePortraitOptions) {
        self.network = network
        self.options = options
    }

    var engine: Engine { network.engine }
    var configName: String { network.config.name }
    var inputSize: Int { network.config.imageSize }
    var outputSize: Int { network.config.outputSize }
    var weightsFingerprint: String { network.weightsFingerprint }
    var flopTable: [StageFlops] { network.flopTable }
    var acceptsSourceMask: Bool { false }
    var imageStage: String { "frame.image" }
    /// The official code crops with `cv2.warpAffine` and resizes 8-bit pictures with OpenCV (`ResizeFilter.opencv`).
    var officialResize: OfficialResize { .opencv }

    func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        try network.makeSource(image: image, recorder: recorder)
    }

    func loadSource(path: String) throws -> any PortraitSource { try network.loadSource(path: path) }

    func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer {
        guard let source = source as? LivePortraitSource else { throw WrongSourceKind(expected: "LivePortrait") }
        var clipOptions = options
        clipOptions.stillDriver = stillDriver
        return LivePortraitClip(network: network, source: source, options: clipOptions)
    }
}

extension LivePortraitSource: PortraitSource {}

/// One LivePortrait clip: the first driving frame's motion is the reference of every frame.
final class LivePortraitClip: ClipRenderer {
    let network: LivePortraitNetwork
    let source: LivePortraitSource
    let options: LivePortraitOptions
    private var firstMotion: LivePortraitMotion?

    init(network: LivePortraitNetwork, source: LivePortraitSource, options: LivePortraitOptions) {
        self.network = network
        self.source = source
        self.options = options
    }

    func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor {
        try render(motion: try network.motion(of: driver, recorder: recorder, recordAs: "driver"), recorder: recorder)
    }

    /// The next frame driven by `motion` (a driving frame's, read now or from a motion file),
    /// relative to the clip's first.
    func render(motion: LivePortraitMotion, recorder: StageRecorder?) throws -> Tensor {
        let first = firstMotion ?? motion
        firstMotion = first
        return try network.renderFrame(source: source, driverMotion: motion, firstDriverMotion: first, options: options, recorder: recorder)
    }

    /// The first skipped frame's motion is the clip's reference, as if it had been rendered.
    func skip(driver: () throws -> Tensor) throws {
        guard firstMotion == nil else { return }
        firstMotion = try network.motion(of: driver(), recorder: nil, recordAs: "driver")
    }

    /// The first skipped frame's motion is the clip's reference, as if it had been rendered.
    func skip(motion: LivePortraitMotion) throws {
        if firstMotion == nil { firstMotion = motion }
    }

    /// The source with `edit` applied: its own motion, edited, taken relative to itself, so an
    /// empty edit renders the source as it is (stitching as the options say; no retargeting).
    func render(edit: ExpressionEdit, recorder: StageRecorder?) throws -> Tensor {
        var editOptions = options
        editOptions.stillDriver = false
        return try network.renderFrame(source: source, driverMotion: source.motion.edited(edit), firstDriverMotion: source.motion,
                                       options: editOptions, recorder: recorder)
    }

    /// The source under an absolute head pose (radians, as `--pose` gives them): its own motion
    /// with the pose's angles (and the pose's x/y translation added), taken relative to the
    /// source's own motion, so the rotation is exactly the pose's and the expression the source's.
    func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor {
        var motion = source.motion
        let degrees = 180 / Double.pi
        motion.pitch = pose.pitch * degrees
        motion.yaw = pose.yaw * degrees
        motion.roll = pose.roll * degrees
        for axis in 0..<min(2, motion.translation.count, pose.translation.count) { motion.translation[axis] += pose.translation[axis] }
        return try network.renderFrame(source: source, driverMotion: motion, firstDriverMotion: source.motion, options: options, recorder: recorder)
    }
}
