#if canImport(Media)
import Kernels
import NetworkCore
import Studio

/// `portrait serve`'s renderer of preview jobs in its own process: `portrait render` itself (the
/// job's arguments parsed as a command line, run by `RenderCommand.render(reusing:)`), keeping the
/// engines, networks, face finders, framed sources and per-source states it made for later jobs
/// (`RenderReuse` says what is keyed by what). A slider move then costs one frame and its
/// paste-back. The studio calls it from one thread per device (`JobQueue`).
final class StudioRenderer: InProcessRenderer, @unchecked Sendable {
    /// Engines by device (few: one per device used), each with its measured rate
    /// (`JobEstimate.measuredRate`, taken once per engine, not per preview).
    let engines = LRUCache<MeasuredEngine>(capacity: 4)
    /// Networks with their weights: the largest holders of memory, so two at most.
    let models = LRUCache<any PortraitModel>(capacity: 2)
    /// Face finders (MediaPipe's and YuNet's weights on an engine).
    let locators = LRUCache<FaceLocator>(capacity: 2)
    /// Source pictures as read and framed, and their per-source states: a few sources at once.
    let pictures = LRUCache<SourcePicture>(capacity: 4)
    let sources = LRUCache<any PortraitSource>(capacity: 4)

    func render(_ job: InProcessJob) throws -> Bool {
        guard job.arguments.first == "render" else {
            throw StudioRenderFailed(message: "the in-process renderer runs `portrait render` only, not `\(job.arguments.first ?? "")`")
        }
        // Parsed and checked as `Portrait.main` does for a child process: negative values joined to
        // their options, then the files checked before any work.
        let command: RenderCommand
        do {
            command = try RenderCommand.parse(CommandLineTokens.joiningNegativeValues(Array(job.arguments.dropFirst())))
        } catch {
            throw StudioRenderFailed(message: "portrait: error: \(RenderCommand.message(for: error))")
        }
        let reuse = RenderReuse(store: self, sourceKey: job.sourceKey)
        do {
            try FileChecks.run(command)
            try command.render(reusing: reuse)
        } catch {
            throw StudioRenderFailed(message: "portrait: error: \(error)")
        }
        return reuse.sourceReused
    }
}

/// An engine and its rate on the estimate's benchmark convolution (nil when it could not run).
struct MeasuredEngine {
    let engine: Engine
    let rate: Double?
}

/// A job the in-process renderer could not run, with the line `portrait render` would print.
struct StudioRenderFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
#endif
