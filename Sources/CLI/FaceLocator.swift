#if canImport(Media)
import Face
import FaceMesh
import Foundation
import Kernels
import Media
import NetworkCore

/// Finds and frames faces for `--crop auto`, with MediaPipe's BlazeFace + FaceMesh falling back to
/// YuNet (`--detector auto`, the default), MediaPipe alone or YuNet alone, on the render's engine,
/// run on the picture shrunk so that its long
/// side is at most `detectionSide` pixels (a face the model can use is large; this keeps a 4K
/// frame as cheap as a 640 px one), and on the full picture when the shrunk one shows no face.
/// Keeps the time it spends, for the render's report.
///
/// Framing (docs/face-detection.md): with MediaPipe, EMOPortraits' official crop from the
/// BlazeFace box (`EMOPortraitsCrop`) and LivePortrait's official rule on FaceMesh's 68-point
/// subset (`LivePortraitCrop`); with YuNet, the rules fitted to its five landmarks. With `auto`, a
/// picture where MediaPipe's short-range detector finds no face (faces under about a fifth of the
/// picture) is searched with YuNet, and the callers say so on stderr (`fallbackNote`).
final class FaceLocator {
    /// Long side of the picture the detector sees.
    static let detectionSide = 640
    /// MediaPipe's networks (nil with `--detector yunet`).
    let landmarker: DenseLandmarker?
    private var yunet: FaceDetector?
    private let engine: Engine
    /// The face finder asked for.
    let detector: DetectorChoice
    /// The network the crops are for.
    let family: ModelFamily
    /// Seconds spent detecting so far.
    private(set) var seconds = 0.0
    /// Pictures searched so far.
    private(set) var searches = 0

    /// A locator on `engine` with the embedded weights of `detector`, framing faces as `family`'s
    /// official inference crops them (EMOPortraits' or LivePortrait's crop).
    init(engine: Engine, family: ModelFamily = .megaportraits, detector: DetectorChoice = .auto) throws {
        self.engine = engine
        self.detector = detector
        landmarker = detector == .yunet ? nil : try DenseLandmarker(engine: engine)
        if detector == .yunet { yunet = try FaceDetector(engine: engine) }
        self.family = family
    }

