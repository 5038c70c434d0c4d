#if canImport(Media)
import ArgumentParser
import Face
import Foundation
import Kernels
import Media
import Runtime

/// `portrait faces IMAGE|VIDEO [--json] [-o annotated.png|.jpg] [--detector D] [--device D]`: the faces found,
/// largest first, in the source's pixels; for a video, in its first frame.
struct FacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faces",
        abstract: "List the faces in an image (or a video's first frame), largest first.",
        discussion: """
            Runs MediaPipe's BlazeFace + FaceMesh (Apache-2.0) on our kernels and, where it finds no face (its \
            short-range detector misses faces under about a fifth of the picture), the YuNet face detector \
            (libfacedetection's trained weights, BSD-3-Clause), saying so on stderr (--detector auto, the default, as render's); \
            --detector mediapipe or yunet runs one of them. Each face says which detector found it, and so how \
            render frames it: MediaPipe's faces by the official crops, YuNet's by rules fitted to them. \
            Boxes and landmarks are in the source's pixels: box = x, y, width, height; the five landmarks are \
            the two eyes, the nose tip and the two mouth corners (from FaceMesh's points with MediaPipe). The picture is searched as render searches it \
            (shrunk to a 640 px long side, the full picture when that shows no face), so face N here is what \
            --face N (--source-face, --driver-face) picks. For a video only the first frame is searched. \
            With no face found the command exits with status 2.
            """)

    @Argument(help: "An image (PNG, JPEG, anything ffmpeg decodes) or a video (its first frame is used).")
    var input: String

    @Flag(help: "Print {\"faces\": [{\"box\": [x, y, w, h], \"score\": s, \"landmarks\": [[x, y] × 5], \"detector\": \"mediapipe\"|\"yunet\", \"framing\": \"official\"|\"fitted\"}]} instead of a table.")
    var json = false

    @Option(name: [.short, .customLong("output")], help: "Write the image with each face's box, landmarks and number (the index --face takes) drawn on it: OUT.png or OUT.jpg.")
    var output: String?

    @Option(help: "Drop faces scoring below this (0...1); the default is the one render uses (YuNet 0.6, MediaPipe's detector 0.5).")
    var minScore: Float?

    @Option(help: ArgumentHelp("The face finder, as render's --detector: auto (the default: MediaPipe, YuNet where it finds no face), mediapipe (BlazeFace + FaceMesh) or yunet.", valueName: "auto|mediapipe|yunet"))
    var detector: DetectorChoice = .auto

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if let minScore, !(0...1).contains(minScore) { throw ValidationError("--min-score must lie in 0...1, got \(minScore)") }
        if let output, !PictureWriter.canWrite(output) {
            throw ValidationError("-o \(output): the annotated picture is written as PNG or JPEG; name it OUT.png or OUT.jpg")
        }
    }

    func run() throws {
        let (picture, faces) = try reportingErrors {
            let engine = try deviceOptions.makeEngine()
            let locator = try FaceLocator(engine: engine, detector: detector)
            let picture = try ImageReader.read(input)
            let faces = try locator.located(in: picture, minScore: minScore)
            if let note = locator.fallbackNote(for: faces, in: input) { printError(note) }
            if let output { try PictureWriter.write(FaceAnnotation.annotated(picture, faces.map(\.face)), to: output) }
            return (picture, faces)
        }
        if json {
            let list: [[String: Any]] = faces.map { found in
                let face = found.face
                return ["box": face.box.map { Self.rounded($0) }, "score": Self.rounded(face.score, places: 4),
                        "landmarks": face.landmarks.map { [Self.rounded($0.x), Self.rounded($0.y)] },
                        "detector": found.detectorName, "framing": found.dense == nil ? "fitted" : "official"]
            }
            print(try jsonString(["faces": list]))
        } else {
            print("\(input): \(picture.width)×\(picture.height), \(faces.count) face\(faces.count == 1 ? "" : "s")")
            for (i, found) in faces.enumerated() {
                let face = found.face
                let box = face.box.map { String(format: "%.1f", $0) }.joined(separator: ", ")
                let marks = face.landmarks.map { String(format: "(%.1f, %.1f)", $0.x, $0.y) }.joined(separator: " ")
                print("  \(i): box [\(box)] score \(String(format: "%.3f", face.score)) landmarks \(marks) (\(found.detectorName): \(found.dense == nil ? "fitted" : "official") crops)")
            }
        }
        if faces.isEmpty {
            printError("portrait: no face found in \(input)\(minScore.map { " (score ≥ \($0))" } ?? "") with \(detector == .auto ? "MediaPipe nor YuNet" : detector.rawValue); pass --crop x,y,size or --crop none to render it anyway")
            throw ExitCode(2)
        }
    }

    static func rounded(_ v: Float, places: Int = 2) -> Double {
        let scale = pow(10, Double(places))
        return (Double(v) * scale).rounded() / scale
    }
}
#endif
