#if canImport(Media)
import ArgumentParser
import Foundation
import Kernels
import LivePortrait
import Media
import NetworkCore
import PortraitKit
import Runtime

/// Which faces of the source picture `render` animates.
enum FacesChoice: String, ExpressibleByArgument, CaseIterable {
    /// One face: the largest, or the one `--source-face` picks (the default).
    case one
    /// Every face found (FasterLivePortrait's multi-face mode).
    case all
}

/// `--faces one|all`: `render --faces all` animates every face of the source picture with the one
/// driver (`AllFacesRender`); `avatar` refuses it (an avatar file holds one face).
struct FacesOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Which faces of the source picture to animate: one (the default; --source-face picks it) or all (render only; an avatar file holds one face): every face found is framed, animated by the one driver and pasted back into one output picture, the smallest first, so a larger face lies on top where two crops overlap.",
                               valueName: "one|all"))
    var faces: FacesChoice?

    /// Whether every face is animated.
    var all: Bool { faces == .all }
}

/// `render --faces all`: every face of the source picture (`FaceLocator.crops`, largest first) is
/// framed as for a one-face render, gets its own `PortraitSession` (source state and clip, one
/// network for all), and is driven by the same
/// driver frame; the renders are pasted back into the source picture one after another, from the
/// smallest face to the largest (face 0 last, on top), each as the one-face render pastes it
/// (LivePortrait's official soft mask, MegaPortraits' feathered square). Where the faces' crops do
/// not overlap, each face's pixels equal the one-face render's (`--source-face N`).
struct AllFacesRender {
    /// One face: where it is, and its session.
    struct Face {
        let crop: SquareCrop
        let session: PortraitSession
    }

    let network: any PortraitModel
    /// The source picture, as read.
    let original: RGBImage
    /// Every face, largest first.
    let faces: [Face]

    /// Finds every face of the picture at `path` with `locator`, frames each for `network` with
    /// `filter` and builds its source state (masked by `input` when the network reads a mask); each
    /// session's clip treats its driver as a still picture when `stillDriver` is set.
    init(network: any PortraitModel, path: String, locator: FaceLocator, filter: ResizeFilter, input: InputOptions, stillDriver: Bool) throws {
        if let what = StillSource.videoDescription(path) {
            throw MediaError.invalidArgument("\(path) is a video (\(what)); --faces all animates the faces of one picture (a source video follows one face: drop --faces all, pick it with --source-face N)")
        }
        self.network = network
        original = try ImageReader.read(path)
        let crops = try locator.crops(original, path: path)
        var faces: [Face] = []
        for (index, crop) in crops.enumerated() {
            let framed = try FrameConversion.frame(original, path: path, role: "source", size: network.inputSize, crop: crop, filter: filter)
            printError("portrait: source face \(index) of \(crops.count) at \(crop) (x,y,size) in \(path)")
            let tensor = FrameConversion.tensor(framed)
            let mask = try input.sourceMask(accepted: network.acceptsSourceMask, for: tensor, engine: network.engine, sourceWidth: original.width,
                                            sourceHeight: original.height, crop: crop)
            let built = try AvatarBuildProgress.build(network, image: tensor, mask: mask, keepingOutputs: false)
            faces.append(Face(crop: crop, session: PortraitSession(model: network, source: built.source, stillDriver: stillDriver)))
        }
        self.faces = faces
    }

    /// The source picture with every face driven by `step` pasted back (smallest first), not yet
    /// watermarked.
    func frame(_ step: DriverSource.Step) throws -> RGBImage {
        var driver: Tensor?   // the driving picture's tensor, made once for all faces
        var picture = original
        for face in faces.reversed() {
            let rendered: Tensor
            switch step {
            case .image(let image):
                let tensor = driver ?? FrameConversion.tensor(image)
                driver = tensor
                rendered = try face.session.render(driver: tensor)
            case .pose(let pose): rendered = try face.session.render(pose: pose)
            case .edit(let edit): rendered = try face.session.clip().render(edit: edit, recorder: nil)
            case .motion(let motion): rendered = try face.session.clip().render(motion: motion, recorder: nil)
            }
            picture = try picture.pastingRendered(try FrameConversion.image(rendered, engine: network.engine), into: face.crop,
                                                  likeLivePortrait: network.officialResize == .opencv)
        }
        return picture
    }
}

