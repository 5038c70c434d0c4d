import ArgumentParser
import Avatar
import Foundation
import LivePortrait
import Runtime

/// `portrait inspect FILE [--config C]`: lists a safetensors file's tensors and checks them
/// against a model config.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors of a safetensors file and check them against a config.")

    @Argument(help: "A weights or avatar file (safetensors).")
    var file: String

    @Option(help: "Check the tensors against this config (preset name or JSON file).")
    var config: String?

    @Option(help: "The network the config is for (default: implied by the config).")
    var model: ModelFamily?

    func run() throws {
        try reportingErrors {
            let st = try SafeTensorsFile(path: file)
            var total = 0
            for name in st.names {
                guard let e = st.entries[name] else { continue }
                total += e.shape.reduce(1, *)
                print(column(name, 56) + column(e.dtype, 6) + "\(e.shape)")
            }
            print("\(st.names.count) tensors, \(total) values" + (st.metadata.isEmpty ? "" : "; metadata \(st.metadata)"))
            if let config {
                let family = model ?? ModelFamily.implied(byConfig: config)
                _ = try family.entry.configJSON(config)   // the config's own error first
                let name = try FileFamily.explaining(file, for: family) { try family.entry.checkWeights(config, file) }
                print(family == .megaportraits ? "matches config \(name)" : "matches \(family.entry.displayName) config \(name)")
            }
        }
    }
}
