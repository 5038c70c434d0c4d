import Foundation

/// How `portrait serve` runs: where it listens, which folders it owns and reads, its limits.
public struct StudioConfiguration: Sendable {
    /// The address to bind (loopback by default).
    public var host = "127.0.0.1"
    /// The port (0: any free one; the line printed at start says which).
    public var port = 8080
    /// The folder of weights and config files the page may choose from.
    public var modelsFolder: String?
    /// The folder the server owns (uploads, job outputs, saved avatars).
    public var workFolder: String
    /// Jobs running at once on each device.
    public var concurrency = 1
    /// When set, every API request must carry it (`Authorization: Bearer T` or `?token=T`).
    public var token: String?
    /// The most bytes one upload may have.
    public var maxUploadBytes = 200 << 20
    /// The config presets the page offers, the first selected at load (`portrait serve` lists
    /// every registered family's); empty: only the models folder's config files.
    public var presets: [String] = []
    /// The `portrait` executable jobs run.
    public var executable: URL
    /// Runs preview jobs in the server's own process with what earlier jobs made kept
    /// (`portrait serve` sets it); nil: every job runs `executable` as a child process.
    public var renderer: (any InProcessRenderer)?

    /// A configuration with the work folder and executable given, the rest defaults.
    public init(workFolder: String, executable: URL) {
        self.workFolder = workFolder
        self.executable = executable
    }

    /// Whether `host` is a loopback address (only this machine can connect).
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// Whether `host` names the loopback interface.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" { return true }
        // 127.0.0.0/8 as an IPv4 literal only: a DNS name such as 127.0.0.1.example is not loopback.
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
