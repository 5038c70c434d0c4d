#if canImport(Media)
import Avatar
import Foundation
import LivePortrait
import Media
import Runtime

/// How driver frames are framed: the centred square, one given square, or auto framing's face
/// track (one crop per frame, see `FaceLocator.track`), as `--driver-crop`/`--crop` say.
enum DriverFraming {
    case centered
    case fixed(SquareCrop)
    /// Auto framing of `role`'s pictures (the driver's, or a source video's).
    case auto(FaceLocator, CropOptions, frames: Int?, role: FramedRole)
    /// A plan's face track: one crop per frame.
    case planned([SquareCrop])

    /// `options`' framing of `role` (the driver by default; a source video takes `.source`);
    /// `locator` is needed for auto framing (nil: centred).
    init(_ options: CropOptions, role: FramedRole = .driver, locator: FaceLocator?, frames: Int?) {
        switch (role == .source ? options.source : options.driver).choice {
        case .none: self = .centered
        case .fixed(let box): self = .fixed(box)
        case .auto: self = locator.map { .auto($0, options, frames: frames, role: role) } ?? .centered
        }
    }
}

/// The crop of each driver frame: one for all, or one per frame (the last repeats).
enum DriverCrops {
    case same(SquareCrop?)
    case track([SquareCrop])

    /// The crop of frame `index` (nil: the centred square).
    func crop(frame index: Int) -> SquareCrop? {
        switch self {
        case .same(let crop): return crop
        case .track(let crops): return crops.isEmpty ? nil : crops[min(index, crops.count - 1)]
        }
    }
}

/// What drives the avatar, frame by frame: a video, a still image, or explicit head poses.
enum DriverSource {
    case video(VideoReader, crops: DriverCrops, filter: ResizeFilter)
    case still(RGBImage)
    case poses([HeadPose])
    /// Named expression edits of the source, one per frame (LivePortrait).
    case edits([ExpressionEdit])
    /// A motion file's frames (`portrait motion`; LivePortrait), read from `path`.
    case motions(MotionTrack, path: String)
    /// A landmarks file's frames (the few-shot network), each framed by `crop` (nil: by its points).
    case landmarks(LandmarkTrack, crop: SquareCrop?)

    /// Whether the driver is one picture (not a video, not poses), or a one-frame motion file (the
    /// official rule: a template of one frame is a driving picture).
    var isStill: Bool {
        if case .still = self { return true }
        if case .motions(let track, _) = self { return track.frames.count == 1 }
        return false
    }

    /// One driving step: the framed driver image (nil for explicit poses) and the pose.
    enum Step {
        case image(RGBImage)
        case pose(HeadPose)
        case edit(ExpressionEdit)
        case motion(LivePortraitMotion)
        /// 68 points in the model's crop (a landmarks file's frame).
        case points([SIMD2<Float>])
    }

