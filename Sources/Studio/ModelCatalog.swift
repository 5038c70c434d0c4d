import Foundation

/// What the page may choose from: the config presets the binary carries, the config (.json) and
/// weights (.safetensors) files at the top of the models folder, and the devices. A client names
/// a file by the name listed here; the name is looked up in a fresh listing, never joined to a path.
public struct ModelCatalog: Sendable {
    /// The config presets offered: every preset `portrait render --config` takes (the server's
    /// configuration lists them from the network registry).
    public let presets: [String]
    /// The devices offered (opencl:N is also accepted).
    public static let devices = ["cpu", "opencl"]

    /// The models folder, nil when the server was started without one.
    public let folder: URL?

    /// A catalog of `folder` offering `presets`.
    public init(folder: String?, presets: [String]) {
        self.folder = folder.map { URL(fileURLWithPath: $0).standardizedFileURL }
        self.presets = presets
    }

    /// The file names in the models folder ending in `.ext` (sorted; hidden files skipped).
    public func files(ext: String) -> [String] {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".\(ext)") && !$0.hasPrefix(".") }.sorted()
    }

    /// The path of the listed file `name` ending in `.ext`, or a 400 listing what there is.
    func path(of name: String, ext: String, role: String) throws -> String {
        let listed = files(ext: ext)
        guard let folder, listed.contains(name) else {
            let there = listed.isEmpty ? "the models folder has none" : "choose one of \(listed.joined(separator: ", "))"
            throw StudioError.badRequest("no \(role) named '\(name.prefix(80))' in the models folder; \(there)")
        }
        return folder.appendingPathComponent(name).path
    }

    /// The `--config` argument for `name`: a preset, or a listed .json file.
    func config(_ name: String) throws -> String {
        if presets.contains(name) { return name }
        if name.hasSuffix(".json") { return try path(of: name, ext: "json", role: "config") }
        throw StudioError.badRequest("unknown config '\(name.prefix(80))'; choose a preset (\(presets.joined(separator: ", "))) or a .json file of the models folder")
    }

    /// The `--device` argument for `name`.
    static func device(_ name: String) throws -> String {
        if devices.contains(name) { return name }
        if name.hasPrefix("opencl:"), let index = Int(name.dropFirst(7)), index >= 0 { return "opencl:\(index)" }
        throw StudioError.badRequest("unknown device '\(name.prefix(40))'; choose cpu, opencl or opencl:N")
    }
}
