#if canImport(Media)
import ArgumentParser
import Face
import FaceMesh
import Foundation
import Kernels
import Media
import Runtime

/// `portrait landmarks IMAGE|VIDEO [--json] [-o annotated.png] [--frames N] [--device D]`: MediaPipe's
/// dense landmarks of every face, largest first: 468 FaceMesh points, each eye's iris, and the
/// 68-point dlib subset (`MeshLandmarks68`).
struct LandmarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landmarks",
        abstract: "The dense face landmarks (MediaPipe FaceMesh 468 points, irises, the dlib 68-point subset) of a picture or video.",
        discussion: """
            Runs MediaPipe's BlazeFace, FaceMesh and iris networks (Apache-2.0) on our kernels, searching the \
            picture as render searches it, so face N is what --face N picks with the default detector. Points are \
            in the source's pixels (z: depth in the same scale, smaller is nearer). The 68 points follow dlib's \
            layout through the FaceMesh indices of docs/face-detection.md. For a video every frame is listed \
            (--frames limits it); -o annotates a picture or a video's first frame. With no face found in a \
            picture (or any frame) the command exits with status 2.
            """)

    @Argument(help: "An image (PNG, JPEG, anything ffmpeg decodes) or a video.")
    var input: String

    @Flag(help: "Print JSON: {\"faces\": [{\"box\", \"score\", \"presence\", \"points\": [[x, y, z] × 468], \"iris\": {\"right\", \"left\"}, \"dlib68\": [[x, y] × 68], \"ratios\": {\"eyes\", \"lip\"}}]} (a video: {\"frames\": [{\"index\", \"faces\"}]}).")
    var json = false

    @Option(name: [.short, .customLong("output")], help: "Write the picture (a video's first frame) with the points drawn on it: OUT.png or OUT.jpg.")
    var output: String?

    @Option(help: "For a video, list only the first N frames.")
    var frames: Int?

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        if let output, !PictureWriter.canWrite(output) {
            throw ValidationError("-o \(output): the annotated picture is written as PNG or JPEG; name it OUT.png or OUT.jpg")
        }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1, got \(frames)") }
    }

    func run() throws {
        let listed: [(index: Int, faces: [LocatedFace])] = try reportingErrors {
            let locator = try FaceLocator(engine: try deviceOptions.makeEngine(), detector: .mediapipe)
            var pictures: [RGBImage] = []
            if ImageReader.isPicture(atPath: input) {
                pictures = [try ImageReader.read(input)]
            } else {
                let reader = try VideoReader(path: input)
                while pictures.count < (frames ?? .max), let frame = try reader.next() { pictures.append(frame) }
                guard !pictures.isEmpty else { throw MediaError.noFrames(path: input) }
            }
            let found = try pictures.enumerated().map { (index: $0.offset, faces: try locator.located(in: $0.element, refineEyes: true)) }
            if let output, let first = pictures.first, let faces = found.first?.faces {
                try PictureWriter.write(Self.annotated(first, faces), to: output)
            }
            return found
        }
        let isVideo = !ImageReader.isPicture(atPath: input)
        if json {
            let entries = try listed.map { entry in ["index": entry.index, "faces": try entry.faces.map(Self.json)] as [String: Any] }
            let firstFaces: Any = entries.first?["faces"] ?? [Any]()
            let object: [String: Any] = isVideo ? ["frames": entries] : ["faces": firstFaces]
            print(try jsonString(object))
        } else {
            for entry in listed {
                let name = isVideo ? "\(input) frame \(entry.index)" : input
                print("\(name): \(entry.faces.count) face\(entry.faces.count == 1 ? "" : "s")")
                for (i, face) in entry.faces.enumerated() {
                    let box = face.face.box.map { String(format: "%.1f", $0) }.joined(separator: ", ")
                    let ratios = (try? face.dense?.retargetingRatios()).map { String(format: " eyes %.3f/%.3f lip %.3f", $0.leftEye, $0.rightEye, $0.lip) } ?? ""
                    print("  \(i): box [\(box)] score \(String(format: "%.3f", face.face.score)) presence \(String(format: "%.3f", face.dense?.presence ?? 0))\(ratios)")
                }
            }
        }
        if listed.allSatisfy({ $0.faces.isEmpty }) {
            printError("portrait: no face found in \(input); MediaPipe's short-range detector needs a face of at least about a tenth of the picture")
            throw ExitCode(2)
        }
    }

    /// One face as JSON: box, scores, the 468 points, irises, eye contours, the 68-point subset and
    /// LivePortrait's open ratios.
    static func json(_ face: LocatedFace) throws -> [String: Any] {
        guard let d = face.dense else { return [:] }
        func xyz(_ p: [SIMD3<Float>]) -> [[Double]] { p.map { [FacesCommand.rounded($0.x), FacesCommand.rounded($0.y), FacesCommand.rounded($0.z)] } }
        let ratios = try d.retargetingRatios()
        return ["box": face.face.box.map { FacesCommand.rounded($0) }, "score": FacesCommand.rounded(face.face.score, places: 4),
                "presence": FacesCommand.rounded(d.presence, places: 4), "points": xyz(d.points),
                "iris": ["right": xyz(d.rightIris), "left": xyz(d.leftIris)],
                "eye_contours": ["right": xyz(d.rightEyeContour), "left": xyz(d.leftEyeContour)],
                "dlib68": try MeshLandmarks68.points(from: d.points2D).map { [FacesCommand.rounded($0.x), FacesCommand.rounded($0.y)] },
                "ratios": ["eyes": [FacesCommand.rounded(ratios.leftEye, places: 4), FacesCommand.rounded(ratios.rightEye, places: 4)],
                           "lip": FacesCommand.rounded(ratios.lip, places: 4)]]
    }

    /// `picture` with each face's box (green for face 0, yellow for the others), its 468 points in
    /// white, the 68-point subset in red and the irises in cyan.
    static func annotated(_ picture: RGBImage, _ faces: [LocatedFace]) -> RGBImage {
        var canvas = FaceAnnotation.Canvas(image: FaceAnnotation.annotated(picture, faces.map { var f = $0.face; f.landmarks = []; return f }))
        let radius = max(0, min(picture.width, picture.height) / 400)
        func dot(_ p: SIMD2<Float>, _ colour: (Float, Float, Float), _ r: Int) {
            for dy in -r...r { for dx in -r...r { canvas.paint(Int(p.x.rounded()) + dx, Int(p.y.rounded()) + dy, colour) } }
        }
        for face in faces {
            guard let d = face.dense else { continue }
            for p in d.points2D { dot(p, (1, 1, 1), radius) }
            for p in (try? MeshLandmarks68.points(from: d.points2D)) ?? [] { dot(p, (1, 0, 0), radius + 1) }
            for p in d.rightIris + d.leftIris { dot(SIMD2(p.x, p.y), (0, 1, 1), radius) }
        }
        return canvas.image
    }
}
#endif
