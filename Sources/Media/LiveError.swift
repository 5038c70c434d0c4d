import Foundation

/// A live stream that cannot be opened, read or written; each message says what was expected,
/// what was found and what to do.
public enum LiveError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A URL scheme this build cannot read or write (`available` lists the ones it can).
    case unsupportedProtocol(location: String, scheme: String, output: Bool, available: [String])
    /// A V4L2 device was asked for but libavdevice (or its v4l2 part) is missing.
    case deviceSupportMissing(reason: String)
    /// The stream could not be opened (refused, unknown host, no such device...).
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
