import Foundation
import NetworkCore
import Runtime

/// A few-shot network's configuration: its name, the side of the square crops it reads and
/// renders, and its channel widths (which must equal the `widths` metadata of its weights file).
/// Presets: `fewshot` (the public implementation's layout at 256²) and `fewshot-tiny` (the test
/// fixture's narrow widths at 128², where the face-landmark model still finds faces).
public struct FewShotConfig: NetworkConfiguration, Equatable {
    /// The config's name.
    public var name: String
    /// Side of the square source, driver and output crops (a multiple of 64).
    public var imageSize: Int
    /// The channel widths.
    public var widths: FewShotWidths

    /// A config; see the properties.
    public init(name: String, imageSize: Int, widths: FewShotWidths) {
        self.name = name; self.imageSize = imageSize; self.widths = widths
    }

    /// The embedded presets' names.
    public static let presetNames = ["fewshot", "fewshot-tiny"]

    /// The preset `name`, nil when there is none.
    public static func preset(_ name: String) -> FewShotConfig? {
        switch name.lowercased() {
        case "fewshot": return FewShotConfig(name: "fewshot", imageSize: 256, widths: .full)
        case "fewshot-tiny": return FewShotConfig(name: "fewshot-tiny", imageSize: 128, widths: .tiny)
        default: return nil
        }
    }

    /// The preset `nameOrPath`, or the JSON config file at that path.
    public static func load(_ nameOrPath: String) throws -> FewShotConfig {
        if let preset = preset(nameOrPath) { return preset }
        guard let data = FileManager.default.contents(atPath: nameOrPath) else {
            throw FewShotError.badConfig(source: nameOrPath, problem: "no such preset (\(presetNames.joined(separator: ", "))) or readable JSON file")
        }
        return try decode(data, source: nameOrPath)
    }

    /// The `format` tag of converted few-shot weights (reference/convert_fewshot.py).
    public static let weightsFormatTag = "portraitcl-fewshot-1"

    /// Every parameter of the layout the widths imply.
    public var parameterSpecs: [ParameterSpec] { FewShotLayout(widths).collector.specs }

    /// `{"image_size": S, "name": ..., "widths": "64,...;5;9"}` (keys sorted).
    public func jsonString() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["name": name, "image_size": imageSize, "widths": widths.description],
                                              options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A config from `jsonString()`'s form; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws -> FewShotConfig {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FewShotError.badConfig(source: source, problem: "not a JSON object")
        }
        guard let name = json["name"] as? String, let size = json["image_size"] as? Int, size >= 64, size % 64 == 0 else {
            throw FewShotError.badConfig(source: source, problem: "expected \"name\" and \"image_size\" (a multiple of 64)")
        }
        guard let text = json["widths"] as? String, let widths = FewShotWidths(metadata: text) else {
            throw FewShotError.badConfig(source: source, problem: "expected \"widths\" like \"\(FewShotWidths.full)\"")
        }
        return FewShotConfig(name: name, imageSize: size, widths: widths)
    }
}
