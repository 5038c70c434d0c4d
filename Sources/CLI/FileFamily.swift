import Avatar
import Foundation
import LivePortrait
import PortraitKit
import Runtime

/// What a PortraitCL safetensors file holds, read from its `format` metadata: the weights or a
/// saved source (`portrait avatar`) of one network family, and the config it was made for. The
/// CLI uses it to explain a file given to the other family's network, whose own loader can only
/// say that names or formats do not match.
struct FileFamily: Equatable {
    /// The network family that reads the file.
    let family: ModelFamily
    /// Weights (true) or a saved per-source state (false).
    let isWeights: Bool
    /// The config name recorded in the file, when there is one.
    let config: String?

    /// The family of the file at `path`; nil when it is unreadable or its format tag is none of
    /// the registered families' weights and source tags.
    static func of(path: String) -> FileFamily? {
        guard let metadata = try? SafeTensorsFile(path: path).metadata, let format = metadata["format"] else { return nil }
        guard let (entry, isWeights) = NetworkRegistry.family(formatTag: format) else { return nil }
        return FileFamily(family: ModelFamily(entry: entry), isWeights: isWeights, config: metadata["config"].map(configName))
    }

    /// A config name from a file's `config` metadata: weights record the whole config JSON (its
    /// `name`), saved sources the name itself.
    private static func configName(_ value: String) -> String {
        let json = try? JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any]
        return json?["name"] as? String ?? value
    }

    /// What the file is, for messages: "MegaPortraits weights", "a LivePortrait source (from `portrait avatar`)".
    var summary: String {
        let network = family.entry.displayName
        return isWeights ? "\(network) weights" : "a \(network) source (from `portrait avatar`)"
    }

    /// Runs `body`, which reads `path` for a `family` network. When it fails and the file belongs
    /// to the other family, the error says so first, with the options that read it, and keeps the
    /// loader's own message (for weights, the list of every mismatched tensor).
    static func explaining<T>(_ path: String, for family: ModelFamily, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            guard let found = of(path: path), found.family != family else { throw error }
            throw OtherFamilyFile(path: path, found: found, underlying: error)
        }
    }
}

/// A weights or source file of one network family given to the other's network.
struct OtherFamilyFile: Error, CustomStringConvertible {
    let path: String
    let found: FileFamily
    /// The loader's own error.
    let underlying: Error

    var description: String {
        let config = found.config.map { " --config \($0)" } ?? ""
        return "\(path) holds \(found.summary)\(found.config.map { " made for config '\($0)'" } ?? ""); "
            + "use it with --model \(found.family.rawValue)\(config). \(underlying)"
    }
}
