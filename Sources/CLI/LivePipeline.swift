#if canImport(Media)
import Foundation
import Kernels
import Media
import PortraitKit

/// `portrait live`'s pipeline: four stages on their own threads joined by bounded queues where
/// the newest frame wins (`DropQueue`): capture (decode the driver) → track (find and frame the
/// face) → render (the session, on the calling thread: its engine's one thread) → output (encode
/// and send). A stage slower than the driver makes the queue before it drop its oldest frame, so
/// no frame waits behind more than `capacity` others and the latency stays bounded whatever the
/// run's length. The end of the driver, a frame or time limit, or Ctrl-C drains the stages and
/// finishes the output; an error in any stage stops all of them and is rethrown.
final class LivePipeline: @unchecked Sendable {
    struct Tracked { var framed: RGBImage; var capturedAt: UInt64 }
    struct Rendered { var image: RGBImage; var capturedAt: UInt64 }

    let input: LiveFrameSource
    let tracker: LiveTracker
    let render: (RGBImage) throws -> RGBImage
    let sink: LiveSink
    let report = LiveReport()
    /// Stop after this many driver frames / seconds (nil: at the end of the driver).
    let frameLimit: Int?, secondsLimit: Double?
    /// Test hook: extra seconds the output spends on each frame (a slow network).
    let outputDelay: Double
    /// Pace a file driver at its frame rate (as a camera delivers), instead of as fast as it decodes.
    let paced: Bool
    /// Print a status line every second.
    let statusLines: Bool

    private let toTracker = DropQueue<LiveFrame>(capacity: 1)
    private let toRenderer = DropQueue<Tracked>(capacity: 1)
    private let toOutput = DropQueue<Rendered>(capacity: 2)
    private let lock = NSLock()
    private var firstError: Error?
    private let done = DispatchGroup()

    init(input: LiveFrameSource, tracker: LiveTracker, sink: LiveSink, frameLimit: Int?, secondsLimit: Double?, outputDelay: Double,
         paced: Bool, statusLines: Bool, render: @escaping (RGBImage) throws -> RGBImage) {
        self.input = input; self.tracker = tracker; self.sink = sink; self.render = render
        self.frameLimit = frameLimit; self.secondsLimit = secondsLimit; self.outputDelay = outputDelay
        self.paced = paced; self.statusLines = statusLines
    }

    /// Runs until the driver ends (or a limit, or Ctrl-C), then finishes the output. Rethrows the
    /// first stage error (the output is then abandoned: a file's temporary removed).
    func run() throws {
        report.start()
        spawn("capture") { try self.capture() }
        spawn("track") { try self.track() }
        spawn("output") { try self.output() }
        spawn("interrupt watch") { self.watchInterrupt() }
        do {
            while let item = toRenderer.pop() {
                let image = try render(item.framed)
                toOutput.push(Rendered(image: image, capturedAt: item.capturedAt))
            }
        } catch { fail(error) }
        toOutput.close()
        done.wait()
        if let firstError { throw firstError }
    }

    /// Frame counts by stage: captured = written + dropped + no_face (+ frames lost to an error).
    /// Every captured frame is pushed to the tracker's queue, every rendered one to the output's.
    var counts: [String: Int] {
        ["captured": toTracker.pushed, "rendered": toOutput.pushed, "written": report.framesWritten,
                "dropped_before_tracking": toTracker.dropped, "dropped_before_render": toRenderer.dropped,
                "dropped_before_output": toOutput.dropped, "dropped": totalDropped, "no_face": tracker.framesWithoutFace]
    }

    private var totalDropped: Int { toTracker.dropped + toRenderer.dropped + toOutput.dropped }

    private func dropsLine() -> String {
        "dropped \(totalDropped) (tracking \(toTracker.dropped), render \(toRenderer.dropped), output \(toOutput.dropped))"
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () throws -> Void) {
        done.enter()
        let thread = Thread {
            defer { self.done.leave() }
            do { try body() } catch { self.fail(error) }
        }
        thread.name = "live \(name)"
        thread.stackSize = 64 << 20
        thread.start()
    }

    private func fail(_ error: Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
        input.deadline.stop()
        sink.stop()
        toTracker.discard(); toRenderer.discard(); toOutput.discard()
    }

    private var failed: Bool { lock.lock(); defer { lock.unlock() }; return firstError != nil }

    private func capture() throws {
        defer { toTracker.close() }
        let start = LiveClock.now()
        var captured = 0
        while !failed, !Interrupt.requested {
            if let frameLimit, captured >= frameLimit { break }
            if let secondsLimit, Double(LiveClock.now() &- start) / 1e9 >= secondsLimit { break }
            if paced {
                let due = start &+ UInt64(Double(captured) / input.frameRate.framesPerSecond * 1e9)
                let now = LiveClock.now()
                if due > now { Thread.sleep(forTimeInterval: Double(due - now) / 1e9) }
            }
            guard let frame = try input.next() else { break }
            captured += 1
            toTracker.push(frame)
        }
    }

    private func track() throws {
        defer { toRenderer.close() }
        while let frame = toTracker.pop() {
            guard let framed = try tracker.frame(frame.image) else { continue }
            toRenderer.push(Tracked(framed: framed, capturedAt: frame.capturedAt))
        }
    }

    private func output() throws {
        do {
            while let item = toOutput.pop() {
                if outputDelay > 0 { Thread.sleep(forTimeInterval: outputDelay) }
                try sink.write(item.image, capturedAt: item.capturedAt)
                if let line = report.recordWritten(capturedAt: item.capturedAt, drops: dropsLine), statusLines { printError(line) }
            }
            if failed { sink.cancel() } else { try sink.finish() }
        } catch {
            sink.cancel()
            throw error
        }
    }

    /// Ctrl-C: stops reading the driver (the stages drain and the output finishes); a stream
    /// output still waiting for its receiver 2 s later is stopped too.
    private func watchInterrupt() {
        while !Interrupt.requested {
            if toOutput.isFinished { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        input.deadline.stop()
        for _ in 0..<40 {
            if toOutput.isFinished { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        sink.stop()
    }
}
#endif
