import ArgumentParser
import Foundation
import Kernels
import Runtime

/// `portrait op NAME --inputs in.safetensors [--param k=v ...] [--device D] -o out.safetensors`:
/// runs one op on tensors from a file, named as the PyTorch function's arguments.
struct OpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "op",
        abstract: "Run one op on tensors from a safetensors file.",
        discussion: """
        Tensor and parameter names follow torch.nn.functional: conv3d takes tensors input, weight, \
        bias and params stride, padding; grid_sample takes input, grid and mode, padding_mode, \
        align_corners. The result is written as the tensor `output`. Parameters may also come from \
        the input file's metadata; --param overrides them. `portrait op --list` lists every op.
        """)

    @Argument(help: "Op name, e.g. conv3d, grid_sample, group_norm.")
    var name: String?

    @Option(help: "safetensors file holding the input tensors.")
    var inputs: String?

    @Option(name: .customLong("param"), help: "A parameter as key=value (repeatable), e.g. --param stride=2.")
    var parameters: [String] = []

    @Option(name: .shortAndLong, help: "Where to write the result (safetensors, tensor `output`).")
    var output: String?

    /// `--out`, the flag's earlier name, still read (hidden from the help).
    @Option(name: .customLong("out"), help: .hidden)
    var legacyOutput: String?

    /// The output path, by either name.
    var out: String? { output ?? legacyOutput }

    func validate() throws {
        if output != nil && legacyOutput != nil { throw ValidationError("give -o/--output once (--out is its old name)") }
    }

    @Flag(help: "List the ops, their tensors and parameters.")
    var list = false

    @OptionGroup var deviceOptions: DeviceOptions

    func run() throws {
        try reportingErrors {
            if list {
                for op in OpCatalog.all {
                    let tensors = op.inputs + op.optionalInputs.map { $0 + "?" }
                    print("\(column(op.name, 22)) tensors: \(tensors.joined(separator: ", "))" +
                          (op.parameters.isEmpty ? "" : "   params: \(op.parameters.joined(separator: ", "))"))
                }
                return
            }
            guard let name else { throw ValidationError("missing op name (see `portrait op --list`)") }
            guard let inputs else { throw ValidationError("missing --inputs FILE.safetensors") }
            guard let out else { throw ValidationError("missing -o FILE.safetensors") }
            let op = try OpCatalog.op(named: name)
            let file = try SafeTensorsFile(path: inputs)
            var params = file.metadata
            params.removeValue(forKey: "op")
            for p in parameters {
                let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--param expects key=value, got '\(p)'") }
                params[parts[0]] = parts[1]
            }
            var tensors = try file.allTensors()
            tensors.removeValue(forKey: "output")
            let engine = try deviceOptions.makeEngine()
            let result = try engine.host(try op.call(engine, OpArguments(tensors: tensors, parameters: params)))
            try SafeTensorsWriter.write(["output": result], metadata: ["op": name], to: out)
            print("\(name) on \(engine.name): output \(result.shapeDescription) -> \(out)")
        }
    }
}
