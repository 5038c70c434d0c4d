import Foundation

/// Where a job stands.
public enum JobState: String, Codable, Sendable {
    case queued, running, done, failed, cancelled

    /// Whether it can change no more.
    public var isFinal: Bool { self == .done || self == .failed || self == .cancelled }
}

/// A job as the page sees it (the JSON of `/api/jobs` and of each progress event).
public struct JobSnapshot: Codable, Sendable {
    /// The server-made id.
    public var id: String
    /// What it does.
    public var kind: JobKind
    /// Where it stands.
    public var state: JobState
    /// The device lane it runs in ("" for jobs that need none).
    public var device: String
    /// The step the renderer reports ("finding the face", "rendering", ...).
    public var stage: String?
    /// Frames of that step done so far, and of how many (when known).
    public var framesDone: Int = 0
    public var framesTotal: Int?
    /// Frames per second so far and seconds still to go, from the renderer's progress line.
    public var fps: Double?
    public var etaSeconds: Double?
    /// Seconds since it started running.
    public var elapsedSeconds: Double?
    /// Why it failed (the renderer's own error line), or how it was cancelled.
    public var message: String?
    /// Whether it wrote a file that `/api/jobs/ID/output` serves, and its Content-Type.
    public var hasOutput = false
    public var outputType: String?
    /// What faces and verify jobs printed (their JSON, parsed by the page).
    public var result: String?
    /// The saved avatar an avatar job made.
    public var avatar: SavedAvatar?
    /// For a preview rendered in the server's process: whether the framed source and its state
    /// came from an earlier job (only the frame was rendered); nil for a job run as a child process.
    public var sourceReused: Bool?
    /// A short description for the job list.
    public var title: String
}
