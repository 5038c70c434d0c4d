#if canImport(Media)
import ArgumentParser
import Avatar
import Foundation
import Kernels
import LivePortrait
import Media
import PortraitKit
import Runtime

/// `portrait render`: a source portrait driven by a video, an image or explicit head poses.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Animate a source portrait with a driving video, image or head poses.",
        discussion: """
        The face is found in the source (MediaPipe's detector and FaceMesh; YuNet where MediaPipe \
        misses it, said on stderr; see --detector) and followed through the driving video, each \
        picture cropped around it as the official inference frames faces (EMOPortraits: its crop \
        from MediaPipe's box, smoothed over a fifth of a second of frames; LivePortrait: its crop \
        from the dense landmarks) and resized to the model's \
        size as each network's official code does it (MegaPortraits: PyTorch's bicubic, clipped; \
        LivePortrait: OpenCV on 8-bit values; --resize overrides). --crop none takes the centred \
        square instead (LivePortrait: the whole picture, as its official no-crop path), --crop \
        x,y,size a square of your own (it may reach beyond the picture: black there, as the \
        official crops pad); --face N picks another face (0 is the largest; see `portrait faces`). \
        --source-crop/--driver-crop and --source-face/--driver-face set one picture apart (they win \
        over --crop/--face). When the source is larger than its crop, the rendered face is pasted \
        back into the source picture, so the video has the source's size; --no-paste-back writes \
        the model's square. --source-mask masks the source before every encoder. The output frame \
        rate is the driving video's; its audio is copied unless --no-audio. LivePortrait also \
        takes a source video (video-to-video), a motion file as driver (`portrait motion`) and \
        --edit/--edit-csv instead of a driver. Output: OUT.mp4, .mov, .mkv or .m4v (H.264, \
        yuv420p), OUT.png (one frame), DIR/ (numbered PNGs; the trailing slash makes it a folder) \
        or OUT.safetensors (the first frame's float image). Output problems are reported before \
        any work; -o never overwrites an input. --avatar FILE renders a saved avatar with the \
        config it records.
        """)

    @Option(name: .customLong("source"), help: "Source portrait (PNG/JPEG). Not needed with --avatar. The few-shot network (--model fewshot) takes it up to 32 times: pictures of one person, their identities averaged; the first is the one pasted into.")
    var sources: [String] = []

    /// The (first) source picture.
    var source: String? { sources.first }

    @Option(help: "Driving video or image; for --model fewshot also a landmarks JSON file (`portrait landmarks --json` output: 68 points per frame).")
    var driver: String?

    @Option(help: "Explicit poses instead of a driver: yaw,pitch,roll[,tx,ty,tz] in degrees, frames separated by ':'.")
    var pose: String?

    @Option(name: .customLong("pose-sweep"), help: "Free-view yaw sweep FROM:TO in degrees over --frames frames (default 48).")
    var poseSweep: String?

    @Option(name: .customLong("pose-csv"), help: "CSV of per-frame poses: header yaw,pitch,roll[,tx,ty,tz,scale] (degrees).")
    var poseCSV: String?

    @Option(help: ArgumentHelp("LivePortrait: edit the source's expression and head instead of driving it: NAME=VALUE,... with NAME one of pitch, yaw, roll, blink, eyebrow, wink, pupil_x, pupil_y, aaa, eee, woo, smile (AdvancedLivePortrait's controls and ranges; 0 changes nothing). One frame; -o edited.png.", valueName: "NAME=VALUE,..."))
    var edit: String?

    @Option(name: .customLong("edit-csv"), help: "LivePortrait: per-frame edits: a CSV whose header names edit controls (see --edit) and one row per frame.")
    var editCSV: String?

    @Option(help: "A saved avatar (from `portrait avatar`): skips the per-avatar work.")
    var avatar: String?

    @Option(help: "Render at most this many frames.")
    var frames: Int?

    @Option(help: "Output frame rate (e.g. 25, 29.97, 30000/1001): the driver's frames are resampled to it by their timestamps, keeping its duration. Default: the driving video's rate (its average rate when it varies), else 25.")
    var fps: String?

    @OptionGroup var framing: CropOptions
    @OptionGroup var faces: FacesOptions

    @Flag(inversion: .prefixedNo,
          help: "Paste the rendered face back into the full source picture (the default when the source is larger than its crop, except for a .safetensors output).")
    var pasteBack: Bool?

    @Flag(name: .customLong("side-by-side"), help: "Write driver | source | result side by side.")
    var sideBySide = false

    @Flag(name: .customLong("no-audio"), help: "Do not copy the driving video's audio.")
    var noAudio = false

    @Option(help: "H.264 quality (lower is better; 18 is visually lossless).")
    var crf = 18

    @Flag(name: .customLong("no-watermark"), help: "Do not add the invisible AI-generated watermark (the metadata label is still written).")
    var noWatermark = false

    @Option(name: .shortAndLong, help: "Output: OUT.mp4 (or .mov, .mkv, .m4v), OUT.png, DIR/ or OUT.safetensors (the first frame's float image, `image` [1, 3, S, S]).")
    var output: String

    @Flag(help: "Continue an interrupted render into DIR/ or a video (same command): frames already finished are kept, the rest rendered; the frames equal an uninterrupted render's.")
    var resume = false

    @Option(help: "Write the float32 stage outputs of the avatar (when built here) and of the first frame, with the inputs, to this safetensors file.")
    var stages: String?

    @Option(name: .customLong("audio-from"), help: "LivePortrait video-to-video: the audio to keep: driver (its audio when it has one, else the source's; the official default), source, or none.")
    var audioFrom: SourceVideoRender.AudioChoice?

    @OptionGroup var input: InputOptions
    @OptionGroup var scaleOut: ShardOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        let drivers = [driver, pose, poseSweep, poseCSV, edit, editCSV].compactMap { $0 }
        guard drivers.count == 1 else {
            throw ValidationError("give exactly one of --driver, --pose, --pose-sweep, --pose-csv, --edit, --edit-csv")
        }
        guard source != nil || avatar != nil else { throw ValidationError("give --source IMG or --avatar FILE") }
        if source != nil && avatar != nil { throw ValidationError("give --source IMG or --avatar FILE, not both: a saved avatar already holds its source") }
        try FewShotRender.checkSourceCount(sources.count, model: model)
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if fps != nil && scaleOut.plan != nil { throw ValidationError("--fps cannot be used with --plan: the plan fixes the frame rate (render without --fps)") }
        if pasteBack == true && source == nil { throw ValidationError("--paste-back needs the source picture (--source); a saved --avatar does not keep it") }
        try checkAllFaces()
    }

    func run() throws {
        try render(reusing: nil)
    }

    /// The render, with the engine, network, face finder, framed source and per-source state
    /// taken from `reuse` where it has them (`portrait serve`'s in-process previews), else made.
    /// Without `reuse` (the command line) errors are reported on stderr with exit status 2.
    func render(reusing reuse: RenderReuse?) throws {
        try reuse.handlingErrors {
            if reuse == nil { Interrupt.install() }
            let model = try self.model.adopting(savedSource: avatar)   // a saved avatar's own config and family
            let engine = try reuse.engine(deviceOptions) { try deviceOptions.makeEngine() }
            let network = try reuse.model(model, device: deviceOptions) { try model.makeModel(engine: engine) }
            if let avatar, let record = try SavedSourceRecord.read(avatar) { try record.checkWeights(of: network, weights: model.weightsName) }
            let size = network.inputSize
            let locator = framing.needsDetector(hasSource: source != nil, hasDriver: driver != nil)
                ? try reuse.locator([deviceOptions.device ?? "default", model.family.rawValue, framing.detector.rawValue]) {
                    try FaceLocator(engine: engine, family: model.family, detector: framing.detector)
                } : nil
            if faces.all { return try renderAllFaces(network: network, locator: locator, engine: engine) }

            if let source, let livePortrait = network as? LivePortraitModel, StillSource.videoDescription(source) != nil {
                try renderSourceVideo(source, network: livePortrait, locator: locator, engine: engine)
                return
            }
            let moreSources = try sources.dropFirst().map {
                try SourcePicture(path: $0, size: size, framing: framing.source, locator: locator, filter: input.filter(for: network))
            }
            if audioFrom != nil { throw ValidationError("--audio-from chooses the audio of a source video (LivePortrait video-to-video); the source is a picture") }
            var picture: SourcePicture?
            var sourceMask: Tensor?
            if let source {
                let read = try reuse.picture { try SourcePicture(path: source, size: size, framing: framing.source, locator: locator, filter: input.filter(for: network)) }
                if framing.source.choice == .auto { printError("portrait: source face at \(read.region) (x,y,size) in \(source)\(read.rotated.map { String(format: ", turned %.1f°", $0.angle * 180 / .pi) } ?? "")\(locator?.lastRule.map { "; framed by \($0)" } ?? "")") }
                if framing.source.choice == .auto {
                    for (path, extra) in zip(sources.dropFirst(), moreSources) { printError("portrait: source face at \(extra.region) (x,y,size) in \(path)") }
                }
                sourceMask = try input.sourceMask(accepted: network.acceptsSourceMask, for: FrameConversion.tensor(read.framed), engine: engine, sourceWidth: read.width,
                                                  sourceHeight: read.height, crop: read.crop)
                picture = read
            } else if input.sourceMask != nil || input.faceParsing != nil {
                throw ValidationError("--source-mask and --face-parsing apply when the avatar is built from --source; a saved --avatar already holds its masked source")
            }
            let outputRate = try fps.map { try FrameRate(parsing: $0) }
            let plan = try scaleOut.plan.map { try RenderPlan.load($0) }
            let piece = try scaleOut.piece()
            var driverFraming = DriverFraming(framing, locator: locator, frames: frames)
            if driver != nil {
                if let crops = plan?.squareCrops { driverFraming = .planned(crops) } else if piece != nil, case .auto = driverFraming {
                    throw ValidationError("a sharded render with --crop auto needs the clip's face track: make it once with `portrait plan` and pass --plan")
                }
            }
            let drive = try openDrive(network: network, framing: driverFraming, outputRate: outputRate)
            if let plan, let scaleOutPlan = scaleOut.plan, case .video(let reader, _, _) = drive { try plan.check(reader, planPath: scaleOutPlan) }
            let sourceImage = picture?.framed
            let frameRate = try outputRate ?? drive.frameRate()
            let wanted = min(frames ?? .max, plan?.frames ?? .max)
            let interval = plan?.keyframeInterval ?? scaleOut.keyframeInterval ?? PlanCommand.defaultInterval(frameRate.framesPerSecond)
            guard let part = try RenderPiece.make(piece: piece, output: output, wanted: wanted,
                                                  clip: { try plan?.frames ?? drive.exactCount() }, interval: interval) else { return }
            let range = part.range, outputPath = part.outputPath
            let resumable = try RenderResume.prepare(output: outputPath, kind: OutputSink.kind(for: outputPath), shard: piece != nil, resume: resume)
            let disclosure = RenderDisclosure(watermark: !noWatermark, network: network, model: model, engine: engine,
                                              renderID: resumable?.renderID ?? plan.flatMap { UInt32($0.renderID, radix: 16) }, created: resumable?.created)
            let sink = try OutputSink(path: outputPath, frameRate: frameRate, audioSource: noAudio || piece != nil ? nil : drive.audioPath, crf: crf,
                                      metadata: disclosure.tags.merging(part.tags) { _, new in new }, keyframeInterval: interval)
            if piece != nil && sink.kind != .video {
                throw ValidationError("a shard writes a video segment: give -o OUT.mp4 (segments OUT.part-I-of-N.mp4)")
            }
            try resumable?.start(current: ResumeState(arguments: Array(CommandLine.arguments.dropFirst()), output: outputPath, device: engine.name,
                                                      renderID: disclosure.renderIDHex, created: disclosure.created,
                                                      keyframeInterval: sink.kind == .video ? interval : nil),
                                 tags: sink.tags)
            // A float .safetensors output is the model's own image, for comparisons: no paste-back unless asked.
            let pasteInto = (pasteBack ?? (sink.kind != .tensor && picture?.isLargerThanCrop == true)) ? picture : nil
            let composer = FrameComposer(pasteInto: pasteInto, framedSource: sourceImage, sideBySide: sideBySide, disclosure: disclosure, engine: engine,
                                         livePortraitPaste: network.officialResize == .opencv,
                                         truncatesLikeLivePortrait: network.officialResize == .opencv && sink.kind != .tensor)
            printError("portrait: \(network.configName) on \(engine.name); \(model.weightsDescription)")
            var dump = StageDump()
            var avatarRecorder: StageRecorder?
            let avatarState: any PortraitSource
            let total = drive.count.map { min($0, range.upperBound) - range.lowerBound } ?? (range.upperBound == .max ? nil : range.count)
            let estimate = JobEstimate(model: network, buildsAvatar: avatar == nil, frames: total)
            let measuredRate = reuse.measuredRate(deviceOptions, engine: engine)
            printError("portrait: " + estimate.summary(rate: measuredRate))
            if let avatar {
                avatarState = try reuse.source { try FileFamily.explaining(avatar, for: model.family) { try network.loadSource(path: avatar) } }
            } else if let sourceImage {
                let sourceTensor = FrameConversion.tensor(sourceImage)
                dump.add(input: "source.image", sourceTensor)
                dump.add(input: "source.mask", sourceMask)
                avatarState = try reuse.source {
                    let built: (source: any PortraitSource, recorder: StageRecorder, seconds: Double, rate: Double)
                    built = try AvatarBuildProgress.build(network, images: [sourceTensor] + moreSources.map { FrameConversion.tensor($0.framed) }, mask: sourceMask,
                                                          keepingOutputs: stages != nil, assumedRate: measuredRate)
                    if stages != nil { avatarRecorder = built.recorder }
                    printError(String(format: "portrait: avatar built in %.2f s (%.0f GFLOP/s; saved avatars skip this: `portrait avatar`)", built.seconds, built.rate / 1e9)
                               + (estimate.framesEstimate(rate: built.rate).map { "; " + $0 } ?? ""))
                    return built.source
                }
            } else {
                throw ValidationError("give --source IMG or --avatar FILE")
            }

            let session = PortraitSession(model: network, source: avatarState, stillDriver: drive.isStill)
            let clip = try session.clip()
            let progress = ProgressReporter(label: "rendering", total: total)
            do {
                try resumable?.begin(sink: sink)
                for (index, step) in drive.makeIterator(size: size).enumerated() {
                    if index >= range.upperBound { break }
                    if Interrupt.requested { throw InterruptedError(outcome: sink.interrupted()) }
                    let (kind, driverFrame) = try step.get()
                    // An earlier shard's frame, or one an interrupted render finished: decoded, not rendered.
                    let kept = index >= range.lowerBound && resumable?.isFinished(index - range.lowerBound) == true
                    if index < range.lowerBound || kept {
                        switch kind {
                        case .image(let img): try clip.skip { FrameConversion.tensor(img) }
                        case .motion(let m): try clip.skip(motion: m)
                        case .pose, .edit, .points: break
                        }
                        if kept { sink.skip(); progress.skip() }
                        continue
                    }
                    let frameRecorder = stages != nil && progress.done == 0 ? StageRecorder() : nil
                    let tensor: Tensor
                    switch kind {
                    case .image(let img):
                        let driverTensor = FrameConversion.tensor(img)
                        if frameRecorder != nil { dump.add(input: "driver.image", driverTensor) }
                        tensor = try session.render(driver: driverTensor, recorder: frameRecorder)
                    case .pose(let p): tensor = try session.render(pose: p, recorder: frameRecorder)
                    case .edit(let e): tensor = try clip.render(edit: e, recorder: frameRecorder)
                    case .motion(let m): tensor = try clip.render(motion: m, recorder: frameRecorder)
                    case .points(let p): tensor = try clip.render(points68: p, recorder: frameRecorder)
                    }
                    if let stages, let frameRecorder {
                        if let avatarRecorder { dump.add(avatarRecorder) }
                        dump.add(frameRecorder)
                        try dump.write(to: stages, metadata: ["config": network.configName, "weights_fingerprint": network.weightsFingerprint])
                        printError("portrait: wrote \(dump.count) float32 stage tensors to \(stages)")
                    }
                    let frame = try composer.compose(tensor, driver: driverFrame)
                    try sink.write(frame)
                    progress.advance()
                }
                if Interrupt.requested { throw InterruptedError(outcome: sink.interrupted()) }
                try sink.finish()
                resumable?.completed()
            } catch {
                progress.finish()
                if !(error is InterruptedError) { sink.cancel() }
                resumable?.stopped(framesOnDisk: sink.framesOnDisk)
                throw error
            }
            progress.finish()
            if let locator, locator.searches > 0 {
                let perFrame = progress.done > 0 ? progress.elapsed / Double(progress.done) : 0
                let perSearch = locator.seconds / Double(locator.searches)
                printError(String(format: "portrait: face finding: %d pictures in %.2f s (%.0f ms each, %.1f %% of a rendered frame's %.2f s)",
                                  locator.searches, locator.seconds, perSearch * 1000, perFrame > 0 ? 100 * perSearch / perFrame : 0, perFrame))
            }
            print(String(format: "wrote %@: %d frames in %.1f s (%.2f fps)", outputPath, sink.framesWritten, progress.elapsed, progress.framesPerSecond))
        }
    }

    /// LivePortrait's video-to-video mode (`SourceVideoRender`), with the options it honours.
    private func renderSourceVideo(_ source: String, network: LivePortraitModel, locator: FaceLocator?, engine: Engine) throws {
        guard let driver else { throw ValidationError("a source video is animated by a driving clip, picture or motion file: give --driver") }
        var unsupported = [("--side-by-side", sideBySide), ("--stages", stages != nil), ("--plan", scaleOut.plan != nil), ("--resume", resume),
                           ("--source-mask", input.sourceMask != nil), ("--face-parsing", input.faceParsing != nil)].filter(\.1).map(\.0)
        if try scaleOut.piece() != nil { unsupported.append("--shard") }
        guard unsupported.isEmpty else {
            throw ValidationError("a source video (video-to-video) does not take \(unsupported.joined(separator: ", "))")
        }
        let disclosure = RenderDisclosure(watermark: !noWatermark, network: network, model: model, engine: engine)
        let sourceFraming = DriverFraming(framing, role: .source, locator: locator, frames: frames)
        let driverFraming = DriverFraming(framing, locator: locator, frames: frames)
        try SourceVideoRender(network: network, sourcePath: source, driverPath: driver, sourceFraming: sourceFraming, driverFraming: driverFraming,
                              filter: input.filter(for: network), output: output, frames: frames, audio: noAudio ? .none : (audioFrom ?? .driver),
                              crf: crf, pasteBack: pasteBack, disclosure: disclosure).run()
    }
}
#endif