    /// Opens `--driver PATH`: a still image when its bytes say PNG/JPEG/WebP, else a video. With
    /// `.auto` framing a video is scanned for its face track first (and a note says how many
    /// frames had no face). A video's frames come at a constant rate chosen by their timestamps:
    /// `frameRate` (`--fps`), else the clip's own rate, or its average rate when it varies (a
    /// note says so), so the render keeps the clip's duration and its audio's sync.
    static func open(driver path: String, size: Int, framing: DriverFraming, filter: ResizeFilter = .bicubic,
                     frameRate: FrameRate? = nil) throws -> DriverSource {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw MediaError.fileNotFound(path: path) }
        if isFolder.boolValue { throw MediaError.isFolder(path: path) }
        if path.lowercased().hasSuffix(".\(MotionTrack.fileExtension)") { return .motions(try MotionTrack.load(path: path), path: path) }
        if LandmarkTrack.isLandmarksFile(path) { return try landmarks(path, framing: framing) }
        if ImageReader.isPicture(atPath: path) {
            let image = try ImageReader.read(path)
            var crop: SquareCrop?
            switch framing {
            case .centered: crop = nil
            case .fixed(let box): crop = box
            case .auto(let locator, let options, _, let role):
                crop = try locator.crop(image, path: path, framing: role == .source ? options.source : options.driver)
            case .planned(let crops): crop = crops.first
            }
            return .still(try FrameConversion.frame(image, path: path, role: "driver", size: size, crop: crop, filter: filter))
        }
        let reader = try VideoReader(path: path, timing: .constantRate(frameRate))
        if frameRate == nil, reader.frameRate != reader.streamFrameRate {
            let (stated, average) = (reader.streamFrameRate.framesPerSecond, reader.frameRate.framesPerSecond)
            printError(String(format: "portrait: %@ has a variable frame rate (stated %.2f fps, average %.2f): its frames are resampled by their timestamps to a constant %.2f fps, keeping its duration and audio sync (--fps sets another rate)",
                              path, stated, average, average))
        }
        switch framing {
        case .centered: return .video(reader, crops: .same(nil), filter: filter)
        case .fixed(let box): return .video(reader, crops: .same(box), filter: filter)
        case .planned(let crops): return .video(reader, crops: .track(crops), filter: filter)
        case .auto(let locator, let options, let frames, let role):
            let crops = try locator.track(video: path, frames: frames, options: options, role: role, frameRate: reader.frameRate)
            return .video(reader, crops: .track(crops), filter: filter)
        }
    }

    /// A landmarks file (`LandmarkTrack`) framed as `framing` says: by each frame's points (auto
    /// framing, face N of each frame) or by one given square; a centred square is refused (the
    /// file holds no picture to centre it in).
    private static func landmarks(_ path: String, framing: DriverFraming) throws -> DriverSource {
        switch framing {
        case .auto(_, let options, _, _): return .landmarks(try LandmarkTrack.load(path: path, face: options.driver.face), crop: nil)
        case .fixed(let box): return .landmarks(try LandmarkTrack.load(path: path, face: 0), crop: box)
        case .centered, .planned:
            throw MediaError.invalidArgument("\(path): a landmarks file holds no picture to centre a square in or to plan; its frames are framed by their points (the default, --crop auto) or by --driver-crop x,y,size")
        }
    }

    /// Frames this source will produce, when known.
    var count: Int? {
        switch self {
        case .video(let reader, _, _): return reader.frameCountEstimate
        case .still: return 1
        case .poses(let poses): return poses.count
        case .edits(let edits): return edits.count
        case .motions(let track, _): return track.frames.count
        case .landmarks(let track, _): return track.frames.count
        }
    }

    /// The exact number of frames (a video's packets counted at the reader's constant rate; see
    /// `VideoReader.countFrames`).
    func exactCount() throws -> Int {
        if case .video(let reader, _, _) = self { return try VideoReader.countFrames(reader.path, timing: .constantRate(reader.frameRate)) }
        return count ?? 0
    }

    /// The frame rate to write at: the driving video's, else `fallback` frames per second.
    func frameRate(fallback: Int32 = 25) throws -> FrameRate {
        if case .video(let reader, _, _) = self { return reader.frameRate }
        if case .motions(let track, _) = self { return try FrameRate(framesPerSecond: track.framesPerSecond) }
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
        case .video(let reader, let crops, let filter):
            var index = 0
            return AnyIterator {
                do {
                    guard let frame = try reader.next() else { return nil }
                    defer { index += 1 }
                    let framed = try FrameConversion.frame(frame, path: reader.path, role: "driver", size: size,
                                                           crop: crops.crop(frame: index), filter: filter)
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
        case .edits(let edits):
            var it = edits.makeIterator()
            return AnyIterator { it.next().map { .success((.edit($0), nil)) } }
        case .motions(let track, _):
            var it = track.frames.makeIterator()
            return AnyIterator { it.next().map { .success((.motion($0), nil)) } }
        case .landmarks(let track, let crop):
            var index = 0
            return AnyIterator {
                guard index < track.frames.count else { return nil }
                defer { index += 1 }
                return .success((.points(track.framed(index, size: size, crop: crop)), nil))
            }
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
