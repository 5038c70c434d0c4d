import Foundation

/// A live stream that cannot be opened, read or written; each message says what was expected,
/// what was found and what to do.
public enum LiveError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A URL scheme this build cannot read or write (`available` lists the ones it can).
    case unsupportedProtocol(location: String, scheme: String, output: Bool, available: [String])
    /// A V4L2 device was asked for but libavdevice (or its v4l2 part) is missing.
    case deviceSupportMissing(reason: String)
    /// `path` is no V4L2 device on this machine (`present` lists the ones there are); `output`: a
    /// loopback device to write to, else a camera.
    case noSuchDevice(path: String, output: Bool, present: [String])
    /// The V4L2 device exists but cannot be opened (busy, no permission, not a capture device...).
    case deviceUnusable(path: String, output: Bool, reason: String)
    /// Open options (`--driver-option`, `--output-option`) that nothing along the way knows.
    case unknownOptions(location: String, options: [String], output: Bool)
    /// The receiver of an output did not answer within `seconds`.
    case noAnswer(location: String, seconds: Double)
    /// The stream could not be opened (refused, unknown host...).
    case unreachable(location: String, reason: String)
    /// No data arrived for `seconds` seconds.
    case noData(location: String, seconds: Double)
    /// The stream opened but holds no video.
    case noVideo(location: String)
    /// Writing the output stream failed.
    case cannotStream(location: String, reason: String)

    /// The message.
    public var description: String {
        switch self {
        case .unsupportedProtocol(let location, let scheme, let output, let available):
            return "\(location): this build cannot \(output ? "stream to" : "read") \(scheme)://; it \(output ? "streams to" : "reads") \(available.joined(separator: ", ")) (and files, - for a pipe)"
        case .deviceSupportMissing(let reason):
            return reason
        case .noSuchDevice(let path, let output, let present):
            let there = present.isEmpty ? "this machine has no /dev/video* device" : "this machine has \(present.joined(separator: ", "))"
            if output {
                return "\(path): no such V4L2 loopback device (\(there)); load v4l2loopback first (e.g. sudo modprobe v4l2loopback video_nr=\(path.dropFirst(10)) exclusive_caps=1), then write to the device it makes"
            }
            return "\(path): no such V4L2 camera (\(there)); plug one in and see `ls /dev/video*` (in a container, pass it in: docker run --device \(path)), or drive from a stream URL, or lavfi:testsrc2 for a test"
        case .deviceUnusable(let path, let output, let reason):
            return "\(path): cannot open the V4L2 \(output ? "loopback device" : "camera"): \(reason); check that no other program holds it and that you may \(output ? "write" : "read") it (the video group)"
        case .unknownOptions(let location, let options, let output):
            return "\(location): no part of this \(output ? "output" : "driver") knows the option\(options.count == 1 ? "" : "s") \(options.joined(separator: ", ")) (--\(output ? "output" : "driver")-option); see FFmpeg's protocol, format and device options for what this one takes"
        case .noAnswer(let location, let seconds):
            return "\(location): the receiver did not answer within \(String(format: "%.0f", seconds)) s; check that it runs and listens (a server, or a listener such as SRT mode=listener) and that the address and port are right (--timeout sets the wait)"
        case .unreachable(let location, let reason):
            return "\(location): cannot open the stream: \(reason); check that the sender runs and the address and port are right"
        case .noData(let location, let seconds):
            return "\(location): no video arrived for \(String(format: "%.0f", seconds)) s; check that the sender runs (--timeout sets the wait)"
        case .noVideo(let location):
            return "\(location): the stream holds no video"
        case .cannotStream(let location, let reason):
            return "\(location): cannot stream: \(reason)"
        }
    }
}
