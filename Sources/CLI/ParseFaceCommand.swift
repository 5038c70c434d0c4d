#if canImport(Media)
import ArgumentParser
import FaceParsing
import Foundation
import Kernels
import Media
import Runtime

/// `portrait parse-face IMAGE --weights W.safetensors -o mask.png [--device D]`: the EMOPortraits
/// source mask (BiSeNet face parsing with the official wrapper's processing) as a PNG, white
/// where the pixel's class is a mask label, black elsewhere, at the image's size.
struct ParseFaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-face",
        abstract: "Write the face-parsing source mask (BiSeNet, as EMOPortraits uses it) of an image as a PNG.",
        discussion: """
            The image is parsed as given (crop it to the face first, as EMOPortraits parses its source crop). \
            Weights: convert 79999_iter.pth with reference/convert_face_parsing.py. The PNG is 8-bit RGB with \
            equal channels (0 or 255).
            """)

    @Argument(help: "The image (PNG, or anything ffmpeg decodes).")
    var image: String

    @Option(help: "Face-parsing weights (safetensors from reference/convert_face_parsing.py).")
    var weights: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the mask PNG.")
    var output: String

    @Option(help: "Comma-separated class labels that make up the mask (default: EMOPortraits' 1-14,17,18).")
    var labels: String?

    @Option(help: "Square size the image is resized to for the network (the official wrapper uses 512).")
    var networkSize: Int = 512

    @OptionGroup var deviceOptions: DeviceOptions

    /// `--labels` parsed, or the default labels.
    func maskLabels() throws -> [Int] {
        guard let labels else { return FaceParser.defaultMaskLabels }
        let texts = labels.split(separator: ",", omittingEmptySubsequences: false)
        let values = texts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count == texts.count else {
            throw ValidationError("--labels expects comma-separated class numbers (e.g. 1,2,3,10,17), got '\(labels)'")
        }
        return values
    }

    func run() throws {
        let labels = try maskLabels()
        try reportingErrors {
            let engine = try deviceOptions.makeEngine()
            let parser = try FaceParser(weights: weights, engine: engine, networkSize: networkSize)
            let picture = try ImageReader.read(image)
            let mask = try parser.mask(for: FrameConversion.tensor(picture), labels: labels)
            guard let values = try engine.host(mask).hostValues else { throw RuntimeError.shapeMismatch("the face-parsing mask did not reach the host") }
            var rgb = [Float](repeating: 0, count: values.count * 3)
            for (i, v) in values.enumerated() { rgb[3 * i] = v; rgb[3 * i + 1] = v; rgb[3 * i + 2] = v }
            try PNGCodec.write(try RGBImage(width: picture.width, height: picture.height, pixels: rgb), to: output)
            let share = Double(values.reduce(0, +)) / Double(max(values.count, 1)) * 100
            print("\(output): \(picture.width)×\(picture.height) mask, \(String(format: "%.1f", share)) % of pixels in labels \(labels.map(String.init).joined(separator: ",")) (\(engine.name))")
        }
    }
}
#endif
