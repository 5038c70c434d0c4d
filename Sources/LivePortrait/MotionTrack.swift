import Foundation
import Runtime

/// A driving clip's motion, frame by frame, without its pixels (`portrait motion`; what
/// LivePortrait's `.pkl` motion templates hold): a driver can share how they move without sharing
/// their face, and a clip's motion is extracted once for many renders.
///
/// The file is JSON (`format` `portraitcl-motion-1`): the model the motion was read with (config
/// name, keypoint count, weights fingerprint — nil for an imported official template, whose weights
/// are not recorded), the frame rate, and per frame the motion extractor's values exactly as the
/// engine holds them (canonical keypoints, expression, translation, scale, pitch/yaw/roll in degrees).
public struct MotionTrack: Codable, Sendable, Equatable {
    /// The format tag this build reads and writes.
    public static let formatTag = "portraitcl-motion-1"
    /// The usual file name extension.
    public static let fileExtension = "motion"

    /// Always `formatTag`.
    public var format: String = MotionTrack.formatTag
    /// The config the motion was extracted with (`liveportrait`, ...).
    public var config: String
    /// Keypoints per frame.
    public var keypoints: Int
    /// The weights fingerprint of the extracting network; nil when unknown (an imported template).
    public var weightsFingerprint: String?
    /// Frames per second of the clip.
    public var framesPerSecond: Double
    /// Where the motion came from (`portrait motion CLIP`, `official template NAME`), for people.
    public var origin: String
    /// One motion per frame.
    public var frames: [LivePortraitMotion]

    /// A track from its parts.
    public init(config: String, keypoints: Int, weightsFingerprint: String?, framesPerSecond: Double, origin: String,
                frames: [LivePortraitMotion]) {
        self.config = config
        self.keypoints = keypoints
        self.weightsFingerprint = weightsFingerprint
        self.framesPerSecond = framesPerSecond
        self.origin = origin
        self.frames = frames
    }

    /// Writes the track as JSON, atomically.
    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: URL(fileURLWithPath: path))
    }

    /// Reads a track written by `save` (or by `reference/convert.py --liveportrait-motion`),
    /// checking its format, sizes and values.
    public static func load(path: String) throws -> MotionTrack {
        func fail(_ reason: String) -> LivePortraitError { .invalidInput("\(path): not a usable motion file: \(reason)") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw fail("unreadable (\(FileManager.default.fileExists(atPath: path) ? "permission or I/O error" : "no such file"))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let track: MotionTrack
        do { track = try decoder.decode(MotionTrack.self, from: data) } catch {
            throw fail("not a motion JSON document (make one with `portrait motion --driver CLIP -o FILE.motion`)")
        }
        guard track.format == formatTag else { throw fail("format '\(track.format)', this build reads '\(formatTag)'") }
        guard !track.frames.isEmpty else { throw fail("it holds no frames") }
        guard track.framesPerSecond.isFinite, track.framesPerSecond > 0 else { throw fail("frame rate \(track.framesPerSecond) is not positive") }
        for (index, motion) in track.frames.enumerated() where motion.keypointCount != track.keypoints || !motion.isValid {
            throw fail("frame \(index) has \(motion.keypointCount) keypoints or non-finite values; the file says \(track.keypoints)")
        }
        return track
    }

    /// Checks that `network` can be driven by this motion: the same keypoint count, and the same
    /// weights when the file records them (another model's keypoints mean nothing to this one).
    public func check(against network: LivePortraitNetwork, path: String) throws {
        guard keypoints == network.config.numKeypoints else {
            throw LivePortraitError.invalidInput("\(path): the motion has \(keypoints) keypoints per frame (config '\(config)'); this network's config '\(network.config.name)' has \(network.config.numKeypoints)")
        }
        if let weightsFingerprint, weightsFingerprint != network.weightsFingerprint {
            throw LivePortraitError.invalidInput("\(path): the motion was extracted with other weights (fingerprint \(weightsFingerprint)) than this network's (\(network.weightsFingerprint)); extract it again with these weights (`portrait motion`)")
        }
    }
}
