import Foundation
import Kernels
import NetworkCore
import Runtime

/// The whole render's cost, said up front: the per-avatar pass (unless a saved avatar is given)
/// plus frames × the per-frame cost, in FLOPs from the network's FLOP table, and an estimated time
/// from a rate measured on this engine (a 3×3 convolution of the networks' typical size, timed
/// once after a warm-up: about 1 GFLOP, tens of milliseconds on a CPU). The time is an estimate:
/// the networks also run ops that are not counted (grid sampling, norms) and layers of other
/// shapes, so it is refined once the avatar is built (its measured rate) and after the first
/// frames (the progress bar's ETA).
struct JobEstimate {
    /// FLOPs of the per-avatar pass (0 with a saved avatar).
    let avatarFlops: Double
    /// FLOPs of one frame.
    let frameFlops: Double
    /// Frames to render, when known.
    let frames: Int?

    /// The cost of rendering `frames` frames with `model`, building the avatar when `buildsAvatar`.
    init(model: any PortraitModel, buildsAvatar: Bool, frames: Int?) {
        avatarFlops = buildsAvatar ? model.totalFlops(perFrame: false) : 0
        frameFlops = model.totalFlops(perFrame: true)
        self.frames = frames
    }

    /// Total FLOPs, when the frame count is known.
    var totalFlops: Double? { frames.map { avatarFlops + Double($0) * frameFlops } }

    /// The line printed before the work starts: `job: avatar 3.21 TFLOP + 120 frames × 0.491
    /// TFLOP = 62.1 TFLOP; estimated 5:10 at 200 GFLOP/s (...)`.
    func summary(rate: Double?) -> String {
        var parts: [String] = []
        if avatarFlops > 0 { parts.append("avatar \(Self.flops(avatarFlops))") }
        parts.append(frames.map { "\($0) frame\($0 == 1 ? "" : "s") × \(Self.flops(frameFlops))" } ?? "frames × \(Self.flops(frameFlops)) each")
        var line = "job: " + parts.joined(separator: " + ")
        if let total = totalFlops, parts.count > 1 || frames.map({ $0 > 1 }) == true { line += " = \(Self.flops(total))" }
        if let rate, rate > 0, let total = totalFlops {
            line += String(format: "; estimated %@ at %.0f GFLOP/s (a 3×3 convolution's rate on this device; refined as the job runs)",
                           ProgressReporter.clock(total / rate), rate / 1e9)
        } else if rate == nil {
            line += "; time estimated once the first work is measured"
        }
        return line
    }

    /// The estimate for the frames after the avatar was built at `rate` FLOP/s, or nil when the
    /// frame count is unknown.
    func framesEstimate(rate: Double) -> String? {
        guard let frames, frames > 0, rate > 0 else { return nil }
        return "estimated \(ProgressReporter.clock(Double(frames) * frameFlops / rate)) for the \(frames) frame\(frames == 1 ? "" : "s") at that rate"
    }

    /// FLOP/s of one 3×3 convolution (128 → 128 channels, 64×64) on `engine`, timed after a warm-up
    /// run (kernel builds, weight repacking); nil when it cannot be measured.
    static func measuredRate(engine: Engine) -> Double? {
        let channels = 128, side = 64
        let input = Tensor(shape: [1, channels, side, side], values: (0..<(channels * side * side)).map { Float($0 % 7) * 0.1 })
        let weight = Tensor(shape: [channels, channels, 3, 3], values: (0..<(channels * channels * 9)).map { Float($0 % 5) * 0.01 })
        do {
            let x = try engine.resident(input), w = try engine.resident(weight)
            _ = try engine.conv2d(x, weight: w, bias: nil, padding: 1)
            try engine.synchronize()
            let start = Date()
            _ = try engine.conv2d(x, weight: w, bias: nil, padding: 1)
            try engine.synchronize()
            let seconds = Date().timeIntervalSince(start)
            return seconds > 0 ? 2 * Double(channels * channels * 9 * side * side) / seconds : nil
        } catch {
            return nil
        }
    }

    /// `1.23 TFLOP`, `456 GFLOP`, `7.8 MFLOP`.
    static func flops(_ value: Double) -> String {
        let (scale, unit) = unit(for: value)
        return String(format: value / scale >= 100 ? "%.0f %@" : "%.3g %@", value / scale, unit)
    }

    /// `1.23/3.21 TFLOP`: a count out of a total, in the total's unit.
    static func flopsPair(_ done: Double, _ total: Double) -> String {
        let (scale, unit) = unit(for: total)
        return String(format: "%.2f/%.2f %@", done / scale, total / scale, unit)
    }

    private static func unit(for value: Double) -> (Double, String) {
        switch value {
        case 1e12...: return (1e12, "TFLOP")
        case 1e9...: return (1e9, "GFLOP")
        case 1e6...: return (1e6, "MFLOP")
        default: return (1e3, "kFLOP")
        }
    }
}
