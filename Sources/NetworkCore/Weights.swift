import Foundation
import Runtime

/// One thing wrong with a weights file relative to a network's parameter list.
public enum WeightProblem: Sendable, Equatable, CustomStringConvertible {
    /// The config needs this tensor; the file lacks it.
    case missing(name: String, shape: [Int])
    /// The file has a tensor the config does not use.
    case unexpected(name: String, shape: [Int])
    /// The tensor's shape differs from the config's.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// The tensor's dtype cannot be converted to float32.
    case unsupportedDType(name: String, dtype: String)
    /// The tensor holds NaN or infinite values.
    case notFinite(name: String)

    /// A one-line message: what was expected, what was found, what to do.
    public var description: String {
        switch self {
        case .missing(let n, let s): return "missing \(n) \(s)"
        case .unexpected(let n, let s): return "unexpected \(n) \(s)"
        case .wrongShape(let n, let e, let f): return "\(n): expected shape \(e), found \(f)"
        case .unsupportedDType(let n, let d): return "\(n): dtype \(d) (supported: F32, F16, BF16, F64)"
        case .notFinite(let n): return "\(n): contains NaN or infinite values"
        }
    }
}

/// Errors loading weights. A config/weights mismatch is ONE error listing every problem.
public enum WeightsError: Error, CustomStringConvertible, Sendable {
    /// The file is unreadable, truncated, or its header lies (from the safetensors reader).
    case file(SafeTensorsError)
    /// The tensors do not fit the config; `problems` lists all of them. `fileConfig` is the config
    /// name recorded in the file's metadata, when present.
    case mismatch(config: String, fileConfig: String?, problems: [WeightProblem])

    /// A one-line message: what was expected, what was found, what to do.
    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .mismatch(let config, let fileConfig, let problems):
            var s = "weights do not fit config '\(config)'"
            if let fileConfig, fileConfig != config { s += " (the file was written for config '\(fileConfig)'; pass --config \(fileConfig)?)" }
            s += ": \(problems.count) problem\(problems.count == 1 ? "" : "s"):"
            let shown = problems.prefix(40).map { "\n  " + $0.description }.joined()
            return s + shown + (problems.count > 40 ? "\n  ... and \(problems.count - 40) more" : "")
        }
    }
}

/// A network's parameters by weight-format name (docs/weights.md), as float32 host tensors.
/// Create them from a safetensors file (`load`), at random (`random`), or from a dictionary; a
/// network checks them against its parameter list (`ParameterSpec`s) and uploads them once.
/// Each network adds the config-typed conveniences (`Weights.load(path:config:)`...).
public struct Weights: @unchecked Sendable {
    /// The weights format tag written to and expected in file metadata.
    public static let formatTag = "portraitcl-weights-1"

    /// Tensors by name.
    public let tensors: [String: Tensor]
    /// The config name recorded in the file the weights came from, if any.
    public let sourceConfig: String?
    /// The parameter names and shapes `load` or `random` already checked these tensors against
    /// (exactly those names, those shapes, finite values), so `validate` against the same list
    /// does not scan every value again; nil for weights made from a dictionary.
    private let checkedShapes: [String: [Int]]?

    /// Weights from a dictionary (checked when a network is made).
    public init(tensors: [String: Tensor], sourceConfig: String? = nil) {
        self.init(tensors: tensors, sourceConfig: sourceConfig, checkedAgainst: nil)
    }

    private init(tensors: [String: Tensor], sourceConfig: String?, checkedAgainst specs: [ParameterSpec]?) {
        self.tensors = tensors
        self.sourceConfig = sourceConfig
        self.checkedShapes = specs.map(Self.shapes)
    }

