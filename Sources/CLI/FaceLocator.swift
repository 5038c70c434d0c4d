#if canImport(Media)
import Face
import FaceMesh
import Foundation
import Kernels
import Media
import NetworkCore

/// Finds and frames faces for `--crop auto`, with YuNet (the default) or MediaPipe's BlazeFace +
/// FaceMesh (`--detector mediapipe`) on the render's engine, run on the picture shrunk so that its long
/// side is at most `detectionSide` pixels (a face the model can use is large; this keeps a 4K
/// frame as cheap as a 640 px one), and on the full picture when the shrunk one shows no face.
/// Keeps the time it spends, for the render's report.
///
/// Framing (docs/face-detection.md): with MediaPipe, EMOPortraits' official crop from the
/// BlazeFace box (`EMOPortraitsCrop`) and LivePortrait's official rule on FaceMesh's 68-point
/// subset (`LivePortraitCrop`); with YuNet, the rules fitted to its five landmarks.
final class FaceLocator {
    /// Long side of the picture the detector sees.
    static let detectionSide = 640
    private enum Finder {
        case yunet(FaceDetector)
        case mediapipe(DenseLandmarker)
    }
    private let finder: Finder
    /// The network the crops are for.
    let family: ModelFamily
    /// Seconds spent detecting so far.
    private(set) var seconds = 0.0
    /// Pictures searched so far.
    private(set) var searches = 0

    /// A locator on `engine` with the embedded weights of `detector`, framing faces as `family`'s
    /// official inference crops them (EMOPortraits' or LivePortrait's crop).
    init(engine: Engine, family: ModelFamily = .megaportraits, detector: DetectorChoice = .yunet) throws {
        switch detector {
        case .yunet: finder = .yunet(try FaceDetector(engine: engine))
        case .mediapipe: finder = .mediapipe(try DenseLandmarker(engine: engine))
        }
        self.family = family
    }

    /// The faces in `image`, largest first, in its pixels: YuNet's scoring at least `minScore`
    /// (default `FaceDetectionOptions().scoreThreshold`), or MediaPipe's whose BlazeFace score is at
    /// least `minScore` (default 0.5, MediaPipe's) and whose FaceMesh presence is at least 0.5.
    /// `portrait faces` lists what this finds, so its numbers are those `--face` takes.
    func faces(in image: RGBImage, minScore: Float? = nil) throws -> [DetectedFace] {
        try located(in: image, minScore: minScore).map(\.face)
    }

    /// `faces(in:minScore:)` with MediaPipe's dense landmarks kept (`refineEyes`: with the iris
    /// network's eye contours and irises).
    func located(in image: RGBImage, minScore: Float? = nil, refineEyes: Bool = false) throws -> [LocatedFace] {
        let start = Date()
        defer { seconds += Date().timeIntervalSince(start); searches += 1 }
        let long = max(image.width, image.height)
        if long > Self.detectionSide {
            let factor = Double(Self.detectionSide) / Double(long)
            let small = try image.resized(width: max(1, Int((Double(image.width) * factor).rounded())),
                                          height: max(1, Int((Double(image.height) * factor).rounded())))
            let found = try search(small, minScore: minScore, refineEyes: refineEyes)
            if !found.isEmpty { return found.map { $0.scaled(by: Float(image.width) / Float(small.width)) } }
        }
        return try search(image, minScore: minScore, refineEyes: refineEyes)
    }

    private func search(_ image: RGBImage, minScore: Float?, refineEyes: Bool) throws -> [LocatedFace] {
        switch finder {
        case .yunet(let detector):
            let options = FaceDetectionOptions(scoreThreshold: minScore ?? FaceDetectionOptions().scoreThreshold)
            return try detector.detect(FrameConversion.tensor(image), options: options).map(LocatedFace.init(yunet:))
        case .mediapipe(let landmarker):
            let options = DenseLandmarkOptions(minDetectionScore: minScore ?? DenseLandmarkOptions().minDetectionScore, refineEyes: refineEyes)
            return try landmarker.find(in: FrameConversion.tensor(image), options: options)
                .map(LocatedFace.init(dense:)).sorted { $0.face.area > $1.face.area }
        }
    }

