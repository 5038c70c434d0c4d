#if canImport(Media)
import ArgumentParser
import Foundation
import Media

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