    private static func shapes(_ specs: [ParameterSpec]) -> [String: [Int]] {
        Dictionary(specs.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads `path` (memory-mapped, bounds-checked; F32/F16/BF16/F64 converted to float32) and checks
    /// it against `specs`, the parameters of config `configName`: missing, unexpected and mis-shaped
    /// tensors, unsupported dtypes and non-finite values are all reported in one
    /// `WeightsError.mismatch`. `fileConfigName` reads the config name out of the file's metadata
    /// (for the "pass --config X?" hint).
    public static func load(path: String, specs: [ParameterSpec], configName: String,
                            fileConfigName: ([String: String]) -> String?) throws -> Weights {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(path: path) } catch let e as SafeTensorsError { throw WeightsError.file(e) }
        let fileConfig = fileConfigName(file.metadata)
        var problems: [WeightProblem] = []
        let wanted = Set(specs.map(\.name))
        for spec in specs {
            guard let entry = file.entries[spec.name] else { problems.append(.missing(name: spec.name, shape: spec.shape)); continue }
            if entry.shape != spec.shape { problems.append(.wrongShape(name: spec.name, expected: spec.shape, found: entry.shape)) }
            if !["F32", "F16", "BF16", "F64"].contains(entry.dtype) {
                problems.append(.unsupportedDType(name: spec.name, dtype: entry.dtype))
            }
        }
        for name in file.names where !wanted.contains(name) {
            problems.append(.unexpected(name: name, shape: file.entries[name]?.shape ?? []))
        }
        guard problems.isEmpty else { throw WeightsError.mismatch(config: configName, fileConfig: fileConfig, problems: problems) }
        var tensors: [String: Tensor] = [:]
        for spec in specs {
            do { tensors[spec.name] = try file.tensor(spec.name) } catch let e as SafeTensorsError { throw WeightsError.file(e) }
            if !(tensors[spec.name]?.hostValues ?? []).allSatisfy({ $0.isFinite }) { problems.append(.notFinite(name: spec.name)) }
        }
        guard problems.isEmpty else { throw WeightsError.mismatch(config: configName, fileConfig: fileConfig, problems: problems) }
        return Weights(tensors: tensors, sourceConfig: fileConfig, checkedAgainst: specs)
    }

    /// Checks the tensors against `specs`, the parameters of config `configName` (names, shapes,
    /// finiteness); throws one `WeightsError.mismatch` listing every problem.
    public func validate(against specs: [ParameterSpec], configName: String) throws {
        if let checkedShapes, checkedShapes == Self.shapes(specs) { return }   // checked when loaded or drawn
        var problems: [WeightProblem] = []
        for spec in specs {
            guard let t = tensors[spec.name] else { problems.append(.missing(name: spec.name, shape: spec.shape)); continue }
            if t.shape != spec.shape {
                problems.append(.wrongShape(name: spec.name, expected: spec.shape, found: t.shape))
            } else if let v = t.hostValues, !v.allSatisfy({ $0.isFinite }) {
                problems.append(.notFinite(name: spec.name))
            }
        }
        let wanted = Set(specs.map(\.name))
        for name in tensors.keys.sorted() where !wanted.contains(name) {
            problems.append(.unexpected(name: name, shape: tensors[name]?.shape ?? []))
        }
        guard problems.isEmpty else { throw WeightsError.mismatch(config: configName, fileConfig: sourceConfig, problems: problems) }
    }

    /// Writes the weights as a safetensors file with `{"format": format, "config": configJSON}`
    /// metadata, atomically.
    public func save(to path: String, configJSON: String, format: String = Weights.formatTag) throws {
        try SafeTensorsWriter.write(tensors, metadata: ["format": format, "config": configJSON], to: path)
    }

    /// Deterministic random weights for `specs` from `seed`, each drawn by its `ParameterInit`
    /// (fan-in scaled uniform convs, norm scales near 1, ...), so activations stay in a sane range.
    /// Each tensor's stream depends only on the seed and its name, so the result does not depend
    /// on declaration order. Not equal to PyTorch's random stream.
    public static func random(specs: [ParameterSpec], seed: UInt64, configName: String) -> Weights {
        var tensors: [String: Tensor] = [:]
        for spec in specs {
            var g = SeededGenerator(seed: seed ^ fnv1a(spec.name))
            let n = spec.count
            var values = [Float](repeating: 0, count: n)
            switch spec.initializer {
            case .fanIn(let gain, let scale):
                let fanIn = max(n / max(spec.shape[0], 1), 1)
                let bound = Float(scale * (gain / Double(fanIn)).squareRoot())
                for i in 0..<n { values[i] = g.uniform(-bound, bound) }
            case .uniform(let bound):
                for i in 0..<n { values[i] = g.uniform(-Float(bound), Float(bound)) }
            case .onePlusUniform(let bound):
                for i in 0..<n { values[i] = 1 + g.uniform(-Float(bound), Float(bound)) }
            case .normal:
                for i in 0..<n {
                    // Box–Muller on two uniforms in (0, 1].
                    let u1 = max(Double(g.uniform(0, 1)), 1e-12), u2 = Double(g.uniform(0, 1))
                    values[i] = Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
                }
            case .constant(let c):
                for i in 0..<n { values[i] = c.isEmpty ? 0 : c[i % c.count] }
            }
            tensors[spec.name] = Tensor(shape: spec.shape, values: values)
        }
        return Weights(tensors: tensors, sourceConfig: configName, checkedAgainst: specs)
    }

    /// FNV-1a hash of a name (per-tensor random streams).
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}
