#if canImport(Media)
import Face
import Foundation
import Kernels
import Media

/// Finds and frames faces for `--crop auto`: YuNet on the render's engine, run on the picture
/// shrunk so that its long side is at most `detectionSide` pixels (a face the model can use is
/// large; this keeps a 4K frame as cheap as a 640 px one), and on the full picture when the shrunk
/// one shows no face. Keeps the time it spends, for the render's report.
final class FaceLocator {
    /// Long side of the picture the detector sees.
    static let detectionSide = 640
    private let detector: FaceDetector
    /// Seconds spent detecting so far.
    private(set) var seconds = 0.0
    /// Pictures searched so far.
    private(set) var searches = 0

    /// The official framing of the network the crops are for.
    private let framing: @Sendable (DetectedFace) -> FaceFrame

    /// A locator on `engine`, with the embedded YuNet weights, framing faces as `family`'s
    /// official inference crops them (EMOPortraits' or LivePortrait's crop).
    init(engine: Engine, family: ModelFamily = .megaportraits) throws {
        detector = try FaceDetector(engine: engine)
        framing = family.entry.officialFaceCrop == .livePortrait ? FaceFrame.livePortrait : FaceFrame.emoPortraits
    }

    /// The faces in `image` scoring at least `options.scoreThreshold`, largest first, in its
    /// pixels. `portrait faces` lists what this finds, so its numbers are those `--face` takes.
    func faces(in image: RGBImage, options: FaceDetectionOptions = FaceDetectionOptions()) throws -> [DetectedFace] {
        let start = Date()
        defer { seconds += Date().timeIntervalSince(start); searches += 1 }
        let long = max(image.width, image.height)
        if long > Self.detectionSide {
            let factor = Double(Self.detectionSide) / Double(long)
            let small = try image.resized(width: max(1, Int((Double(image.width) * factor).rounded())),
                                          height: max(1, Int((Double(image.height) * factor).rounded())))
            let found = try detector.detect(FrameConversion.tensor(small), options: options)
            if !found.isEmpty { return found.map { $0.scaled(by: Float(image.width) / Float(small.width)) } }
        }
        return try detector.detect(FrameConversion.tensor(image), options: options)
    }

    /// The official framing of face `framing.face` (0 = the largest) of `image`, in whole pixels; it
    /// may reach beyond the picture (see `SquareCrop.around`). Throws `FaceError.noFace` naming
    /// `path` when there is no such face.
    func crop(_ image: RGBImage, path: String, framing role: RoleFraming) throws -> SquareCrop {
        let found = try faces(in: image)
        let index = role.face
        guard index < found.count else {
            throw FaceError.noFace(found.isEmpty ? "\(path): no face found"
                                                 : "\(path): face \(index) asked for (\(role.faceOption)), but only \(found.count) face\(found.count == 1 ? " was" : "s were") found (0 is the largest; --source-face/--driver-face choose apart)")
        }
        return try Self.square(framing(found[index]), width: image.width, height: image.height, path: path)
    }

    /// The official framing of every face of `image` (largest first, as `faces(in:)` numbers them),
    /// in whole pixels; `portrait render --faces all` animates each. Throws `FaceError.noFace`
    /// naming `path` when there is none.
    func crops(_ image: RGBImage, path: String) throws -> [SquareCrop] {
        let found = try faces(in: image)
        guard !found.isEmpty else { throw FaceError.noFace("\(path): no face found") }
        return try found.map { try Self.square(framing($0), width: image.width, height: image.height, path: path) }
    }

    /// `frame` in whole pixels (see `SquareCrop.around`): its full size, even where it reaches
    /// beyond the `width × height` picture.
    static func square(_ frame: FaceFrame, width: Int, height: Int, path: String) throws -> SquareCrop {
        guard let crop = SquareCrop.around(centerX: frame.centerX, centerY: frame.centerY, side: frame.side, width: width, height: height) else {
            throw FaceError.noFace("\(path): the face's crop (centre \(frame.centerX), \(frame.centerY), side \(frame.side)) misses the \(width)×\(height) picture")
        }
        return crop
    }

    /// Follows `role`'s face (`options.driver.face` by default, `options.source.face` for a source video) through the first `frames` frames of the video at `path` (all
    /// of them when nil) plus the smoothing radius more, smoothing the crop over that many frames
    /// each side (see `FaceTrack`); returns one crop per scanned frame, and says on stderr how many
    /// frames had no face. Frames are read at `frameRate` (nil: the clip's own constant rate, as
    /// `VideoReader` chooses it), as the render reads them.
    func track(video path: String, frames: Int?, options: CropOptions, role kind: FramedRole = .driver, frameRate: FrameRate? = nil) throws -> [SquareCrop] {
        let reader = try VideoReader(path: path, timing: .constantRate(frameRate))
        let radius = options.smoothingRadius(frameRate: reader.frameRate.framesPerSecond)
        let role = kind == .source ? options.source : options.driver
        let limit = frames.map { $0 + radius } ?? Int.max
        let total = reader.frameCountEstimate.map { min($0, limit) } ?? (frames.map { $0 + radius })
        let progress = ProgressReporter(label: "finding the face", total: total)
        var detections: [[DetectedFace]] = []
        while detections.count < limit, let frame = try reader.next() {
            detections.append(try faces(in: frame))
            progress.advance()
        }
        progress.finish()
        guard !detections.isEmpty else { throw MediaError.noFrames(path: path) }
        let track: FaceTrack
        do { track = try FaceTrack(detections: detections, face: role.face, smoothingRadius: radius, framing: framing) } catch FaceError.noFace(let what) {
            let hint = role.face > 0 ? " (asked by \(role.faceOption); --source-face/--driver-face choose the two pictures' faces apart)" : ""
            throw FaceError.noFace("\(path): \(what)\(hint)")
        }
        let crops = try track.frames.map { try Self.square($0, width: reader.width, height: reader.height, path: path) }
        if track.missingFrames > 0 {
            printError("portrait: no face in \(track.missingFrames) of \(crops.count) \(kind.rawValue) frames; they keep the previous frame's crop")
        }
        return crops
    }
}
#endif
