#if canImport(Media)
import ArgumentParser
import Disclosure
import Foundation
import Media

/// `portrait plan`: the part of a render that spans the whole clip, computed once for all shards.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Prepare a sharded render: the clip's face track, frame count, keyframe interval and render id, in one file.",
        discussion: """
            Every shard (`portrait render --plan FILE --shard I/N ...`) reads this file, so that the pieces agree on what \
            spans the clip: the face crop of every frame (--crop auto follows and smooths the face over the whole clip), \
            where the pieces are cut and the watermark's render id. `portrait merge` then joins the segments; the merged \
            video's frames are those of a one-machine render with the same plan. See docs/scale-out.md.
            """)

    @Option(help: "The driving video.")
    var driver: String

    @Option(help: "Plan at most this many frames.")
    var frames: Int?

    @OptionGroup var framing: CropOptions

    @Option(help: "The network the face crops are for (its official framing): megaportraits or liveportrait.")
    var model: ModelFamily = .megaportraits

    @Option(name: .customLong("keyframe-interval"), help: "Frames per independently encoded run; pieces are cut on multiples of it (default: 2 s of frames).")
    var keyframeInterval: Int?

    @Option(name: .shortAndLong, help: "The plan file to write (JSON).")
    var output: String

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if let keyframeInterval, keyframeInterval < 1 { throw ValidationError("--keyframe-interval must be at least 1") }
        try framing.check(roles: [.driver], command: "plan")
    }

    func run() throws {
        try reportingErrors {
            let reader = try VideoReader(path: driver)
            let total = min(try VideoReader.countFrames(driver), frames ?? .max)
            guard total > 0 else { throw MediaError.noFrames(path: driver) }
            var crops: [[Int]]?
            var detectors: [String?]?
            var framedBy = ""
            if framing.driver.choice == .auto {
                let locator = try FaceLocator(engine: try deviceOptions.makeEngine(), family: model, detector: framing.detector)
                let track = try locator.trackedFaces(video: driver, frames: total, options: framing)
                crops = track.crops.prefix(total).map { [$0.x, $0.y, $0.size] }
                detectors = Array(track.detectors.prefix(total))
                framedBy = Self.framingSummary(detectors ?? [], family: model)
            }
            let id = RenderDisclosure.fixedRenderID ?? WatermarkPayload.random().renderID
            let plan = RenderPlan(driver: driver, driverWidth: reader.width, driverHeight: reader.height, frameRate: reader.frameRate.description,
                                  driverDuration: reader.duration, driverDigest: try VideoReader.packetDigest(driver), model: model.rawValue,
                                  cropOptions: framing.planSignature,
                                  frames: total, keyframeInterval: keyframeInterval ?? Self.defaultInterval(reader.frameRate.framesPerSecond),
                                  renderID: String(format: "%08x", id), crops: crops, cropDetectors: detectors)
            try plan.write(to: output)
            print("wrote plan \(output): \(total) frames, pieces cut every \(plan.keyframeInterval) frames, render id \(plan.renderID)"
                  + (crops == nil ? "" : ", face track of \(total) crops (\(framedBy))"))
        }
    }

    /// How the planned frames' crops were framed, e.g. "94 frames framed by MediaPipe, the official
    /// EMOPortraits crop of its BlazeFace box; 2 by YuNet, ...", from each frame's detector.
    static func framingSummary(_ detectors: [String?], family: ModelFamily) -> String {
        var parts: [String] = []
        for (name, dense) in [(DetectorChoice.mediapipe.rawValue, true), (DetectorChoice.yunet.rawValue, false)] {
            let count = detectors.filter { $0 == name }.count
            guard count > 0 else { continue }
            let rule = LocatedFace.framingRule(dense: dense, for: family)
            parts.append("\(count) frame\(count == 1 ? "" : "s") framed by \(rule)")
        }
        let missing = detectors.filter { $0 == nil }.count
        if missing > 0 { parts.append("\(missing) without the face, keeping the previous crop") }
        return parts.joined(separator: "; ")
    }

    /// Two seconds of frames (at least 1): a keyframe every two seconds, as streaming services use.
    static func defaultInterval(_ framesPerSecond: Double) -> Int { max(1, Int((2 * framesPerSecond).rounded())) }
}
#endif
