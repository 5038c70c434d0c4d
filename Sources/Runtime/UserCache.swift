import Foundation

/// The user's cache folder, the one place every on-disk cache of the engine starts from:
/// `$XDG_CACHE_HOME`, else `$HOME/.cache`, else the account's home (`getpwuid`) + `.cache`.
/// `$HOME` wins over the account database, so a bundle run with `HOME=/some/dir` (or a CI job
/// with a private home) keeps every cache there.
public enum UserCache {
    /// The base folder (`portraitcl/...` folders go inside it).
    public static func base(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg) }
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home).appendingPathComponent(".cache") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
    }
}