    /// The official framing of `face` on a `width × height` picture for this locator's network, as
    /// `role`'s picture (LivePortrait frames a driving video with its own scale).
    func frame(_ face: LocatedFace, width: Int, height: Int, role: FramedRole = .source) throws -> FaceFrame {
        guard let dense = face.dense else {
            return family.entry.officialFaceCrop == .livePortrait ? FaceFrame.livePortrait(for: face.face) : FaceFrame.emoPortraits(for: face.face)
        }
        switch family.entry.officialFaceCrop {
        case .emoPortraits:
            let b = dense.detection
            return try EMOPortraitsCrop.frame(boxX: Double(b.x), boxY: Double(b.y), boxWidth: Double(b.width), boxHeight: Double(b.height),
                                              pictureWidth: width, pictureHeight: height)
        case .livePortrait:
            // The official cropper frames a driving video with its own settings (crop_cfg: scale 2.2, vy_ratio −0.1).
            return role == .driver
                ? try LivePortraitCrop(mesh: dense.points2D, scale: LivePortraitCrop.drivingScale, verticalOffset: LivePortraitCrop.drivingVerticalOffset).frame
                : try LivePortraitCrop(mesh: dense.points2D).frame
        }
    }

    /// The official framing of face `framing.face` (0 = the largest) of `image`, in whole pixels; it
    /// may reach beyond the picture (see `SquareCrop.around`). Throws `FaceError.noFace` naming
    /// `path` when there is no such face.
    func crop(_ image: RGBImage, path: String, framing role: RoleFraming) throws -> SquareCrop {
        let found = try located(in: image)
        let index = role.face
        guard index < found.count else {
            throw FaceError.noFace(found.isEmpty ? "\(path): no face found"
                                                 : "\(path): face \(index) asked for (\(role.faceOption)), but only \(found.count) face\(found.count == 1 ? " was" : "s were") found (0 is the largest; --source-face/--driver-face choose apart)")
        }
        return try Self.square(frame(found[index], width: image.width, height: image.height), width: image.width, height: image.height, path: path)
    }

    /// The official framing of every face of `image` (largest first, as `faces(in:)` numbers them),
    /// in whole pixels; `portrait render --faces all` animates each. Throws `FaceError.noFace`
    /// naming `path` when there is none.
    func crops(_ image: RGBImage, path: String) throws -> [SquareCrop] {
        let found = try located(in: image)
        guard !found.isEmpty else { throw FaceError.noFace("\(path): no face found") }
        return try found.map { try Self.square(frame($0, width: image.width, height: image.height), width: image.width, height: image.height, path: path) }
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
        var detections: [[LocatedFace]] = []
        while detections.count < limit, let frame = try reader.next() {
            detections.append(try located(in: frame))
            progress.advance()
        }
        progress.finish()
        guard !detections.isEmpty else { throw MediaError.noFrames(path: path) }
        let (width, height) = (reader.width, reader.height)
        let track: FaceTrack
        do {
            track = try FaceTrack(following: detections, face: role.face, smoothingRadius: radius) { face in
                try self.frame(face, width: width, height: height, role: kind)
            }
        } catch FaceError.noFace(let what) {
            let hint = role.face > 0 ? " (asked by \(role.faceOption); --source-face/--driver-face choose the two pictures' faces apart)" : ""
            throw FaceError.noFace("\(path): \(what)\(hint)")
        }
        let crops = try track.frames.map { try Self.square($0, width: width, height: height, path: path) }
        if track.missingFrames > 0 {
            printError("portrait: no face in \(track.missingFrames) of \(crops.count) \(kind.rawValue) frames; they keep the previous frame's crop")
        }
        return crops
    }
}
#endif
