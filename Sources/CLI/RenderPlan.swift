#if canImport(Media)
import Foundation
import Media
import Runtime

/// What every shard of a render must agree on, computed once by `portrait plan`: the driving
/// clip's exact frame count, the face track's crop of every frame (with `--crop auto`), the
/// keyframe interval the shards are cut on, and the render id the watermark carries. It is bound
/// to what it plans: the driver (size, rate, duration and a digest of its first packets), the
/// crop options and the network family; `mismatches` lists what a render would change.
struct RenderPlan: Codable, Equatable {
    /// The file format tag.
    static let formatTag = "portraitcl-plan-2"
    var format = RenderPlan.formatTag
    /// The driving video the plan was made from, as given to `plan` (shards may name another path to the same file).
    var driver: String
    /// The driver's frame size and rate, checked against the file each shard opens.
    var driverWidth: Int, driverHeight: Int
    var frameRate: String
    /// The driver's duration in seconds (the container's), when it states one.
    var driverDuration: Double?
    /// `VideoReader.packetDigest` of the driver: its first packets' content.
    var driverDigest: String
    /// The network family the face crops were framed for (`ModelFamily` raw value).
    var model: String
    /// The crop options the track was made with (`CropOptions.planSignature`).
    var cropOptions: String
    /// Frames to render (the clip's, or fewer with `--frames`).
    var frames: Int
    /// Every piece starts on a multiple of this many frames, each encoded on its own.
    var keyframeInterval: Int
    /// The watermark's render id (8 hex digits).
    var renderID: String
    /// One `[x, y, size]` per frame with `--crop auto`; nil when no crop spans the clip.
    var crops: [[Int]]?
    /// With `--crop auto`: per scanned frame, the detector that found the followed face
    /// (`mediapipe`, `yunet` where MediaPipe found none, nil where it was not found and the
    /// previous crop was kept). Informative: shards read only `crops`.
    var cropDetectors: [String?]?

    /// Reads and checks a plan file.
    static func load(_ path: String) throws -> RenderPlan {
        guard let data = FileManager.default.contents(atPath: path) else { throw MediaError.fileNotFound(path: path) }
        let plan: RenderPlan
        do { plan = try JSONDecoder().decode(RenderPlan.self, from: data) } catch {
            throw MediaError.corrupt(path: path, reason: "not a render plan (\(error)); make one with `portrait plan`")
        }
        guard plan.format == formatTag else {
            throw MediaError.corrupt(path: path, reason: "plan format '\(plan.format)', this portrait reads '\(formatTag)'")
        }
        guard plan.frames >= 1, plan.keyframeInterval >= 1, UInt32(plan.renderID, radix: 16) != nil,
              plan.crops.map({ $0.count >= plan.frames && $0.allSatisfy { $0.count == 3 && $0[2] > 0 } }) ?? true else {
            throw MediaError.corrupt(path: path, reason: "inconsistent plan (frames \(plan.frames), interval \(plan.keyframeInterval), crops); make it again with `portrait plan`")
        }
        return plan
    }

    /// Writes the plan atomically.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: URL(fileURLWithPath: path))
    }

    /// What differs between this plan and a render of `driver` (opened as `reader`) with these
    /// options, one phrase each; empty when the render is the one planned. `frames` is the
    /// render's `--frames` when given.
    func mismatches(driver: String, reader: VideoReader, frames requested: Int?, cropOptions crop: String, family: ModelFamily) throws -> [String] {
        var found: [String] = []
        if reader.width != driverWidth || reader.height != driverHeight {
            found.append("driver size \(reader.width)×\(reader.height), planned \(driverWidth)×\(driverHeight)")
        }
        if reader.frameRate.description != frameRate { found.append("driver frame rate \(reader.frameRate), planned \(frameRate)") }
        if let planned = driverDuration, let duration = reader.duration, abs(planned - duration) > 0.001 {
            found.append(String(format: "driver duration %.3f s, planned %.3f s", duration, planned))
        }
        if found.isEmpty, try VideoReader.packetDigest(driver) != driverDigest { found.append("driver content (its first packets differ from the planned clip's)") }
        if let requested, requested != frames { found.append("--frames \(requested), planned \(frames)") }
        if crop != cropOptions { found.append("crop options '\(crop)', planned '\(cropOptions)'") }
        if family.rawValue != model { found.append("model family \(family.rawValue), planned \(model)") }
        return found
    }

    /// Throws unless `reader` is the clip this plan was made for (size and frame rate).
    func check(_ reader: VideoReader, planPath: String) throws {
        guard reader.width == driverWidth, reader.height == driverHeight, reader.frameRate.description == frameRate else {
            throw MediaError.invalidArgument("\(reader.path) is \(reader.width)×\(reader.height) at \(reader.frameRate) fps, but the plan \(planPath) was made for \(driverWidth)×\(driverHeight) at \(frameRate) fps (\(driver)); give the same --driver")
        }
    }

    /// The per-frame crops as `SquareCrop`s, if the plan has them.
    var squareCrops: [SquareCrop]? { crops.map { $0.map { SquareCrop(x: $0[0], y: $0[1], size: $0[2]) } } }
}
#endif
