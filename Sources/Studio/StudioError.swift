import Foundation

/// A request the studio cannot honour, as the JSON error the page shows: `{"error": message}`
/// with an HTTP status that says whose fault it is.
public struct StudioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The HTTP status code (400 bad input, 401 no token, 404 unknown id, 413 too large, 415 wrong type, 409 wrong state, 500 the server's fault).
    public let status: Int
    /// What was expected, what was found, what to do.
    public let message: String

    /// An error with `status` and `message`.
    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// Bad input (400).
    static func badRequest(_ message: String) -> StudioError { StudioError(status: 400, message) }
    /// An id the server does not know (404).
    static func notFound(_ message: String) -> StudioError { StudioError(status: 404, message) }
    /// A job or file in the wrong state for the request (409).
    static func conflict(_ message: String) -> StudioError { StudioError(status: 409, message) }
}
