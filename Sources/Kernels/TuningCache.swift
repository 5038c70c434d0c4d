import Foundation
import Runtime

/// Where `portrait tune` keeps the variants it chose for a device: one small JSON file per
/// device, driver and kernel source, in the user's cache folder (`$XDG_CACHE_HOME/portraitcl/tuning`
/// or `$HOME/.cache/portraitcl/tuning`, `UserCache`; `PORTRAIT_TUNING_DIR` overrides it). A new driver or a changed
/// `Kernels.cl` gives another key, so stale choices are never used.
public struct TuningCache: Sendable {
    /// What one tuning run decided.
    public struct Entry: Codable, Equatable, Sendable {
        /// The device name, driver and OpenCL version the entry is for.
        public var device: String
        public var driver: String
        /// Variant overrides (`key=value,...`, as `PORTRAIT_VARIANTS`).
        public var overrides: String
        /// Kernel time of the tuned cases with the defaults and with the winners, in ms.
        public var defaultMilliseconds: Double
        public var tunedMilliseconds: Double
        /// When it was measured (ISO 8601).
        public var date: String

        /// An entry with every field.
        public init(device: String, driver: String, overrides: String, defaultMilliseconds: Double, tunedMilliseconds: Double, date: String) {
            self.device = device; self.driver = driver; self.overrides = overrides
            self.defaultMilliseconds = defaultMilliseconds; self.tunedMilliseconds = tunedMilliseconds; self.date = date
        }
    }

    /// The folder holding the entries.
    public let folder: URL

    /// The cache at `folder`, or at the default place for this user.
    public init(folder: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let folder { self.folder = folder; return }
        if let dir = environment["PORTRAIT_TUNING_DIR"], !dir.isEmpty { self.folder = URL(fileURLWithPath: dir); return }
        self.folder = UserCache.base(environment: environment).appendingPathComponent("portraitcl/tuning")
    }

    /// The file for `device` with the embedded kernel source.
    public func file(for device: OpenCLDevice) -> URL {
        let identity = [device.name, device.vendor, device.driverVersion, device.deviceVersion,
                        KernelSource.options(for: device), KernelSource.text].joined(separator: "\u{1F}")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325    // FNV-1a, 64 bit
        for byte in identity.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return folder.appendingPathComponent(String(format: "tuning-%016llx.json", hash))
    }

    /// The entry for `device`, or nil when none was written (or it cannot be read: tuning is an
    /// optimisation, so a damaged file only means the defaults are used).
    public func entry(for device: OpenCLDevice) -> Entry? {
        guard let data = FileManager.default.contents(atPath: file(for: device).path) else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: data)
    }

    /// Writes `entry` for `device` atomically; returns the file.
    @discardableResult
    public func store(_ entry: Entry, for device: OpenCLDevice) throws -> URL {
        let url = file(for: device)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(entry), to: url)
        return url
    }
}