    /// The faces in `image`, largest first, in its pixels: MediaPipe's whose BlazeFace score is at
    /// least `minScore` (default 0.5, MediaPipe's) and whose FaceMesh presence is at least 0.5, or
    /// (`yunet`, or `auto` when MediaPipe finds none) YuNet's scoring at least `minScore` (default
    /// `FaceDetectionOptions().scoreThreshold`).
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
        var small: RGBImage?
        if long > Self.detectionSide {
            let factor = Double(Self.detectionSide) / Double(long)
            small = try image.resized(width: max(1, Int((Double(image.width) * factor).rounded())),
                                      height: max(1, Int((Double(image.height) * factor).rounded())))
        }
        return try located(in: image, minScore: minScore, refineEyes: refineEyes, shrunk: small)
    }

    /// With `auto`, MediaPipe's faces, plus YuNet's that none of them covers (a face MediaPipe's
    /// short-range detector misses: small, or in a group) and that FaceMesh's presence confirms
    /// (≥ 0.5; it rejects YuNet's false faces: the cat, the cup); each detector searches the shrunk
    /// picture, then the full one when that shows nothing.
    private func located(in image: RGBImage, minScore: Float?, refineEyes: Bool, shrunk: RGBImage?) throws -> [LocatedFace] {
        let factor = shrunk.map { Float(image.width) / Float($0.width) }
        func inOrder(_ finder: (RGBImage) throws -> [LocatedFace]) throws -> [LocatedFace] {
            if let shrunk, let factor {
                let found = try finder(shrunk)
                if !found.isEmpty { return found.map { $0.scaled(by: factor) } }
            }
            return try finder(image)
        }
        if let landmarker {
            let options = DenseLandmarkOptions(minDetectionScore: minScore ?? DenseLandmarkOptions().minDetectionScore, refineEyes: refineEyes)
            let found = try inOrder { try landmarker.find(in: FrameConversion.tensor($0), options: options).map(LocatedFace.init(dense:)) }
            guard detector == .auto else { return found.sorted { $0.face.area > $1.face.area } }
            let missed = try yunetFaces(image, minScore: minScore, inOrder: inOrder)
                .filter { y in !found.contains { $0.face.nesting(y.face) > Self.sameFaceShare } }
            var confirmed: [LocatedFace] = []
            if !missed.isEmpty {
                let tensor = FrameConversion.tensor(image)
                confirmed = try missed.filter { try landmarker.presence(of: $0.face, in: tensor) >= DenseLandmarkOptions().minPresence }
            }
            return (found + confirmed).sorted { $0.face.area > $1.face.area }
        }
        return try yunetFaces(image, minScore: minScore, inOrder: inOrder)
    }

    /// A YuNet box sharing more than this part of the smaller box's area with a MediaPipe box is the
    /// same face (two people's faces do not overlap that much; `DetectedFace.nesting`).
    static let sameFaceShare: Float = 0.3

    /// YuNet's faces, its weights loaded on first use.
    private func yunetFaces(_ image: RGBImage, minScore: Float?, inOrder: ((RGBImage) throws -> [LocatedFace]) throws -> [LocatedFace]) throws -> [LocatedFace] {
        let yunet = try self.yunet ?? FaceDetector(engine: engine)
        self.yunet = yunet
        let options = FaceDetectionOptions(scoreThreshold: minScore ?? FaceDetectionOptions().scoreThreshold)
        return try inOrder { try yunet.detect(FrameConversion.tensor($0), options: options).map(LocatedFace.init(yunet:)) }
    }

    /// A one-line note for stderr when `auto` took faces from YuNet because MediaPipe's detector
    /// missed them: `what` says which, e.g. "the face in small.png", "2 of the 3 faces in group.png",
    /// "the face in 3 of 96 driver frames"; nil unless `auto`.
    func fallbackNote(_ what: String) -> String? {
        guard detector == .auto else { return nil }
        let rule = family.entry.officialFaceCrop == .livePortrait ? "its five-landmark estimate of LivePortrait's crop" : "the rule fitted to MediaPipe's boxes"
        return "portrait: MediaPipe's short-range face detector missed \(what) (it misses faces under about a fifth of the picture); YuNet's faces stand in, framed by \(rule) (--detector yunet frames every face so, --detector mediapipe leaves them out)"
    }

    /// `fallbackNote` for the YuNet faces among `faces`, found in the picture `path`; nil when none.
    func fallbackNote(for faces: [LocatedFace], in path: String) -> String? {
        let missed = faces.filter { $0.dense == nil }.count
        guard missed > 0 else { return nil }
        return fallbackNote(faces.count == 1 ? "the face in \(path)" : "\(missed) of the \(faces.count) faces in \(path)")
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
    /// Says on stderr when `auto` fell back to YuNet; `lastRule` tells how the crop was framed.
    func crop(_ image: RGBImage, path: String, framing role: RoleFraming) throws -> SquareCrop {
        let found = try searched(image, path: path)
        let index = role.face
        guard index < found.count else {
            throw FaceError.noFace(found.isEmpty ? "\(path): no face found\(noFaceHint)"
                                                 : "\(path): face \(index) asked for (\(role.faceOption)), but only \(found.count) face\(found.count == 1 ? " was" : "s were") found (0 is the largest; --source-face/--driver-face choose apart\(detector == .yunet ? "" : "; MediaPipe's short-range detector misses small faces, --detector yunet finds them"))")
        }
        lastRule = found[index].framingRule(for: family)
        lastRotatedCrop = try rotatedCrop(found[index], role: .source)
        return try Self.square(frame(found[index], width: image.width, height: image.height), width: image.width, height: image.height, path: path)
    }

    /// How the last `crop` was framed (`LocatedFace.framingRule`), for the render's report.
    private(set) var lastRule: String?
    /// The last `crop`'s LivePortrait rectangle with its roll, when it is to be cut rotated (see `rotatedCrop`).
    private(set) var lastRotatedCrop: LivePortraitCrop?

    /// LivePortrait's official source crop of a MediaPipe face as a rotated rectangle (the official
    /// cropper turns the head's roll away, `flag_do_rot`; its driving-video crop is not rotated):
    /// nil for another role, family or a YuNet face (no landmarks to take the roll from).
    func rotatedCrop(_ face: LocatedFace, role: FramedRole) throws -> LivePortraitCrop? {
        guard role == .source, family.entry.officialFaceCrop == .livePortrait, let dense = face.dense else { return nil }
        return try LivePortraitCrop(mesh: dense.points2D)
    }

    /// What to add to "no face found": which detectors looked.
    private var noFaceHint: String {
        switch detector {
        case .auto: return " (by MediaPipe's short-range detector, nor by YuNet)"
        case .mediapipe: return " by MediaPipe's short-range detector (--detector auto adds YuNet, which finds smaller faces)"
        case .yunet: return " by YuNet"
        }
    }

    /// `located(in:)` on the picture at `path`, printing `fallbackNote` when YuNet stood in.
    private func searched(_ image: RGBImage, path: String) throws -> [LocatedFace] {
        let found = try located(in: image)
        if let note = fallbackNote(for: found, in: path) { printError(note) }
        return found
    }

    /// The official framing of every face of `image` (largest first, as `faces(in:)` numbers them),
    /// in whole pixels, each with its LivePortrait rectangle when it is cut rotated (`rotatedCrop`);
    /// `portrait render --faces all` animates each. Throws `FaceError.noFace` naming `path` when there is none.
    func crops(_ image: RGBImage, path: String) throws -> [(crop: SquareCrop, rotated: LivePortraitCrop?)] {
        let found = try searched(image, path: path)
        guard !found.isEmpty else { throw FaceError.noFace("\(path): no face found\(noFaceHint)") }
        return try found.map { (try Self.square(frame($0, width: image.width, height: image.height), width: image.width, height: image.height, path: path),
                                try rotatedCrop($0, role: .source)) }
    }

    /// The frame `--crop-smoothing-by landmarks` carries a MediaPipe face's crop with: the square
    /// around its 68-point subset in the face's own axes (`LivePortraitCrop` at scale 1, no offset);
    /// nil for a YuNet face (no landmarks).
    static func landmarkAnchor(_ face: LocatedFace) throws -> FaceFrame? {
        try face.dense.map { try LivePortraitCrop(mesh: $0.points2D, scale: 1, verticalOffset: 0).frame }
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
        try trackedFaces(video: path, frames: frames, options: options, role: kind, frameRate: frameRate).crops
    }

    /// `track`, with the detector that found the followed face on each scanned frame (`mediapipe`,
    /// `yunet`, or nil where it was not found and the previous crop was kept), for the plan.
    func trackedFaces(video path: String, frames: Int?, options: CropOptions, role kind: FramedRole = .driver,
                      frameRate: FrameRate? = nil) throws -> (crops: [SquareCrop], detectors: [String?]) {
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
        let detectors: [String?]
        do {
            let anchored = options.cropSmoothingBy == .landmarks && family.entry.officialFaceCrop == .emoPortraits
            let anchor: ((LocatedFace) throws -> FaceFrame?)? = anchored ? { try Self.landmarkAnchor($0) } : nil
            track = try FaceTrack(following: detections, face: role.face, smoothingRadius: radius,
                                  framing: { try self.frame($0, width: width, height: height, role: kind) }, anchor: anchor)
            detectors = zip(detections, track.picks).map { found, pick in pick.map { found[$0].detectorName } }
        } catch FaceError.noFace(let what) {
            let hint = role.face > 0 ? " (asked by \(role.faceOption); --source-face/--driver-face choose the two pictures' faces apart)" : ""
            throw FaceError.noFace("\(path): \(what)\(hint)\(noFaceHint)")
        }
        let byYuNet = detectors.filter { $0 == DetectorChoice.yunet.rawValue }.count
        if byYuNet > 0, let note = fallbackNote("the face in \(byYuNet) of \(detections.count) \(kind.rawValue) frames") { printError(note) }
        let crops = try track.frames.map { try Self.square($0, width: width, height: height, path: path) }
        if track.missingFrames > 0 {
            printError("portrait: no face in \(track.missingFrames) of \(crops.count) \(kind.rawValue) frames; they keep the previous frame's crop")
        }
        return (crops, detectors)
    }
}
#endif
