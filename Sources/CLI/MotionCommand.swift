#if canImport(Media)
import ArgumentParser
import Foundation
import Kernels
import LivePortrait
import Media
import NetworkCore
import Runtime

/// `portrait motion`: a driving clip's LivePortrait motion, extracted once into a motion file
/// (no face pixels) that `render --driver FILE.motion` drives with.
struct MotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion",
        abstract: "Extract a driving clip's LivePortrait motion once into a .motion file (no face pixels).",
        discussion: """
        The clip is framed as render frames a driver (the face found and followed, or --crop), and \
        every frame's motion (keypoints, head pose, expression) is written as JSON. Render with it \
        as with the clip: `portrait render --source me.jpg --driver clip.motion -o out.mp4` (no audio: \
        the file holds motion only). The file records the model and weights it was read with; \
        another model refuses it.
        """)

    @Option(help: "Driving video (or picture) to read the motion of.")
    var driver: String

    @Option(help: "Read at most this many frames.")
    var frames: Int?

    @Option(name: .shortAndLong, help: "Motion file to write (FILE.motion, JSON).")
    var output: String

    @OptionGroup var framing: CropOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        try framing.check(roles: [.driver], command: "motion")
        guard output.lowercased().hasSuffix(".\(MotionTrack.fileExtension)") else {
            throw ValidationError("-o \(output): a motion file is written as FILE.\(MotionTrack.fileExtension)")
        }
    }

    func run() throws {
        try reportingErrors {
            Interrupt.install()
            let engine = try deviceOptions.makeEngine()
            let network = try model.makeModel(engine: engine)
            guard let livePortrait = network as? LivePortraitModel else {
                throw ValidationError("motion files hold LivePortrait's implicit keypoints; use a LivePortrait config (--model liveportrait)")
            }
            let size = network.inputSize
            let locator = framing.needsDetector(hasSource: false, hasDriver: true) ? try FaceLocator(engine: engine, family: model.family, detector: framing.detector) : nil
            let drive = try DriverSource.open(driver: driver, size: size, framing: DriverFraming(framing, locator: locator, frames: frames),
                                              filter: input.filter(for: network))
            let frameRate = try drive.frameRate()
            let total = drive.count.map { min($0, frames ?? .max) }
            let progress = ProgressReporter(label: "reading motion", total: total)
            var motions: [LivePortraitMotion] = []
            for step in drive.makeIterator(size: size) {
                if let frames, motions.count >= frames { break }
                if Interrupt.requested { throw InterruptedError(outcome: "nothing was written") }
                guard case .image(let picture) = try step.get().0 else { continue }
                motions.append(try livePortrait.network.motion(of: FrameConversion.tensor(picture)))
                progress.advance()
            }
            progress.finish()
            guard !motions.isEmpty else { throw MediaError.corrupt(path: driver, reason: "no frame could be read") }
            let track = MotionTrack(config: network.configName, keypoints: livePortrait.network.config.numKeypoints,
                                    weightsFingerprint: network.weightsFingerprint, framesPerSecond: frameRate.framesPerSecond,
                                    origin: "portrait motion \(URL(fileURLWithPath: driver).lastPathComponent)", frames: motions)
            try track.save(to: output)
            print("wrote \(output): \(motions.count) frames of \(network.configName) motion at \(String(format: "%.3g", frameRate.framesPerSecond)) fps")
        }
    }
}
#endif
