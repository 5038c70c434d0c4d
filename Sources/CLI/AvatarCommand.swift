#if canImport(Media)
import ArgumentParser
import Avatar
import Foundation
import Kernels
import Media
import Runtime

/// `portrait avatar`: builds the per-avatar state once and saves it for many renders.
struct AvatarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avatar",
        abstract: "Encode a source portrait once (the ~3 TFLOP per-avatar work) and save it for later renders.")

    @Option(help: "Source portrait (PNG/JPEG).")
    var source: String

    @OptionGroup var framing: CropOptions
    @OptionGroup var faces: FacesOptions

    @Option(name: .shortAndLong, help: "Avatar file to write (safetensors).")
    var output: String

    @OptionGroup var input: InputOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        try framing.check(roles: [.source], command: "avatar")
        if faces.all {
            throw ValidationError("an avatar file holds one face: build one per face with --source-face N (`portrait faces` numbers them), or animate every face from the picture with `portrait render --faces all`")
        }
    }

    func run() throws {
        try reportingErrors {
            Interrupt.install()
            let engine = try deviceOptions.makeEngine()
            let network = try model.makeModel(engine: engine)
            let size = network.inputSize
            let locator = framing.needsDetector(hasSource: true, hasDriver: false) ? try FaceLocator(engine: engine, family: model.family, detector: framing.detector) : nil
            let picture = try SourcePicture(path: source, size: size, framing: framing.source, locator: locator, filter: input.filter(for: network))
            let mask = try input.sourceMask(accepted: network.acceptsSourceMask, for: FrameConversion.tensor(picture.framed), engine: engine, sourceWidth: picture.width,
                                            sourceHeight: picture.height, crop: picture.crop)
            let built = try AvatarBuildProgress.build(network, image: FrameConversion.tensor(picture.framed), mask: mask, keepingOutputs: false)
            try built.source.save(to: output, engine: engine)
            print(String(format: "wrote avatar %@ (%@, built in %.2f s on %@, %.0f GFLOP/s)", output, network.configName, built.seconds, engine.name, built.rate / 1e9))
        }
    }
}
#endif
