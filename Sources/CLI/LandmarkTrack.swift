#if canImport(Media)
import ArgumentParser
import FewShot
import Foundation
import Kernels
import Media
import NetworkCore
import Runtime

/// A landmarks file driving the few-shot network: 68 dlib-order points per frame in the driver's
/// pixels, as `portrait landmarks --json` prints them (a picture's `{"faces": [{"dlib68": ...}]}`
/// or a video's `{"frames": [{"faces": [...]}]}`, face N taken from each frame) or a bare list of
/// frames `[[[x, y] × 68], ...]`. Each frame is framed by `--driver-crop x,y,size` when given,
/// else as the public implementation frames its landmarks: the square around the points'
/// bounding box, 50 px beyond it on every side (`publicCrop`).
struct LandmarkTrack {
    /// The file's points, per frame.
    let frames: [[SIMD2<Float>]]
    /// Where they were read.
    let path: String
    /// The margin of the public code's landmark crop (`pad=50`), in the driver's pixels.
    static let publicMargin = 50

    /// Whether `path` names a landmarks file (`.json`).
    static func isLandmarksFile(_ path: String) -> Bool { path.lowercased().hasSuffix(".json") }

    /// Reads `path`, taking face `face` (0: the largest) of every frame of `portrait landmarks --json`'s output.
    static func load(path: String, face: Int) throws -> LandmarkTrack {
        guard let data = FileManager.default.contents(atPath: path) else { throw MediaError.fileNotFound(path: path) }
        func bad(_ problem: String) -> ArgumentParser.ValidationError {
            ArgumentParser.ValidationError("\(path): \(problem); a landmarks driver is `portrait landmarks --json` output or a list of frames of 68 [x, y] points")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) else { throw bad("not JSON") }
        func points(_ value: Any?, frame: Int) throws -> [SIMD2<Float>] {
            guard let list = value as? [[Double]], list.count == 68, list.allSatisfy({ $0.count >= 2 && $0[0].isFinite && $0[1].isFinite }) else {
                throw bad("frame \(frame) has no list of 68 [x, y] points")
            }
            return list.map { SIMD2(Float($0[0]), Float($0[1])) }
        }
        func faceOf(_ faces: Any?, frame: Int) throws -> [SIMD2<Float>] {
            guard let faces = faces as? [[String: Any]] else { throw bad("frame \(frame) has no \"faces\" list") }
            guard face < faces.count else { throw bad("frame \(frame) lists \(faces.count) face(s), face \(face) was asked for (--driver-face)") }
            return try points(faces[face]["dlib68"], frame: frame)
        }
        var frames: [[SIMD2<Float>]] = []
        if let list = json as? [Any] {
            frames = try list.enumerated().map { try points($0.element, frame: $0.offset) }
        } else if let object = json as? [String: Any], let faces = object["faces"] {
            frames = [try faceOf(faces, frame: 0)]
        } else if let object = json as? [String: Any], let list = object["frames"] as? [[String: Any]] {
            frames = try list.enumerated().map { try faceOf($0.element["faces"], frame: $0.offset) }
        } else {
            throw bad("neither a list of frames nor an object with \"faces\" or \"frames\"")
        }
        guard !frames.isEmpty else { throw bad("no frames") }
        return LandmarkTrack(frames: frames, path: path)
    }

    /// The public code's crop of `points`: the square centred on their bounding box, its larger
    /// side plus `publicMargin` on each side (`crop_and_reshape_img`).
    static func publicCrop(_ points: [SIMD2<Float>]) -> SquareCrop {
        let xs = points.map(\.x), ys = points.map(\.y)
        let (minX, maxX, minY, maxY) = (xs.min() ?? 0, xs.max() ?? 0, ys.min() ?? 0, ys.max() ?? 0)
        let delta = max(maxX - minX, maxY - minY)
        let x = Int(minX) - Int((delta - (maxX - minX)) / 2) - publicMargin
        let y = Int(minY) - Int((delta - (maxY - minY)) / 2) - publicMargin
        return SquareCrop(x: x, y: y, size: max(1, Int(delta) + 2 * publicMargin))
    }

    /// Frame `index`'s points in the `size`² crop the network reads: moved into `crop` (the
    /// public crop of the frame's points when nil) and scaled to `size`.
    func framed(_ index: Int, size: Int, crop: SquareCrop?) -> [SIMD2<Float>] {
        let points = frames[index]
        let box = crop ?? Self.publicCrop(points)
        let scale = Float(size) / Float(box.size)
        return points.map { ($0 - SIMD2(Float(box.x), Float(box.y))) * scale }
    }
}

extension ClipRenderer {
    /// The next frame posed as 68 points in the crop (the few-shot network only).
    func render(points68 points: [SIMD2<Float>], recorder: StageRecorder?) throws -> Tensor {
        guard let clip = self as? FewShotClip else {
            throw ArgumentParser.ValidationError("a landmarks file drives the few-shot network (--model fewshot); MegaPortraits and LivePortrait are driven by pictures")
        }
        return try clip.render(points: points, recorder: recorder)
    }
}
#endif
