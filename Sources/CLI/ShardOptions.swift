#if canImport(Media)
import ArgumentParser
import Foundation

/// `--plan`, `--shard I/N`, `--shards N`, `--keyframe-interval`: rendering one piece of a clip
/// on one machine of many.
struct ShardOptions: ParsableArguments {
    @Option(help: "A plan from `portrait plan` (the clip's face track, frame count, keyframe interval and render id), shared by every shard.")
    var plan: String?

    @Option(help: ArgumentHelp("Render only piece I of N (0-based) into its own segment; join them with `portrait merge`.", valueName: "I/N"))
    var shard: String?

    @Option(help: "Render one of N pieces, I read from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN).")
    var shards: Int?

    @Option(name: .customLong("keyframe-interval"),
            help: "Frames per independently encoded run of a video output (default: 2 s of frames; a plan fixes it). Shards are cut on multiples of it.")
    var keyframeInterval: Int?

    func validate() throws {
        if shard != nil && shards != nil { throw ValidationError("give --shard I/N or --shards N, not both") }
        if let keyframeInterval, keyframeInterval < 1 { throw ValidationError("--keyframe-interval must be at least 1") }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
    }

    /// The piece to render, `(index, count)`, or nil for the whole clip.
    func piece(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (index: Int, count: Int)? {
        if let shard {
            let parts = shard.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, (0..<n).contains(i) else {
                throw ValidationError("--shard expects I/N with 0 ≤ I < N (e.g. 2/8), got '\(shard)'")
            }
            return (i, n)
        }
        guard let shards else { return nil }
        let index: Int
        if let k8s = environment["JOB_COMPLETION_INDEX"], let i = Int(k8s) {
            index = i
        } else if let slurm = environment["SLURM_ARRAY_TASK_ID"], let i = Int(slurm) {
            index = i - (environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0)
        } else {
            throw ValidationError("--shards \(shards): set JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, or give --shard I/\(shards)")
        }
        guard (0..<shards).contains(index) else {
            throw ValidationError("shard index \(index) (from the environment) is outside 0..<\(shards)")
        }
        return (index, shards)
    }

    /// The container tag a segment carries: `FIRST+FRAMES/TOTAL`, read back by `merge`.
    static let segmentTag = "portraitcl_segment"
}
#endif
