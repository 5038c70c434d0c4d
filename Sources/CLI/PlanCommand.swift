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
            if framing.driver.choice == .auto {
                let locator = try FaceLocator(engine: try deviceOptions.makeEngine(), family: model, detector: framing.detector)
                let track = try locator.track(video: driver, frames: total, options: framing)
                crops = track.prefix(total).map { [$0.x, $0.y, $0.size] }
            }
            let id = RenderDisclosure.fixedRenderID ?? WatermarkPayload.random().renderID
            let plan = RenderPlan(driver: driver, driverWidth: reader.width, driverHeight: reader.height, frameRate: reader.frameRate.description,
                                  driverDuration: reader.duration, driverDigest: try VideoReader.packetDigest(driver), model: model.rawValue,
                                  cropOptions: framing.planSignature,
                                  frames: total, keyframeInterval: keyframeInterval ?? Self.defaultInterval(reader.frameRate.framesPerSecond),
                                  renderID: String(format: "%08x", id), crops: crops)
            try plan.write(to: output)
            print("wrote plan \(output): \(total) frames, pieces cut every \(plan.keyframeInterval) frames, render id \(plan.renderID)"
                  + (crops == nil ? "" : ", face track of \(total) crops"))
        }
    }

    /// Two seconds of frames (at least 1): a keyframe every two seconds, as streaming services use.
    static func defaultInterval(_ framesPerSecond: Double) -> Int { max(1, Int((2 * framesPerSecond).rounded())) }
}
#endif