extension RGBImage {
    /// This picture with a model's rendered square `face` pasted back into `region`: as
    /// LivePortrait's official pipeline pastes (`likeLivePortrait`: its soft mask, OpenCV warps,
    /// 8-bit blend), else with a square feathered over a sixteenth of its side.
    func pastingRendered(_ face: RGBImage, into region: SquareCrop, likeLivePortrait: Bool) throws -> RGBImage {
        likeLivePortrait ? try pastingLikeLivePortrait(face, into: region) : try pasting(face, into: region, feather: max(2, region.size / 16))
    }
}

extension RenderCommand {
    /// Refuses what `--faces all` cannot honour, before any work.
    func checkAllFaces() throws {
        guard faces.all else { return }
        if avatar != nil {
            throw ValidationError("--faces all builds one avatar per face of the --source picture; a saved --avatar holds one face (render it without --faces all)")
        }
        if framing.sourceFace != nil || framing.face != nil {
            throw ValidationError("--faces all animates every face of the source; --source-face/--face pick one (drop them; --driver-face picks the driver's face)")
        }
        if framing.source.choice != .auto {
            throw ValidationError("--faces all finds the source's faces (auto framing), but the source is framed by --\(framing.sourceCrop == nil ? "" : "source-")crop \(CropOptions.name(framing.source.choice)); drop one of them")
        }
        if pasteBack == false {
            throw ValidationError("--faces all pastes every face back into the source picture; with --no-paste-back there is no one picture to write (render one face with --source-face N instead)")
        }
        if (try? OutputSink.kind(for: output)) == .tensor {
            throw ValidationError("a .safetensors output is one face's float image; --faces all writes the pasted-back picture: give -o OUT.png, OUT.mp4 or DIR/")
        }
        var unsupported = [("--side-by-side", sideBySide), ("--stages", stages != nil), ("--plan", scaleOut.plan != nil), ("--resume", resume)].filter(\.1).map(\.0)
        if try scaleOut.piece() != nil { unsupported.append("--shard") }
        guard unsupported.isEmpty else { throw ValidationError("--faces all does not take \(unsupported.joined(separator: ", ")); render one face (--source-face N) with them") }
    }

    /// `render --faces all` (see `AllFacesRender`): the driver opened as for one face, every face
    /// animated by each of its frames, one output picture per frame.
    func renderAllFaces(network: any PortraitModel, locator: FaceLocator?, engine: Engine) throws {
        guard let source, let locator else { throw ValidationError("--faces all needs --source and auto framing of it") }
        let size = network.inputSize, filter = input.filter(for: network)
        let outputRate = try fps.map { try FrameRate(parsing: $0) }
        let drive = try openDrive(network: network, framing: DriverFraming(framing, locator: locator, frames: frames), outputRate: outputRate)
        printError("portrait: \(network.configName) on \(engine.name); \(model.weightsDescription)")
        let render = try AllFacesRender(network: network, path: source, locator: locator, filter: filter, input: input, stillDriver: drive.isStill)
        let disclosure = RenderDisclosure(watermark: !noWatermark, network: network, model: model, engine: engine)
        let sink = try OutputSink(path: output, frameRate: try outputRate ?? drive.frameRate(), audioSource: noAudio ? nil : drive.audioPath, crf: crf,
                                  metadata: disclosure.tags)
        let wanted = frames ?? .max
        let progress = ProgressReporter(label: "rendering", total: drive.count.map { min($0, wanted) })
        do {
            for (index, step) in drive.makeIterator(size: size).enumerated() {
                if index >= wanted { break }
                if Interrupt.requested { throw InterruptedError(outcome: sink.interrupted()) }
                let picture = try render.frame(try step.get().0)
                try sink.write(try FrameConversion.image(try disclosure.mark(FrameConversion.tensor(picture)), engine: engine))
                progress.advance()
            }
            if Interrupt.requested { throw InterruptedError(outcome: sink.interrupted()) }
            try sink.finish()
        } catch {
            progress.finish()
            if !(error is InterruptedError) { sink.cancel() }
            throw error
        }
        progress.finish()
        print(String(format: "wrote %@: %d frames (faces: %d) in %.1f s (%.2f fps)", output, sink.framesWritten, render.faces.count,
                     progress.elapsed, progress.framesPerSecond))
    }
}
#endif
