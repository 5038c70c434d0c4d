import Foundation

/// The checks every API request passes before any handler runs: the token (when the server has
/// one) and, on a loopback server, a loopback Host header (so a web page elsewhere cannot reach
/// the studio through a DNS name that resolves to 127.0.0.1).
public struct RequestGuard: Sendable {
    /// The token required, if any.
    public let token: String?
    /// Whether the Host header must name loopback.
    public let loopbackOnly: Bool

    /// A guard for `token` on a loopback or open server.
    public init(token: String?, loopbackOnly: Bool) {
        self.token = token
        self.loopbackOnly = loopbackOnly
    }

    /// Throws 421 for a foreign Host on a loopback server, 401 for a missing or wrong token.
    /// `authorization` is the Authorization header, `queryToken` the `token` query parameter.
    public func check(host: String?, authorization: String?, queryToken: String?, needsToken: Bool) throws {
        if loopbackOnly {
            guard let host, StudioConfiguration.isLoopback(Self.hostName(host)) else {
                throw StudioError(status: 421, "this studio answers only to localhost, 127.0.0.1 or [::1] (got Host '\((host ?? "none").prefix(80))'); open it by one of those names")
            }
        }
        guard needsToken, let token else { return }
        var given = queryToken
        if let authorization, authorization.hasPrefix("Bearer ") { given = String(authorization.dropFirst(7)) }
        guard let given, Self.equalInConstantTime(given, token) else {
            throw StudioError(status: 401, "this studio needs its token: open the address `portrait serve` printed (it ends in ?token=...) or send Authorization: Bearer TOKEN")
        }
    }

    /// The host part of a Host header (`name:port`, `[v6]:port`).
    static func hostName(_ header: String) -> String {
        if header.hasPrefix("["), let end = header.firstIndex(of: "]") { return String(header[...end]) }
        return String(header.split(separator: ":", maxSplits: 1).first ?? "")
    }

    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}
