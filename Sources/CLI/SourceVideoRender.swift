#if canImport(Media)
import ArgumentParser
import Face
import Foundation
import Kernels
import LivePortrait
import Media
import NetworkCore
import Runtime

/// LivePortrait's video-to-video mode (`render --source CLIP --driver CLIP2`): every source frame
/// is framed (its face followed through the clip), encoded and animated by the driving frame of
/// the same index, with the official motion rules and smoothing (`SourceVideoMotion`), and pasted
/// back into its own frame. As the official pipeline: the clip has min(source, driver) frames
/// (all source frames for a driving picture), the source's frame rate, and the driver's audio
/// when it has one, else the source's (`--audio-from source` prefers the source's).
struct SourceVideoRender {
    let network: LivePortraitModel
    let sourcePath: String
    let driverPath: String
    let sourceFraming: DriverFraming
    let driverFraming: DriverFraming
    let filter: ResizeFilter
    let output: String
    let frames: Int?
    let audio: AudioChoice
    let crf: Int
    let pasteBack: Bool?
    let disclosure: RenderDisclosure

    /// Which clip's audio the output carries.
    enum AudioChoice: String, ExpressibleByArgument, CaseIterable {
        /// The driver's when it has audio, else the source's (the official default).
        case driver
        /// The source's when it has audio, else the driver's.
        case source
        /// None.
        case none
    }

