#if canImport(Media)
import ArgumentParser
import Face
import Foundation
import Kernels
import Media
import NetworkCore
import PortraitKit

/// `portrait live`: a source portrait (or saved avatar) driven in real time by a webcam, a
/// network stream or a pipe, written to a stream, a V4L2 loopback device or a file.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Animate a portrait in real time from a webcam, a stream or a pipe.",
        discussion: """
        The driver is a V4L2 webcam (/dev/video0; needs libavdevice), a stream URL (udp://, srt://, \
        rtsp://, rtmp://, rist://, http://, tcp://), a libavfilter source (lavfi:testsrc2=rate=25; \
        needs libavdevice), - (a stream on standard input, e.g. MPEG-TS) or a video file (the last \
        two played at their frame rate, as a camera would deliver them). The output is a stream \
        (udp://, srt://, tcp://, rist://: H.264 in MPEG-TS; rtmp://: H.264 in FLV; rtsp://: H.264 \
        published to an RTSP server; http://HOST:PORT/: MJPEG \
        that a browser shows, served to one viewer), a V4L2 loopback device (/dev/videoN), - \
        (MPEG-TS on standard output) or a video file (.mp4, .mkv, .mov, .ts), written with each \
        frame's capture time. Decoding, face tracking, rendering and encoding run on separate \
        threads joined by queues of one or two frames where the newest frame wins: when a stage \
        (or the network) is slower than the driver, frames are dropped, never queued, so the \
        latency stays bounded. The face is found in every driver frame and its crop smoothed over \
        the last few frames only (--crop-smoothing frames; no look-ahead). A status line each \
        second gives the output fps, the capture→output latency and the drops; --stats writes a \
        JSON summary. Ctrl-C or the end of the driver finishes the output cleanly.
        """)

    @Option(help: "Source portrait (PNG/JPEG). Not needed with --avatar.")
    var source: String?

    @Option(help: "A saved avatar (from `portrait avatar`).")
    var avatar: String?

    @Option(help: ArgumentHelp("The driver: /dev/videoN, a stream URL, - (standard input) or a video file.", valueName: "DEVICE|URL|-|FILE"))
    var driver: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The output: a stream URL, /dev/videoN, - (standard output) or a video file.", valueName: "URL|DEVICE|-|FILE"))
    var output: String

    @Option(name: .customLong("driver-option"), help: ArgumentHelp("An FFmpeg option for opening the driver (repeatable), e.g. listen=1 (RTMP server), rtsp_flags=listen, video_size=640x480 (V4L2).", valueName: "KEY=VALUE"))
    var driverOptions: [String] = []

    @Option(name: .customLong("output-option"), help: ArgumentHelp("An FFmpeg option for opening a stream output (repeatable), e.g. listen=1 (RTMP server), rtsp_transport=udp.", valueName: "KEY=VALUE"))
    var outputOptions: [String] = []

    @OptionGroup var framing: CropOptions

    @Option(help: "Seconds to wait for the driver to answer (and for each later frame) before giving up.")
    var timeout: Double = 10

    @Option(help: "Stop after this many driver frames.")
    var frames: Int?

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "Give up when no face is found in the driver's first this many seconds (--crop auto).")
    var faceTimeout: Double = 5

    @Option(help: "H.264 quality of the output (lower is better); MJPEG maps it to a quantiser.")
    var crf = 23

    @Option(help: "Write a JSON summary (frames, drops, fps, latency, memory) to this file at the end.")
    var stats: String?

    @Flag(name: .customLong("no-watermark"), help: "Do not add the invisible AI-generated watermark.")
    var noWatermark = false

    @Flag(name: .customLong("quiet"), help: "No status line each second.")
    var quiet = false

    @Option(name: .customLong("test-output-delay-ms"), help: .private)
    var testOutputDelay: Double = 0

    @OptionGroup var model: ModelOptions
    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        guard source != nil || avatar != nil else { throw ValidationError("give --source IMG or --avatar FILE") }
        if source != nil && avatar != nil { throw ValidationError("give --source IMG or --avatar FILE, not both: a saved avatar already holds its source") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        guard timeout > 0, faceTimeout > 0 else { throw ValidationError("--timeout and --face-timeout must be positive numbers of seconds") }
        guard (0...51).contains(crf) else { throw ValidationError("--crf must be 0 to 51 (lower is better)") }
        if framing.driver.choice != .auto, framing.cropSmoothing != nil {
            throw ValidationError("--crop-smoothing smooths auto framing, but the driver is framed by --\(framing.driverCrop == nil ? "" : "driver-")crop \(CropOptions.name(framing.driver.choice)); drop it")
        }
        if avatar != nil { try framing.check(roles: [.driver], command: "live --avatar") }
    }

    func run() throws {
        try reportingErrors { try runLive() }
    }

    private func runLive() throws {
        do {
            Interrupt.install()
            let outputLocation = LiveLocation(output)
            let driverLocation = LiveLocation(driver)
            if outputLocation == driverLocation, driverLocation != .standardStream { throw ValidationError("-o \(output) is the driver; write somewhere else") }
            let driverOpenOptions = try LiveOpenOptions.parse(driverOptions, flag: "--driver-option")
            let outputOpenOptions = try LiveOpenOptions.parse(outputOptions, flag: "--output-option")
            if case .file = outputLocation, !outputOptions.isEmpty {
                throw ValidationError("--output-option is for stream outputs (URLs, /dev/videoN, -); -o \(output) is a file")
            }
            // Protocol and device support first: before any model work.
            try LiveSupport.check(driverLocation, output: false)
            try LiveSink.check(outputLocation)

            let model = try self.model.adopting(savedSource: avatar)
            let engine = try deviceOptions.makeEngine()
            let network = try model.makeModel(engine: engine)
            if let avatar, let record = try SavedSourceRecord.read(avatar) { try record.checkWeights(of: network, weights: model.weightsName) }
            let size = network.inputSize
            let filter: ResizeFilter = network.officialResize == .opencv ? .opencv : .bicubic
            let session = PortraitSession(model: network)
            if let avatar {
                session.setSource(try FileFamily.explaining(avatar, for: model.family) { try network.loadSource(path: avatar) })
            } else if let source {
                let locator = framing.source.choice == .auto ? try FaceLocator(engine: engine, family: model.family, detector: framing.detector) : nil
                let picture = try SourcePicture(path: source, size: size, framing: framing.source, locator: locator, filter: filter)
                if framing.source.choice == .auto { printError("portrait: source face at \(picture.region) (x,y,size) in \(source)") }
                try session.setSource(image: FrameConversion.tensor(picture.framed))
            }

            let input = try LiveFrameSource(location: driverLocation, timeout: timeout, options: driverOpenOptions)
            let rate = input.frameRate
            printError("portrait: live \(network.configName) on \(engine.name); driver \(driverLocation) \(input.width)×\(input.height) at \(rate) fps → \(outputLocation)")
            let mode: LiveTracker.Mode
            switch framing.driver.choice {
            case .none: mode = .centered
            case .fixed(let box): mode = .fixed(box)
            case .auto:
                // The tracker runs on its own thread, so on its own engine (an engine is used by one thread at a time).
                mode = .auto(try FaceLocator(engine: try deviceOptions.makeEngine(), family: model.family, detector: framing.detector), face: framing.driver.face)
            }
            let window = framing.cropSmoothing.map { $0 + 1 } ?? max(1, Int((rate.framesPerSecond / 5).rounded()))
            let tracker = LiveTracker(mode: mode, size: size, filter: filter, window: window,
                                      patience: max(1, Int(faceTimeout * rate.framesPerSecond)), driverName: driverLocation.description)
            let disclosure = RenderDisclosure(watermark: !noWatermark, network: network, model: model, engine: engine)
            let composer = FrameComposer(pasteInto: nil, framedSource: nil, sideBySide: false, disclosure: disclosure, engine: engine,
                                         livePortraitPaste: false, truncatesLikeLivePortrait: network.officialResize == .opencv)
            let sink = try LiveSink(location: outputLocation, size: network.outputSize, frameRate: rate, crf: crf, metadata: disclosure.tags,
                                    options: outputOpenOptions, timeout: timeout)
            if sink.waitsForPeer { printError("portrait: \(outputLocation) waits for its receiver to connect (frames meanwhile are dropped)") }
            let pipeline = LivePipeline(input: input, tracker: tracker, sink: sink, frameLimit: frames, secondsLimit: duration,
                                        outputDelay: testOutputDelay / 1000, paced: !driverLocation.arrivesInRealTime, statusLines: !quiet) { framed in
                try composer.compose(try session.render(driver: FrameConversion.tensor(framed)), driver: nil)
            }
            var failure: Error?
            do { try pipeline.run() } catch { failure = error }
            if input.endedBySilence { printError("portrait: nothing arrived from \(driverLocation) for \(timeout) s: taken as the end of the stream") }
            if let broken = input.brokenOff { printError("portrait: reading \(driverLocation) failed (\(broken)): taken as the end of the stream (the sender stopped or went away)") }
            let counts = pipeline.counts
            if let stats {
                let summary = pipeline.report.summary(counts: counts, extra: [
                    "driver": driverLocation.description, "output": outputLocation.description, "config": network.configName,
                    "device": engine.name, "driver_fps": rate.framesPerSecond, "size": network.outputSize,
                    "interrupted": Interrupt.requested, "error": failure.map { "\($0)" } ?? NSNull(),
                    "driver_end": input.brokenOff.map { "read error: \($0)" } ?? (input.endedBySilence ? "silence" : failure == nil ? "end" : "error")])
                try jsonString(summary).write(toFile: stats, atomically: true, encoding: .utf8)
            }
            if let failure { throw failure }
            let latency = pipeline.report.latencies
            // With -o - the standard output is the stream: the summary goes to standard error.
            let line = String(format: "wrote %@: %d of %d frames (dropped %d, no face %d); latency mean %.0f ms, p95 %.0f ms, max %.0f ms",
                         outputLocation.description, counts["written"] ?? 0, counts["captured"] ?? 0, counts["dropped"] ?? 0,
                         counts["no_face"] ?? 0, latency.mean * 1000, latency.p95 * 1000, latency.max * 1000)
            if outputLocation == .standardStream { printError(line) } else { print(line) }
        }
    }
}
#endif
