import ArgumentParser
import FewShot
import Kernels
import NetworkCore

/// Where `profile` and `compare` take a few-shot network's 68 points from: their default
/// pictures are synthetic and hold no face.
enum FewShotFacePoints {
    /// For `profile`'s synthetic pictures (no face in them): a few-shot `model` draws the stand-in
    /// face layout (`TemplateFacePoints`) instead of searching for a face; a note says so.
    static func useTemplateFace(_ model: any PortraitModel, quiet: Bool) {
        guard let fewShot = model as? FewShotModel else { return }
        fewShot.facePoints = TemplateFacePoints()
        if !quiet { printError("portrait: the synthetic pictures hold no face: the few-shot landmark images draw a fixed stand-in face (the dense-landmark model is not run)") }
    }

    /// For `compare`: both few-shot networks take the same 68 points for a picture, found once per
    /// picture by one CPU dense-landmark model for real pictures (`pictures`: source and driver
    /// given), or the stand-in face for synthetic ones; one real and one synthetic is refused.
    static func shareFacePoints(_ a: any PortraitModel, _ b: any PortraitModel, pictures: (source: Bool, driver: Bool), quiet: Bool) throws {
        guard let x = a as? FewShotModel, let y = b as? FewShotModel else { return }
        guard pictures.source == pictures.driver else {
            throw ValidationError("compare --model fewshot takes both --source and --driver pictures (their landmarks are found in them), or neither (synthetic pictures with a stand-in face)")
        }
        if pictures.source {
            let shared = MeshFacePoints(engine: Engine.cpu())
            (x.facePoints, y.facePoints) = (shared, shared)
        } else {
            useTemplateFace(x, quiet: quiet)
            y.facePoints = x.facePoints
        }
    }
}
