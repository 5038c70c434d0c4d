import Foundation

/// Everything that can go wrong reading or writing images and video.
///
/// Every case carries the path involved and a message that says what was found and what to
/// do about it; `description` joins them into one line fit for a terminal.
public enum MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be opened for reading.
    case fileNotFound(path: String)
    /// A folder was given where a file is expected.
    case isFolder(path: String)
    /// The file exists but its content is not an image or video format this build reads.
    case unsupportedFormat(path: String, reason: String)
    /// The file is a known format but its data is damaged or cut short.
    case corrupt(path: String, reason: String)
    /// The file holds no video stream (an audio-only file, for example).
    case noVideoStream(path: String)
    /// The video stream holds no decodable frame.
    case noFrames(path: String)
    /// No encoder or decoder for the codec is available in the installed libav*.
    case codecUnavailable(path: String, codec: String)
    /// The output file cannot be created or written.
    case cannotWrite(path: String, reason: String)
    /// An argument is out of range (odd video size, frame of the wrong size, bad crop...).
    case invalidArgument(String)
    /// A libav* call failed; `call` names it and `reason` is libav's own message.
    case ffmpeg(path: String, call: String, reason: String)
    /// The picture is larger than `PictureLimits` allow.
    case tooLarge(path: String, width: Int, height: Int)

    /// One line: what happened, to which file, and what to try.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file or not readable; check the path and its permissions"
        case .isFolder(let path):
            return "\(path): is a folder, not a file; give the path of a picture or video file"
        case .unsupportedFormat(let path, let reason):
            return "\(path): not a supported image or video (\(reason)); use PNG, JPEG or a video ffmpeg can read (MP4, MKV, MOV, WebM...)"
        case .corrupt(let path, let reason):
            return "\(path): damaged or truncated file (\(reason)); re-export or re-download it"
        case .noVideoStream(let path):
            return "\(path): contains no video stream; give a video or image file"
        case .noFrames(let path):
            return "\(path): the video stream holds no decodable frame; the file is empty or damaged"
        case .codecUnavailable(let path, let codec):
            return "\(path): no \(codec) codec in the installed libavcodec; install a full ffmpeg build (Debian: libavcodec59 + libx264)"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write (\(reason)); check that the folder exists and is writable"
        case .invalidArgument(let message):
            return message
        case .ffmpeg(let path, let call, let reason):
            return "\(path): \(call) failed: \(reason)"
        case .tooLarge(let path, let width, let height):
            return "\(path): the picture is \(width)x\(height), more than the \(PictureLimits.maximumPixels >> 20) Mpixel (or \(PictureLimits.maximumSide)-pixel side) limit; downscale it first"
        }
    }
}

/// Checks on a path before it is opened for reading.
enum InputFile {
    /// Throws `fileNotFound` when nothing readable is at `path`, `isFolder` when it is a folder.
    static func check(_ path: String) throws(MediaError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .fileNotFound(path: path) }
        if isDirectory.boolValue { throw .isFolder(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .fileNotFound(path: path) }
    }
}
