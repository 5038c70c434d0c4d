import Foundation

/// On-disk cache of compiled program binaries for GPU drivers, keyed by a hash of the kernel
/// source, build options, device, driver and platform. Files are written atomically
/// (temporary file + rename), so a crash never leaves a half-written binary.
public struct ProgramCache: Sendable {
    /// Where binaries live.
    public let directory: URL
    /// Bumped when the cache layout changes.
    static let formatVersion = "1"

    /// Creates a cache rooted at `directory`.
    public init(directory: URL) { self.directory = directory }

    /// `$PORTRAIT_CACHE_DIR`, else `portraitcl` in the user's cache folder (`UserCache`:
    /// `$XDG_CACHE_HOME`, else `$HOME/.cache`); nil when `PORTRAIT_CACHE_DIR` is set to an empty
    /// string (cache disabled).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let dir = environment["PORTRAIT_CACHE_DIR"] { return dir.isEmpty ? nil : URL(fileURLWithPath: dir) }
        return UserCache.base(environment: environment).appendingPathComponent("portraitcl")
    }

    /// The cache key for a program: a 128-bit hex digest.
    public func key(source: String, options: String, device: OpenCLDevice) -> String {
        let material = [Self.formatVersion, source, options, device.name, device.vendor, device.driverVersion,
                        device.deviceVersion, device.platformName, device.platformVersion].joined(separator: "\u{1F}")
        return StableHash.hex128(of: Array(material.utf8))
    }

    /// The cached binary for `key`, if any.
    public func load(key: String) -> [UInt8]? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(key + ".bin")), !data.isEmpty else { return nil }
        return [UInt8](data)
    }

    /// Stores a binary; failures (read-only home, full disk) are ignored: the cache is an optimisation.
    public func store(_ binary: [UInt8], key: String) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? AtomicFile.write(Data(binary), to: directory.appendingPathComponent(key + ".bin"))
    }
}

/// A stable (run-to-run, machine-to-machine) non-cryptographic hash: two FNV-1a 64 passes
/// with different offsets, enough to key caches.
public enum StableHash {
    /// 32 hex digits for `bytes`.
    public static func hex128(of bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf29ce484222325
        var b: UInt64 = 0x84222325cbf29ce4
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte ^ 0x5a)) &* 0x100000001b3
        }
        return String(format: "%016llx%016llx", a, b)
    }
}
