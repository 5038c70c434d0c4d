#if canImport(Media)
import Face
import FaceMesh
import Foundation
import Media

/// LivePortrait's per-frame crop of a source video, as the official `Cropper.crop_source_video`
/// makes it: the face found on the first frame, then followed by its landmarks (FaceMesh on the
/// region of the previous frame's points, `DenseLandmarker.track`, as the official tracker runs
/// its landmark model around the previous frame's points), each frame cut by the official rule on
/// its own points (`LivePortraitCrop`) and rotated by its own roll (`flag_do_rot`). Not smoothed:
/// the official code does not smooth a source video's crops.
///
/// Where FaceMesh's presence falls below 0.5 (the face was lost: the official tracker never
/// looks again), the frame is searched afresh and the face overlapping the last one most is
/// taken. A frame with no face at all gives nil: the caller reports it (the official code skips
/// such frames before the first face and so pastes later renders into the wrong frames).
struct SourceVideoCropTrack {
    let locator: FaceLocator
    let landmarker: DenseLandmarker
    /// Which face of the first frame (`--source-face`/`--face`).
    let framing: RoleFraming
    /// The clip, for messages.
    let path: String
    /// The previous frame's 468 points and its face box.
    private var previous: (points: [SIMD3<Float>], face: DetectedFace)?
    /// Frames after the first where the face was lost and searched for again.
    private(set) var searchedAgain = 0

    /// A track of `framing`'s face with `locator`'s MediaPipe networks; nil when the locator has
    /// none (`--detector yunet`: no landmarks to follow or to take the roll from).
    init?(locator: FaceLocator, framing: RoleFraming, path: String) {
        guard let landmarker = locator.landmarker else { return nil }
        self.locator = locator; self.landmarker = landmarker; self.framing = framing; self.path = path
    }

    /// The official crop of the next frame, `frame` (number `index`, for messages); nil when the
    /// frame shows no face. Throws `FaceError.noFace` when the first frame with a face lacks the
    /// face asked for.
    mutating func crop(of frame: RGBImage, index: Int) throws -> LivePortraitCrop? {
        let tensor = FrameConversion.tensor(frame)
        if let previous {
            let (presence, points) = try landmarker.track(in: tensor, previous: previous.points)
            if presence >= DenseLandmarkOptions().minPresence { return try keep(points) }
            searchedAgain += 1
        }
        let found = try locator.located(in: frame)
        guard let face = try pick(from: found, index: index) else { return nil }
        // A face only YuNet found (MediaPipe's detector missed it) gets FaceMesh's points from its box.
        let points = try face.dense?.points ?? landmarker.mesh(in: tensor, region: DenseLandmarker.faceRegion(face.face)).points
        return try keep(points)
    }

    /// The face to follow among `found`: face `framing.face` on the first search, afterwards the
    /// one overlapping the last face most (the largest when none overlaps); nil when `found` is empty.
    private func pick(from found: [LocatedFace], index: Int) throws -> LocatedFace? {
        guard !found.isEmpty else { return nil }
        guard let previous else {
            guard framing.face < found.count else {
                throw FaceError.noFace("\(path): face \(framing.face) asked for (\(framing.faceOption)), but source frame \(index) shows only \(found.count) (0 is the largest)")
            }
            return found[framing.face]
        }
        let best = found.max { previous.face.overlap($0.face) < previous.face.overlap($1.face) }
        return best.flatMap { previous.face.overlap($0.face) > 0 ? $0 : nil } ?? found[0]
    }

    /// Keeps `points` for the next frame and returns their crop.
    private mutating func keep(_ points: [SIMD3<Float>]) throws -> LivePortraitCrop {
        let flat = points.map { SIMD2($0.x, $0.y) }
        let xs = flat.map(\.x), ys = flat.map(\.y)
        let (x0, y0) = (xs.min() ?? 0, ys.min() ?? 0)
        previous = (points, DetectedFace(x: x0, y: y0, width: (xs.max() ?? 0) - x0, height: (ys.max() ?? 0) - y0, score: 1, landmarks: []))
        return try LivePortraitCrop(mesh: flat)
    }
}

/// A source video's face as `SourceVideoCropTrack` followed it: each frame's crop, and the first
/// frame without a face, where the track stopped.
struct FollowedSource {
    /// The crop of each frame read, in order.
    let crops: [LivePortraitCrop]
    /// The first frame without a face (the track stopped there), nil when every frame read had one.
    let faceless: Int?
    /// Frames where the face was lost and searched for again.
    let searchedAgain: Int
    /// The clip's frame rate, for the time in messages.
    let frameRate: Double

    /// Throws `FaceError.noFace` naming the faceless frame when the render would include it: with a
    /// driving clip of `driverFrames` frames (more than one) the render has min(source, driver)
    /// frames, with a picture every source frame. The official pipeline drops such a frame and
    /// pastes the later renders into the wrong frames; a frame rendered without a face is no better.
    func check(path: String, driverFrames: Int) throws {
        guard let faceless, driverFrames <= 1 || driverFrames > faceless else { return }
        let time = frameRate > 0 ? String(format: ", at %.2f s", Double(faceless) / frameRate) : ""
        throw FaceError.noFace("\(path): no face in source frame \(faceless) (counted from 0\(time)); video-to-video animates the source's face in every frame it renders (the official pipeline would drop this frame and paste the later renders into the wrong frames): cut the clip to where the face shows\(faceless > 0 ? ", or render its first \(faceless) frames with --frames \(faceless)" : "")")
    }

    /// One line for stderr on how the first `frames` frames were cut: each turned by its own roll.
    func report(frames: Int) -> String {
        let angles = crops.prefix(frames).map { $0.angle * 180 / .pi }
        let turns = angles.count <= 10 ? angles.map { String(format: "%.1f°", $0) }.joined(separator: ", ")
                                       : String(format: "%.1f° to %.1f°", angles.min() ?? 0, angles.max() ?? 0)
        let again = searchedAgain > 0 ? "; lost and searched for again on \(searchedAgain) frame\(searchedAgain == 1 ? "" : "s")" : ""
        return "portrait: source video: the face followed by its landmarks through \(angles.count) frames, each cut by its own crop turned by its own roll, not smoothed, as the official cropper (turned \(turns))\(again)"
    }
}
#endif
