import ArgumentParser
import Avatar
import FewShot
import Foundation
import Kernels
import Runtime

/// Options of `portrait profile` without `--ops`.
struct ModelProfileOptions: ParsableArguments {
    @Option(help: "Timed frames (after one warm-up frame).")
    var frames = 3

    @Option(help: "Write a Chrome trace-event JSON (open in Perfetto or chrome://tracing).")
    var trace: String?

    @OptionGroup var model: ModelOptions
}

/// Aggregated timings of one kernel or stage.
struct TimingSummary {
    var name: String
    var calls = 0
    var milliseconds = 0.0
    var flops = 0.0
    var bytes = 0.0
    var gflops: Double { milliseconds > 0 ? flops / milliseconds / 1e6 : 0 }
    var gigabytesPerSecond: Double { milliseconds > 0 ? bytes / milliseconds / 1e6 : 0 }

    static func byKernel(_ timings: [KernelTiming]) -> [TimingSummary] {
        var table: [String: TimingSummary] = [:]
        for t in timings {
            var s = table[t.name] ?? TimingSummary(name: t.name)
            s.calls += 1; s.milliseconds += t.milliseconds; s.flops += t.cost.flops; s.bytes += t.cost.bytes
            table[t.name] = s
        }
        return table.values.sorted { $0.milliseconds > $1.milliseconds }
    }

    /// Sums by stage prefix of depth 2 (`frame/g2d`, `avatar/g3d`), in first-seen order.
    static func byStage(_ timings: [KernelTiming]) -> [TimingSummary] {
        var order: [String] = []
        var table: [String: TimingSummary] = [:]
        for t in timings {
            let key = t.stage.split(separator: "/").prefix(2).joined(separator: "/")
            if table[key] == nil { order.append(key); table[key] = TimingSummary(name: key.isEmpty ? "(no stage)" : key) }
            table[key]!.calls += 1; table[key]!.milliseconds += t.milliseconds
            table[key]!.flops += t.cost.flops; table[key]!.bytes += t.cost.bytes
        }
        return order.map { table[$0]! }
    }
}

extension ProfileCommand {
    func runModelProfile() throws {
        let o = modelProfile
        try reportingErrors {
            guard o.frames >= 1 else { throw ValidationError("--frames must be at least 1") }
            let engine = try deviceOptions.makeEngine()
            let network = try o.model.makeModel(engine: engine)
            FewShotFacePoints.useTemplateFace(network, quiet: json)   // synthetic pictures hold no face
            let peak = try engine.measuredPeakGFLOPS()
            let source = SyntheticInputs.image(size: network.inputSize, seed: 1)
            let drivers = (0...o.frames).map { SyntheticInputs.image(size: network.inputSize, seed: 10 + UInt64($0)) }
            if !json { printError("portrait: profiling \(network.configName) on \(engine.name); \(o.model.weightsDescription)") }

            let profiler = Profiler()
            engine.profiler = profiler
            let avatarStart = Date()
            let avatar = try network.makeSource(source, mask: nil, recorder: nil)
            let clip = try network.startClip(source: avatar)
            try engine.synchronize()
            let avatarWall = Date().timeIntervalSince(avatarStart)
            let avatarTimings = profiler.drain()

            _ = try clip.render(driver: drivers[0], recorder: nil)   // warm-up: kernel specialisation
            try engine.synchronize()
            _ = profiler.drain()
            let frameStart = Date()
            for d in drivers.dropFirst() { _ = try clip.render(driver: d, recorder: nil) }
            try engine.synchronize()
            let frameWall = Date().timeIntervalSince(frameStart)
            let frameTimings = profiler.drain()
            engine.profiler = nil
            // The same source again, every kernel built and every weight packed: what one more
            // source costs in a running process (the first one above also pays the first use).
            let warmStart = Date()
            _ = try network.startClip(source: try network.makeSource(source, mask: nil, recorder: nil))
            try engine.synchronize()
            let sourceWarm = Date().timeIntervalSince(warmStart)

            let fps = Double(o.frames) / frameWall
            let avatarFlops = network.totalFlops(perFrame: false)
            let frameFlops = network.totalFlops(perFrame: true)
            if let trace = o.trace { try writeTrace(avatarTimings + frameTimings, to: trace) }
            if json {
                func rows(_ s: [TimingSummary]) -> [[String: Any]] {
                    s.map { ["name": $0.name, "calls": $0.calls, "ms": $0.milliseconds, "gflops": $0.gflops, "gbps": $0.gigabytesPerSecond] }
                }
                var top: [String: Any] = [
                    "device": engine.name, "config": network.configName, "frames": o.frames, "fps": fps,
                    "avatar_wall_s": avatarWall, "source_warm_wall_s": sourceWarm, "avatar_kernel_s": avatarTimings.reduce(0) { $0 + $1.milliseconds } / 1000, "avatar_gflop": avatarFlops / 1e9, "frame_gflop": frameFlops / 1e9,
                    "frame_wall_ms": frameWall * 1000 / Double(o.frames),
                    "avatar_stages": rows(TimingSummary.byStage(avatarTimings)), "frame_stages": rows(TimingSummary.byStage(frameTimings)),
                    "frame_kernels": rows(TimingSummary.byKernel(frameTimings)),
                    "avatar_kernels": rows(TimingSummary.byKernel(avatarTimings)),
                ]
                if let peak { top["peak_gflops_measured"] = peak }
                print(try jsonString(top))
                return
            }
            print("Profile of \(network.configName) on \(engine.name)" + (peak.map { String(format: " (fp32 peak %.0f GFLOP/s, measured with an FMA loop)", $0) } ?? ""))
            let avatarDevice = avatarTimings.reduce(0) { $0 + $1.milliseconds } / 1000
            print(String(format: "per avatar: %.2f s of kernel time, %.1f GFLOP → %.1f GFLOP/s (%.2f s wall incl. first-use kernel compilation)",
                         avatarDevice, avatarFlops / 1e9, avatarFlops / max(avatarDevice, 1e-9) / 1e9, avatarWall))
            print(String(format: "per avatar, once more (warm): %.2f s wall", sourceWarm))
            print(String(format: "per frame:  %.1f ms wall (mean of %d), %.1f GFLOP → %.1f GFLOP/s, %.2f fps",
                         frameWall * 1000 / Double(o.frames), o.frames, frameFlops / 1e9, frameFlops / frameWall * Double(o.frames) / 1e9, fps))
            printTable("per-avatar stages", TimingSummary.byStage(avatarTimings), scale: 1, peak: peak)
            printTable("per-frame stages (per frame)", TimingSummary.byStage(frameTimings), scale: Double(o.frames), peak: peak)
            printTable("per-avatar kernels", TimingSummary.byKernel(avatarTimings), scale: 1, peak: peak)
            printTable("per-frame kernels (per frame)", TimingSummary.byKernel(frameTimings), scale: Double(o.frames), peak: peak)
            if let trace = o.trace { print("wrote trace \(trace) (open in https://ui.perfetto.dev or chrome://tracing)") }
        }
    }

