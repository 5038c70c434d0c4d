#if canImport(Media)
import Avatar
import Foundation
import Media
import Runtime

/// What drives the avatar, frame by frame: a video, a still image, or explicit head poses.
enum DriverSource {
    case video(VideoReader, crop: SquareCrop?, filter: ResizeFilter)
    case still(RGBImage)
    case poses([HeadPose])

    /// One driving step: the framed driver image (nil for explicit poses) and the pose.
    enum Step {
        case image(RGBImage)
        case pose(HeadPose)
    }

    /// Opens `--driver PATH`: a still image when its bytes say PNG/JPEG, else a video.
    static func open(driver path: String, size: Int, crop: SquareCrop?, filter: ResizeFilter = .bicubic) throws -> DriverSource {
        guard FileManager.default.fileExists(atPath: path) else { throw MediaError.fileNotFound(path: path) }
        let head = (FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 8) }) ?? Data()
        if ImageReader.kind(of: head) != .other {
            return .still(try FrameConversion.loadStill(path, role: "driver", size: size, crop: crop, filter: filter))
        }
        return .video(try VideoReader(path: path), crop: crop, filter: filter)
    }

    /// Frames this source will produce, when known.
    var count: Int? {
        switch self {
        case .video(let reader, _, _): return reader.frameCountEstimate
        case .still: return 1
        case .poses(let poses): return poses.count
        }
    }

    /// The frame rate to write at: the driving video's, else `fallback` frames per second.
    func frameRate(fallback: Int32 = 25) throws -> FrameRate {
        if case .video(let reader, _, _) = self { return reader.frameRate }
        return try FrameRate(fallback)
    }

    /// The audio source to copy, if any.
    var audioPath: String? {
        if case .video(let reader, _, _) = self, reader.hasAudio { return reader.path }
        return nil
    }

    /// Iterates steps; `size` is the model's image size.
    func makeIterator(size: Int) -> AnyIterator<Result<(Step, RGBImage?), Error>> {
        switch self {
        case .video(let reader, let crop, let filter):
            return AnyIterator {
                do {
                    guard let frame = try reader.next() else { return nil }
                    let framed = try FrameConversion.frame(frame, path: reader.path, role: "driver", size: size, crop: crop, filter: filter)
                    return .success((.image(framed), framed))
                } catch { return .failure(error) }
            }
        case .still(let image):
            var done = false
            return AnyIterator {
                if done { return nil }
                done = true
                return .success((.image(image), image))
            }
        case .poses(let poses):
            var it = poses.makeIterator()
            return AnyIterator { it.next().map { .success((.pose($0), nil)) } }
        }
    }
}

/// Parses explicit poses: `--pose yaw,pitch,roll[:yaw,pitch,roll...]` in degrees,
/// `--pose-sweep FROM:TO` (yaw in degrees over `frames` frames), or a CSV file with a header
/// naming columns yaw,pitch,roll (degrees) and optionally tx,ty,tz and scale.
enum PoseParser {
    static func parse(list: String) throws -> [HeadPose] {
        try list.split(separator: ":").map { item in
            let v = item.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard (3...6).contains(v.count), v.allSatisfy({ $0 != nil }) else {
                throw MediaError.invalidArgument("--pose expects yaw,pitch,roll[,tx,ty,tz] in degrees (frames separated by ':'), got '\(item)'")
            }
            let d = v.map { $0! }
            return HeadPose(yaw: d[0] * .pi / 180, pitch: d[1] * .pi / 180, roll: d[2] * .pi / 180,
                            translation: d.count == 6 ? Array(d[3..<6]) : [0, 0, 0])
        }
    }

    static func sweep(_ text: String, frames: Int) throws -> [HeadPose] {
        let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let from = parts[0], let to = parts[1], frames >= 1 else {
            throw MediaError.invalidArgument("--pose-sweep expects FROM:TO yaw in degrees (e.g. -30:30), got '\(text)'")
        }
        return (0..<frames).map { i in
            let t = frames == 1 ? 0 : Double(i) / Double(frames - 1)
            return HeadPose(yaw: (from + (to - from) * t) * .pi / 180)
        }
    }

    static func csv(_ path: String) throws -> [HeadPose] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw MediaError.fileNotFound(path: path) }
        return try PoseCSV.parse(text, source: path)
    }
}
#endif
