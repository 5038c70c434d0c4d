import Foundation

/// What the page asks for, as it sends it (JSON). Every field is checked and turned into
/// `portrait` arguments by `JobArguments`; none is ever used as a path.
public struct JobRequest: Codable, Sendable {
    /// render, preview (one frame), avatar (save the source's per-source state), faces, verify.
    public var kind: String
    /// Upload id of the source picture (or of the file to verify / look for faces in).
    public var source: String?
    /// Id of a saved avatar, instead of a source.
    public var avatar: String?
    /// Upload id of the driving clip or picture.
    public var driver: String?
    /// Job id whose output to verify, instead of an upload.
    public var job: String?
    /// LivePortrait expression and pose edits, `--edit` names to values (instead of a driver).
    public var edit: [String: Double]?
    /// A config preset name.
    public var config: String?
    /// A weights file's name as the models listing gives it.
    public var weights: String?
    /// Seeded random weights (instead of `weights`): for trying the page without a checkpoint.
    public var randomWeights: Int?
    /// cpu, opencl or opencl:N.
    public var device: String?
    /// Which face of the source (0 is the largest), as `portrait faces` numbers them.
    public var face: Int?
    /// Framing: auto or none.
    public var crop: String?
    /// At most this many frames.
    public var frames: Int?
    /// LivePortrait: absolute rather than relative motion.
    public var absoluteMotion: Bool?
    /// LivePortrait: all, exp, pose or lip.
    public var region: String?
    /// LivePortrait: false skips the stitching MLP.
    public var stitching: Bool?
    /// LivePortrait: scale of the driving motion.
    public var drivingMultiplier: Double?

    /// A request of `kind` with nothing else set.
    public init(kind: String) { self.kind = kind }
}

/// The kinds of job the studio runs.
public enum JobKind: String, Codable, Sendable {
    case render, preview, avatar, faces, verify

    /// Whether it jumps ahead of queued renders (the page waits on it).
    var interactive: Bool { self == .preview || self == .faces }
}
