import ArgumentParser
import Avatar
import Kernels
import LivePortrait
import Runtime

// The network seam (`PortraitModel`, `PortraitSource`, `ClipRenderer`, `OfficialResize`) lives in
// NetworkCore, the families in `NetworkRegistry` (PortraitKit). What is left here are the
// drivers only the CLI reads: LivePortrait's motion files and named expression edits.

extension ClipRenderer {
    /// The next frame: the source with a named expression and head edit (LivePortrait only).
    func render(edit: ExpressionEdit, recorder: StageRecorder?) throws -> Tensor {
        guard let clip = self as? LivePortraitClip else {
            throw ValidationError("--edit and --edit-csv edit LivePortrait's implicit keypoints; use a LivePortrait config (--model liveportrait)")
        }
        return try clip.render(edit: edit, recorder: recorder)
    }

    /// The next frame driven by a motion read earlier (a motion file's frame; LivePortrait only).
    func render(motion: LivePortraitMotion, recorder: StageRecorder?) throws -> Tensor {
        guard let clip = self as? LivePortraitClip else {
            throw ValidationError("motion files hold LivePortrait's implicit keypoints; use a LivePortrait config (--model liveportrait) or drive with the clip itself")
        }
        return try clip.render(motion: motion, recorder: recorder)
    }

    /// Passes over a motion file's frame (LivePortrait: the first is the clip's reference).
    func skip(motion: LivePortraitMotion) throws {
        try (self as? LivePortraitClip)?.skip(motion: motion)
    }
}
