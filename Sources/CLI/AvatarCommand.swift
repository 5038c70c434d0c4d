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

    @Option(name: .customLong("source"), help: "Source portrait (PNG/JPEG). The few-shot network (--model fewshot) takes it up to 32 times: pictures of one person, their identities averaged into the avatar.")
    var sources: [String] = []

    @OptionGroup var framing: CropOptions
    @OptionGroup var faces: FacesOptions

    @Option(name: .shortAndLong, help: "Avatar file to write (safetensors).")
    var output: String

    @OptionGroup var input: InputOptions
    @OptionGroup var model: ModelOptions
    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        try framing.check(roles: [.source], command: "avatar")
        guard !sources.isEmpty else { throw ValidationError("give the source picture with --source IMG") }
        try FewShotRender.checkSourceCount(sources.count, model: model)
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
            let pictures = try sources.map { try SourcePicture(path: $0, size: size, framing: framing.source, locator: locator, filter: input.filter(for: network)) }
            let picture = pictures[0]
            let mask = try input.sourceMask(accepted: network.acceptsSourceMask, for: FrameConversion.tensor(picture.framed), engine: engine, sourceWidth: picture.width,
                                            sourceHeight: picture.height, crop: picture.crop)
            let built = try AvatarBuildProgress.build(network, images: pictures.map { FrameConversion.tensor($0.framed) }, mask: mask, keepingOutputs: false)
            try built.source.save(to: output, engine: engine)
            let from = sources.count > 1 ? " from \(sources.count) pictures" : ""
            print(String(format: "wrote avatar %@ (%@%@, built in %.2f s on %@, %.0f GFLOP/s)", output, network.configName, from, built.seconds, engine.name, built.rate / 1e9))
        }
    }
}
#endif