    private func printTable(_ title: String, _ rows: [TimingSummary], scale: Double, peak: Double?) {
        print("\n\(title)")
        print(column("name", 30) + column("calls", 7, right: true) + column("total ms", 11, right: true) + column("mean ms", 10, right: true) +
              column("GFLOP/s", 10, right: true) + column("GB/s", 9, right: true) + column("% peak", 8, right: true))
        for r in rows {
            let pct = peak.map { String(format: "%.1f", 100 * r.gflops / $0) } ?? "-"
            print(column(r.name, 30) + column(callCount(Double(r.calls) / scale), 7, right: true) +
                  column(String(format: "%.2f", r.milliseconds / scale), 11, right: true) +
                  column(String(format: "%.3f", r.milliseconds / Double(max(r.calls, 1))), 10, right: true) +
                  column(String(format: "%.1f", r.gflops), 10, right: true) +
                  column(String(format: "%.1f", r.gigabytesPerSecond), 9, right: true) + column(pct, 8, right: true))
        }
    }

    /// Chrome trace-event format: one complete ("X") event per kernel, stage as category.
    private func writeTrace(_ timings: [KernelTiming], to path: String) throws {
        let origin = timings.map(\.startNs).min() ?? 0
        let events: [[String: Any]] = timings.map { t in
            ["name": t.name, "cat": t.stage, "ph": "X", "pid": 1, "tid": 1,
             "ts": Double(t.startNs - origin) / 1000, "dur": Double(t.endNs &- t.startNs) / 1000,
             "args": ["stage": t.stage, "gflop": t.cost.flops / 1e9, "mb": t.cost.bytes / 1e6]]
        }
        let data = try JSONSerialization.data(withJSONObject: ["traceEvents": events, "displayTimeUnit": "ms"])
        try AtomicFile.write(data, to: URL(fileURLWithPath: path))
    }
}

/// A call count: whole numbers as integers, per-frame means of uneven frames with one decimal.
private func callCount(_ calls: Double) -> String {
    calls == calls.rounded() ? String(Int(calls)) : String(format: "%.1f", calls)
}