    func run() throws {
        let engine = network.engine, size = network.inputSize
        let lp = network.network
        // Pass 1: every source frame's motion (the official source template) and the driver's.
        var sourceMotions: [LivePortraitMotion] = []
        var sourceCrops: DriverCrops = .same(nil)
        var followed: FollowedSource?
        let limit = frames ?? .max
        if case .auto(let locator, let options, _, _) = sourceFraming, var track = SourceVideoCropTrack(locator: locator, framing: options.source, path: sourcePath) {
            // As the official crop_source_video: each frame's own crop, turned by its own roll, followed by its landmarks.
            let reader = try VideoReader(path: sourcePath)
            var crops: [LivePortraitCrop] = [], faceless: Int?
            let reading = ProgressReporter(label: "reading source motion", total: reader.frameCountEstimate.map { min($0, limit) })
            while crops.count < limit, let original = try reader.next() {
                if Interrupt.requested { throw InterruptedError(outcome: "nothing was written") }
                guard let crop = try track.crop(of: original, index: crops.count) else { faceless = crops.count; break }
                let tensor = FrameConversion.tensor(try framedSource(original, crop: crop, size: size))
                sourceMotions.append(try lp.motion(of: tensor, recordAs: "source"))
                crops.append(crop)
                reading.advance()
            }
            reading.finish()
            followed = FollowedSource(crops: crops, faceless: faceless, searchedAgain: track.searchedAgain, frameRate: reader.frameRate.framesPerSecond)
        } else {
            let sourceClip = try DriverSource.open(driver: sourcePath, size: size, framing: sourceFraming, filter: filter)
            guard case .video(_, let crops, _) = sourceClip else {
                throw ValidationError("\(sourcePath) is not a video; video-to-video needs a source clip")
            }
            sourceCrops = crops
            let reading = ProgressReporter(label: "reading source motion", total: sourceClip.count.map { min($0, limit) })
            for step in sourceClip.makeIterator(size: size) {
                if sourceMotions.count >= limit { break }
                if Interrupt.requested { throw InterruptedError(outcome: "nothing was written") }
                guard case .image(let picture) = try step.get().0 else { continue }
                sourceMotions.append(try lp.motion(of: FrameConversion.tensor(picture), recordAs: "source"))
                reading.advance()
            }
            reading.finish()
        }
        let drive = try DriverSource.open(driver: driverPath, size: size, framing: driverFraming, filter: filter)
        let measurer = network.measurer as? LandmarkRetargeting
        var driverMotions: [LivePortraitMotion] = [], driverRatios: [RetargetingRatios] = []
        for step in drive.makeIterator(size: size) {
            // One more than the source's frames when a source frame had no face: whether the driver reaches it.
            if driverMotions.count >= sourceMotions.count + (followed?.faceless == nil ? 0 : 1) { break }
            if Interrupt.requested { throw InterruptedError(outcome: "nothing was written") }
            switch try step.get().0 {
            case .image(let picture):
                let tensor = FrameConversion.tensor(picture)
                driverMotions.append(try lp.motion(of: tensor))
                if let measurer, measurer.measuresDrivingFrames {
                    driverRatios.append(try measurer.ratios(of: tensor, role: "driving frame \(driverMotions.count - 1)"))
                }
            case .motion(let motion): driverMotions.append(motion)
            case .pose, .edit, .points: throw ValidationError("video-to-video is driven by a clip, a picture or a motion file")
            }
        }
        if case .motions(let track, let path) = drive { try track.check(against: lp, path: path) }
        if let followed { try followed.check(path: sourcePath, driverFrames: driverMotions.count) }
        guard !driverMotions.isEmpty, !sourceMotions.isEmpty else { throw MediaError.corrupt(path: driverPath, reason: "no frame could be read") }
        let count = driverMotions.count > 1 ? min(sourceMotions.count, driverMotions.count) : sourceMotions.count
        if let followed { printError(followed.report(frames: count)) }
        let targets = try SourceVideoMotion.targets(source: sourceMotions, driver: driverMotions, frames: count,
                                                    relative: network.options.relativeMotion, config: lp.config)
        printError("portrait: video-to-video: \(count) frames (source \(sourceMotions.count), driver \(driverMotions.count)); motion smoothed as the official pipeline")

        // Pass 2: each source frame encoded, animated toward its target and pasted back into itself.
        let sourceReader = try VideoReader(path: sourcePath)
        let sink = try OutputSink(path: output, frameRate: sourceReader.frameRate, audioSource: audioPath(drive: drive, source: sourceReader),
                                  crf: crf, metadata: disclosure.tags, keyframeInterval: PlanCommand.defaultInterval(sourceReader.frameRate.framesPerSecond))
        let progress = ProgressReporter(label: "rendering", total: count)
        do {
            for index in 0..<count {
                if Interrupt.requested { throw InterruptedError(outcome: sink.interrupted(resumable: false)) }
                guard let original = try sourceReader.next() else { break }
                let turned = followed.map { $0.crops[index] }
                let crop = try turned.map { try FaceLocator.square($0.frame, width: original.width, height: original.height, path: sourcePath) }
                    ?? sourceCrops.crop(frame: index)
                let framed = try turned.map { try framedSource(original, crop: $0, size: size) }
                    ?? FrameConversion.frame(original, path: sourcePath, role: "source", size: size, crop: crop, filter: filter)
                let tensor = FrameConversion.tensor(framed)
                let state = try lp.makeSource(image: tensor)
                var options = network.options
                if let measurer {
                    let driving = driverRatios.isEmpty ? nil : driverRatios[min(index, driverRatios.count - 1)]
                    options = try measurer.sourceVideoOptions(options, frame: tensor, index: index, driving: driving)
                }
                let x = try lp.sourceVideoKeypoints(source: state, targets: targets, index: index, options: options)
                let rendered = try lp.render(source: state, drivingKeypoints: x)
                var frame = try FrameConversion.image(rendered, engine: engine)
                let region = crop ?? SquareCrop.centered(width: original.width, height: original.height)
                let paste = pasteBack ?? (sink.kind != .tensor && crop != nil && (turned != nil || region.size < original.width || region.size < original.height))
                if paste {
                    // A followed face goes back through its own frame's inverse crop matrix (the official M_c2o_lst[i]).
                    frame = try original.pastingRendered(frame, into: region, rotated: filter == .opencv ? turned : nil, likeLivePortrait: true)
                } else if sink.kind != .tensor { frame = frame.truncatedToLevels() }
                try sink.write(try FrameConversion.image(try disclosure.mark(FrameConversion.tensor(frame)), engine: engine))
                progress.advance()
            }
            if Interrupt.requested { throw InterruptedError(outcome: sink.interrupted(resumable: false)) }
            try sink.finish()
        } catch {
            progress.finish()
            if !(error is InterruptedError) { _ = sink.cancel() }
            throw error
        }
        progress.finish()
        print(String(format: "wrote %@: %d frames in %.1f s (%.2f fps)", output, sink.framesWritten, progress.elapsed, progress.framesPerSecond))
    }

    /// Source frame `original` framed for the network by its followed face's `crop`: cut turned
    /// through the official matrix and shrunk with `INTER_AREA` (the official cropper's arithmetic),
    /// or, with another `--resize` filter, the axis-aligned square of the same centre and side.
    private func framedSource(_ original: RGBImage, crop: LivePortraitCrop, size: Int) throws -> RGBImage {
        guard filter == .opencv else {
            let square = try FaceLocator.square(crop.frame, width: original.width, height: original.height, path: sourcePath)
            return try FrameConversion.frame(original, path: sourcePath, role: "source", size: size, crop: square, filter: filter)
        }
        try FrameConversion.checkSize(original, path: sourcePath, role: "source", size: size)
        return try original.framedLikeOpenCV(size: size, cropMatrix: crop.cropMatrix(outputSide: 2 * size))
    }

    /// The audio to copy under `audio`: the preferred clip's when it has audio, else the other's.
    private func audioPath(drive: DriverSource, source: VideoReader) -> String? {
        let driverAudio = drive.audioPath, sourceAudio = source.hasAudio ? sourcePath : nil
        switch audio {
        case .driver: return driverAudio ?? sourceAudio
        case .source: return sourceAudio ?? driverAudio
        case .none: return nil
        }
    }
}
#endif
