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

    @Option(name: .customLong("keyframe-interval"), help: "Frames per independently encoded run; pieces are cut on multiples of it (default: 2 s of frames).")
    var keyframeInterval: Int?

    @Option(name: .shortAndLong, help: "The plan file to write (JSON).")
    var output: String

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if let keyframeInterval, keyframeInterval < 1 { throw ValidationError("--keyframe-interval must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let reader = try VideoReader(path: driver)
            let total = min(try VideoReader.countFrames(driver), frames ?? .max)
            guard total > 0 else { throw MediaError.noFrames(path: driver) }
            var crops: [[Int]]?
            if framing.crop == .auto {
                let locator = try FaceLocator(engine: try deviceOptions.makeEngine())
                let radius = framing.smoothingRadius(frameRate: reader.frameRate.framesPerSecond)
                let (track, missing) = try locator.track(video: driver, frames: total, face: framing.face, radius: radius)
                if missing > 0 { printError("portrait: no face in \(missing) of \(track.count) driver frames; they keep the previous frame's crop") }
                crops = track.prefix(total).map { [$0.x, $0.y, $0.size] }
            }
            let id = RenderDisclosure.fixedRenderID ?? WatermarkPayload.random().renderID
            let plan = RenderPlan(driver: driver, driverWidth: reader.width, driverHeight: reader.height, frameRate: reader.frameRate.description,
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

/// `portrait merge`: joins shard segments into one video without re-encoding.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the segments of a sharded render into one video, without re-encoding, with the driver's audio.")

    @Argument(help: "The segments (any order: each says where it belongs).")
    var segments: [String]

    @Option(help: "Copy the audio of this file (the driving video).")
    var audio: String?

    @Option(help: "The render's plan: its driving video gives the audio (unless --audio or --no-audio).")
    var plan: String?

    @Flag(name: .customLong("no-audio"), help: "Do not add audio.")
    var noAudio = false

    @Option(name: .shortAndLong, help: "The merged video.")
    var output: String

    func validate() throws {
        guard !segments.isEmpty else { throw ValidationError("give the segments to merge") }
    }

    func run() throws {
        try reportingErrors {
            var pieces: [(first: Int, frames: Int, total: Int, path: String, tags: [String: String])] = []
            for path in segments {
                let tags = try MediaTags.container(path)
                let fields = tags[ShardOptions.segmentTag].map { $0.split(whereSeparator: { "+/".contains($0) }).compactMap { Int($0) } } ?? []
                guard fields.count == 3 else {
                    throw MediaError.invalidArgument("\(path) is not a segment of a sharded render (no \(ShardOptions.segmentTag) tag); render it with --shard")
                }
                pieces.append((fields[0], fields[1], fields[2], path, tags))
            }
            pieces.sort { $0.first < $1.first }
            // Pieces of one render carry the same label (model, weights, watermark id); another render's would mix in.
            let perRun: Set<String> = [ShardOptions.segmentTag, "creation_time", "encoder", "major_brand", "minor_version", "compatible_brands"]
            func label(_ tags: [String: String]) -> [String: String] { tags.filter { !perRun.contains($0.key) } }
            for piece in pieces.dropFirst() where label(piece.tags) != label(pieces[0].tags) {
                let keys = Set(label(piece.tags).keys).union(label(pieces[0].tags).keys).filter { label(piece.tags)[$0] != label(pieces[0].tags)[$0] }
                throw MediaError.invalidArgument("\(piece.path) comes from another render than \(pieces[0].path) (its \(keys.sorted().joined(separator: ", ")) differ); render every shard with the same plan, model and weights")
            }
            var next = 0
            for piece in pieces {
                guard piece.first == next, piece.total == pieces[0].total else {
                    throw MediaError.invalidArgument(piece.first < next
                        ? "\(piece.path) overlaps another segment (frames from \(piece.first)); give each shard's segment once"
                        : "frames \(next)..<\(piece.first) are missing (no segment starts at frame \(next)); render the missing shard")
                }
                next += piece.frames
            }
            guard next == pieces[0].total else {
                throw MediaError.invalidArgument("the segments hold frames 0..<\(next) of \(pieces[0].total); render the missing shards")
            }
            let planDriver = try plan.map { try RenderPlan.load($0).driver }
            let audioSource = noAudio ? nil : (audio ?? planDriver)
            var tags = pieces[0].tags
            tags[ShardOptions.segmentTag] = nil
            for key in tags.keys where ["major_brand", "minor_version", "compatible_brands", "encoder"].contains(key) { tags[key] = nil }
            let summary = try SegmentMerger.merge(pieces.map(\.path), into: output, audioSource: audioSource, metadata: tags)
            print("wrote \(output): \(summary.frames) frames from \(pieces.count) segment\(pieces.count == 1 ? "" : "s")" + (summary.hasAudio ? ", with audio" : ""))
        }
    }
}
#endif
