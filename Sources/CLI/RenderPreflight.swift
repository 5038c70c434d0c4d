#if canImport(Media)
import ArgumentParser
import Foundation
import Media

/// `portrait render`'s checks before any decoding or network work: the output (kind, folder,
/// audio, one-frame outputs given many frames), `--stages`, a saved avatar's network against
/// `--model`/`--config`, and a shard plan against the driver and options it was made for.
struct RenderPreflight {
    let command: RenderCommand

    func run() throws {
        let c = command
        let sharded = c.scaleOut.shard != nil || c.scaleOut.shards != nil
        let video = c.driver.map { !ImageReader.isPicture(atPath: $0) && !LandmarkTrack.isLandmarksFile($0) } ?? false
        let drivenAudio = video && !c.noAudio && !sharded && (c.audioFrom ?? .driver) == .driver
        let kind = try OutputPreflight.checkRender(c.output, audioSource: drivenAudio ? c.driver : nil)
        if sharded && kind != .video {
            throw OutputProblem(path: c.output, option: "-o", reason: "a shard writes a video segment: give -o OUT.mp4 (segments OUT.part-I-of-N.mp4)")
        }
        if kind == .png || kind == .tensor, let count = frameCount(video: video), count > 1 {
            throw OutputProblem(path: c.output, option: "-o", reason: "holds one frame, but this render makes \(count); add --frames 1, or write OUT.mp4 or DIR/")
        }
        if let stages = c.stages { try OutputPreflight.checkFile(stages, option: "--stages", extensions: ["safetensors"]) }
        let model = try c.model.adopting(savedSource: c.avatar)
        if let planPath = c.scaleOut.plan { try checkPlan(planPath, family: model.family, video: video) }
    }

    /// Frames the render makes (at most `--frames`), when cheaply known.
    private func frameCount(video: Bool) -> Int? {
        let c = command
        let count: Int?
        if let pose = c.pose { count = (try? PoseParser.parse(list: pose))?.count }
        else if c.poseSweep != nil { count = c.frames ?? 48 }
        else if let csv = c.poseCSV { count = (try? PoseParser.csv(csv))?.count }
        else if let driver = c.driver, LandmarkTrack.isLandmarksFile(driver) { count = (try? LandmarkTrack.load(path: driver, face: 0))?.frames.count }
        else if let driver = c.driver { count = video ? (try? VideoReader(path: driver))?.frameCountEstimate : 1 }
        else { count = nil }
        return count.map { min($0, c.frames ?? .max) }
    }

    /// Throws unless the plan at `path` was made for this driver, frame count, crop options and family.
    private func checkPlan(_ path: String, family: ModelFamily, video: Bool) throws {
        let plan = try RenderPlan.load(path)
        guard let driver = command.driver, video else {
            throw PlanMismatch(plan: path, planned: plan.driver, differences: ["no driving video (a plan is made for one: give --driver \(plan.driver))"])
        }
        let differences = try plan.mismatches(driver: driver, reader: try VideoReader(path: driver), frames: command.frames,
                                              cropOptions: command.framing.planSignature, family: family)
        guard differences.isEmpty else { throw PlanMismatch(plan: path, planned: plan.driver, differences: differences) }
    }
}

extension CropOptions {
    /// The driver's framing as a plan records it (`--driver-crop`/`--driver-face` or the shared
    /// `--crop`/`--face` they override, and the smoothing): a render must frame its driver as planned.
    var planSignature: String {
        let role = driver
        let choice: String
        switch role.choice {
        case .auto: choice = "auto (detector \(detector.rawValue))"
        case .none: choice = "none"
        case .fixed(let box): choice = "\(box.x),\(box.y),\(box.size)"
        }
        return "driver crop \(choice), face \(role.face), smoothing \(cropSmoothing.map(String.init) ?? "default") by \(cropSmoothingBy.rawValue)"
    }
}

/// A shard plan used for another render than the one it plans.
struct PlanMismatch: Error, CustomStringConvertible {
    let plan: String
    let planned: String
    let differences: [String]
    var description: String {
        "the plan \(plan) was made for another render (of \(planned)): \(differences.joined(separator: "; ")); render with the planned driver and options, or make a new plan with `portrait plan`"
    }
}
#endif
