import Avatar
import Foundation
import LivePortrait
import Runtime

/// What a saved source (`portrait avatar -o FILE`) records about the network that made it: its
/// family, its config (name and full JSON) and the fingerprint of its weights. `render --avatar`
/// runs the network the file names (`ModelOptions.adopting`) and refuses other weights before
/// any frame is decoded (`checkWeights`).
struct SavedSourceRecord {
    let path: String
    let family: ModelFamily
    let configName: String
    let configJSON: String
    let weightsFingerprint: String?

    /// The record of the saved source at `path`; nil when the file is no PortraitCL saved source
    /// (its loader then says what it is). Weights given as a saved source are an error here.
    static func read(_ path: String) throws -> SavedSourceRecord? {
        guard let file = FileFamily.of(path: path) else { return nil }
        guard !file.isWeights else {
            throw SavedSourceMismatch(path: path, reason: "holds \(file.summary), not a saved avatar; give it to --weights, and to --avatar a file `portrait avatar -o` wrote")
        }
        guard let metadata = try? SafeTensorsFile(path: path).metadata, let json = metadata["config_json"] else { return nil }
        return SavedSourceRecord(path: path, family: file.family, configName: file.config ?? "?", configJSON: json,
                                 weightsFingerprint: metadata["weights_fingerprint"])
    }

    /// Throws when the weights `network` runs are not those that made this source.
    func checkWeights(of network: any PortraitModel, weights: String) throws {
        guard let weightsFingerprint, weightsFingerprint != network.weightsFingerprint else { return }
        throw SavedSourceMismatch(path: path, reason: "was made with other weights (fingerprint \(weightsFingerprint)) than \(weights) (\(network.weightsFingerprint)); give the weights it was made with, or rebuild it with `portrait avatar` and these weights")
    }
}

extension ModelOptions {
    /// These options for rendering the saved source at `path`: without `--config`, the config
    /// recorded in the file (and its network family); with one, the same config or an error that
    /// names what differs; `--model` of another family is an error that says which the file is for.
    func adopting(savedSource path: String?) throws -> ModelOptions {
        guard let path, let record = try SavedSourceRecord.read(path) else { return self }
        let explicitFamily = model ?? configOption.map(ModelFamily.implied(byConfig:))
        if let explicitFamily, explicitFamily != record.family {
            let found = FileFamily(family: record.family, isWeights: false, config: record.configName)
            let given = configOption.map { "--config \($0) is a \(explicitFamily.displayName) config" } ?? "--model \(explicitFamily.rawValue) was given"
            throw OtherFamilyFile(path: path, found: found, underlying: SavedSourceMismatch(path: path, reason: "cannot be rendered as asked: \(given)"))
        }
        var adopted = self
        adopted.model = record.family
        if let configOption {
            let differences = try ConfigDifference.list(record.configJSON, try Self.configJSON(configOption, family: record.family))
            guard differences.isEmpty else {
                throw SavedSourceMismatch(path: path, reason: "was made with config '\(record.configName)'; --config \(configOption) differs in \(differences.joined(separator: ", ")); omit --config (the avatar's own is used) or rebuild the avatar with this config")
            }
            return adopted
        }
        adopted.configOption = try Self.configPath(recordedJSON: record.configJSON, name: record.configName, family: record.family)
        return adopted
    }

    /// The config `nameOrPath` of `family` as JSON.
    private static func configJSON(_ nameOrPath: String, family: ModelFamily) throws -> String {
        try family.entry.configJSON(nameOrPath)
    }

    /// A `--config` value for a recorded config: its preset's name when the preset is that config,
    /// else a JSON file written with it in the temporary folder.
    private static func configPath(recordedJSON: String, name: String, family: ModelFamily) throws -> String {
        if let preset = try? configJSON(name, family: family), (try? ConfigDifference.list(recordedJSON, preset, includingName: true))?.isEmpty == true {
            return name
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-avatar-config-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent((name.isEmpty ? "config" : name.replacingOccurrences(of: "/", with: "_")) + ".json")
        try Data(recordedJSON.utf8).write(to: file, options: .atomic)
        return file.path
    }
}

extension ModelFamily {
    /// The family's name in prose.
    var displayName: String { entry.displayName }
}

/// The fields in which two config JSON texts differ, as dotted paths (`g2d.channels`).
enum ConfigDifference {
    /// Differing fields of `a` and `b` (the top-level `name` and `description`, which change no
    /// tensor, only with `includingName`); at most 8 are listed.
    static func list(_ a: String, _ b: String, includingName: Bool = false) throws -> [String] {
        guard let x = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any],
              let y = try JSONSerialization.jsonObject(with: Data(b.utf8)) as? [String: Any] else { return ["(not a JSON object)"] }
        var found: [String] = []
        compare(x, y, prefix: "", into: &found, includingName: includingName)
        return found.count > 8 ? Array(found.prefix(8)) + ["…"] : found
    }

    /// A JSON value's canonical text (for comparing values of any JSON type).
    private static func json(_ value: Any) -> Data? {
        try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys])
    }

    private static func compare(_ x: [String: Any], _ y: [String: Any], prefix: String, into found: inout [String], includingName: Bool) {
        for key in Set(x.keys).union(y.keys).sorted() where includingName || !(prefix.isEmpty && ["name", "description"].contains(key)) {
            let path = prefix + key
            switch (x[key], y[key]) {
            case (let a as [String: Any], let b as [String: Any]): compare(a, b, prefix: path + ".", into: &found, includingName: includingName)
            case (let a?, let b?): if json(a) != json(b) { found.append(path) }
            default: found.append(path)
            }
        }
    }
}

/// A saved source that does not fit the options or weights it is rendered with.
struct SavedSourceMismatch: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "the avatar \(path) \(reason)" }
}
