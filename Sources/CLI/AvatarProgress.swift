import Foundation
import Kernels
import Avatar
import Runtime

/// Progress of the per-avatar pass (seconds at small sizes, minutes at full size on a CPU): the
/// FLOPs of each convolution and linear layer done, against the network's per-avatar FLOP table,
/// with the stage running, elapsed time and ETA, on a `StatusLine`. Works for every network: the
/// hook is a `StageRecorder` whose `onFlops` the network's layers call as they run.
///
/// On an OpenCL engine each counted layer is waited for (`synchronize`), so "done" means done on
/// the device and not merely enqueued; a Ctrl-C or SIGTERM stops the pass at the next layer.
final class AvatarBuildProgress {
    private let engine: Engine
    let total: Double
    private let start = Date()
    private var done = 0.0
    private var stage = ""
    private let assumedRate: Double?
    fileprivate var line: StatusLine?

    /// Progress for building `model`'s per-source state of `pictures` pictures (its per-source
    /// FLOPs once per picture: the few-shot embedder runs on each) on its engine; until a twentieth of the
    /// work is done the ETA assumes `assumedRate` FLOP/s (`JobEstimate.measuredRate`): the first
    /// stages are small networks that run far below the rate of the large ones.
    init(model: any PortraitModel, pictures: Int = 1, assumedRate: Double? = nil) {
        engine = model.engine
        total = model.totalFlops(perFrame: false) * Double(max(pictures, 1))
        self.assumedRate = assumedRate
        line = StatusLine { [unowned self] in self.describe() }
    }

    /// The recorder to pass to `makeSource`: it keeps every stage output when `keepingOutputs`
    /// (`--stages`), none otherwise (no downloads), and reports progress either way.
    func recorder(keepingOutputs: Bool) -> StageRecorder {
        StageRecorder(only: keepingOutputs ? nil : [], onFlops: { [unowned self] stage, flops in
            if Interrupt.requested { throw InterruptedError(outcome: "stopped while building the avatar; nothing was written") }
            try self.engine.synchronize()
            self.line?.update {
                self.done += flops
                self.stage = stage
            }
        })
    }

    /// Seconds since the pass started.
    var elapsed: Double { Date().timeIntervalSince(start) }

    /// FLOPs counted so far.
    var flopsDone: Double { done }

    /// Ends the line (after the pass, or when it failed).
    func finish() {
        line?.finish()
        line = nil
    }

    /// `building the avatar [bar] 1.23/3.21 TFLOP (38 %)  g3d  0:12 elapsed  ETA 0:20`.
    private func describe() -> String {
        let fraction = total > 0 ? min(1, done / total) : 0
        let width = 24, filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let seconds = elapsed
        let eta: String
        if done >= total / 20, done > 0 {
            eta = ProgressReporter.clock(seconds * (total - done) / done)
        } else if let assumedRate, assumedRate > 0 {
            eta = "~" + ProgressReporter.clock((total - done) / assumedRate) + " (estimated)"
        } else {
            eta = "?"
        }
        let name = stage.split(separator: "/").dropFirst().joined(separator: "/")
        return String(format: "building the avatar [%@] %@ (%.0f %%)  %@  %@ elapsed  ETA %@", bar,
                      JobEstimate.flopsPair(done, total), 100 * fraction, name.isEmpty ? "starting" : name,
                      ProgressReporter.clock(seconds), eta)
    }
}

extension AvatarBuildProgress {
    /// Builds `model`'s per-source state of `images` (one picture, or several of one person for a
    /// network that combines them; with `mask`) with a progress line, waits for the device, and
    /// returns how long it took and at what rate. With `keepingOutputs` (`--stages`) the returned
    /// recorder holds every stage output.
    static func build(_ model: any PortraitModel, images: [Tensor], mask: Tensor?, keepingOutputs: Bool, assumedRate: Double? = nil)
        throws -> (source: any PortraitSource, recorder: StageRecorder, seconds: Double, rate: Double) {
        let progress = AvatarBuildProgress(model: model, pictures: images.count, assumedRate: assumedRate)
        let recorder = progress.recorder(keepingOutputs: keepingOutputs)
        defer { progress.finish() }
        let source = images.count == 1 ? try model.makeSource(images[0], mask: mask, recorder: recorder)
                                        : try model.makeSource(images, mask: mask, recorder: recorder)
        try model.engine.synchronize()
        progress.line?.update(print: true)
        let seconds = progress.elapsed
        return (source, recorder, seconds, seconds > 0 ? progress.total / seconds : 0)
    }

    /// `build(_:images:...)` of one picture.
    static func build(_ model: any PortraitModel, image: Tensor, mask: Tensor?, keepingOutputs: Bool, assumedRate: Double? = nil)
        throws -> (source: any PortraitSource, recorder: StageRecorder, seconds: Double, rate: Double) {
        try build(model, images: [image], mask: mask, keepingOutputs: keepingOutputs, assumedRate: assumedRate)
    }
}
