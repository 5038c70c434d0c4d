import Foundation

/// A preview job the server runs inside its own process instead of a child `portrait` process,
/// so that what earlier jobs made (the network, the framed source and its per-source state) is
/// used again and a slider move costs one frame. `portrait serve` hands the server its renderer
/// (the CLI's own render path); the studio module holds no model code.
public protocol InProcessRenderer: Sendable {
    /// Runs `job` (its `portrait render` arguments) to its end on the calling thread; returns
    /// whether the framed source and its state came from an earlier job. An error's description
    /// is the message the page shows.
    func render(_ job: InProcessJob) throws -> Bool
}

/// A render the in-process renderer runs: the `portrait` arguments, and the key of the source
/// state it may take from an earlier job.
public struct InProcessJob: Sendable {
    /// The arguments after `portrait` (`render ...`), as a child process would get them.
    public let arguments: [String]
    /// Equal for jobs that frame the same source the same way on the same network, weights,
    /// device and options: every argument but those that say only what drives the frames and
    /// where they go (`drivingOptions`). Anything else, known or not, is part of it, so an option
    /// that could change the source never shares a cached one.
    public let sourceKey: String

    /// The options (each with one value) that leave the source state as it is.
    public static let drivingOptions: Set<String> = ["--driver", "--driver-crop", "--driver-face", "--edit", "--frames", "-o"]

    /// The job for `arguments`.
    public init(arguments: [String]) {
        self.arguments = arguments
        var kept: [String] = []
        var index = 0
        while index < arguments.count {
            if Self.drivingOptions.contains(arguments[index]) { index += 2; continue }
            kept.append(arguments[index])
            index += 1
        }
        sourceKey = kept.joined(separator: "\u{0}")
    }
}
