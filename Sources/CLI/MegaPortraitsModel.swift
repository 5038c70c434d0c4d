import ArgumentParser
import Avatar
import LivePortrait
import Kernels
import Runtime

/// MegaPortraits (and EMOPortraits' base network) as a `PortraitModel`: the avatar is its
/// per-source state and frames are independent of each other.
extension Network: PortraitModel {
    var configName: String { config.name }
    var inputSize: Int { config.imageSize }
    var outputSize: Int { config.imageSize }
    var acceptsSourceMask: Bool { true }
    var imageStage: String { "image" }

    func makeSource(_ image: Tensor, mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        try makeAvatar(source: image, mask: mask, recorder: recorder)
    }

    func loadSource(path: String) throws -> any PortraitSource {
        try resident(try Avatar.load(path: path, config: config))
    }

    /// MegaPortraits drives with the driver's own pose and expression, so a still driver needs nothing else.
    /// The official EMOPortraits inference resizes its float face crops with PyTorch's bicubic, clipped.
    var officialResize: OfficialResize { .pytorchBicubic }

    func startClip(source: any PortraitSource, stillDriver: Bool) throws -> any ClipRenderer {
        guard let avatar = source as? Avatar else { throw WrongSourceKind(expected: "MegaPortraits") }
        return MegaPortraitsClip(network: self, avatar: avatar)
    }
}

extension Avatar: PortraitSource {}

/// A MegaPortraits clip: every frame renders from the avatar alone.
final class MegaPortraitsClip: ClipRenderer {
    let network: Network
    let avatar: Avatar

    init(network: Network, avatar: Avatar) {
        self.network = network
        self.avatar = avatar
    }

    func render(driver: Tensor, recorder: StageRecorder?) throws -> Tensor {
        try network.renderFrame(avatar: avatar, driver: driver, recorder: recorder)
    }

    /// Motion files hold LivePortrait's implicit keypoints; MegaPortraits has none.
    func render(motion: LivePortraitMotion, recorder: StageRecorder?) throws -> Tensor {
        throw ValidationError("motion files hold LivePortrait's implicit keypoints; use a LivePortrait config (--model liveportrait) or drive with the clip itself")
    }

    /// Named expression edits are LivePortrait's (its implicit keypoints); MegaPortraits has none.
    func render(edit: ExpressionEdit, recorder: StageRecorder?) throws -> Tensor {
        throw ValidationError("--edit and --edit-csv edit LivePortrait's implicit keypoints; use a LivePortrait config (--model liveportrait)")
    }

    func render(pose: HeadPose, recorder: StageRecorder?) throws -> Tensor {
        try network.renderFrame(avatar: avatar, pose: pose, recorder: recorder)
    }
}
