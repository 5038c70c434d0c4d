import Runtime

/// Validate mode (tinygrad's `VALIDATE_WITH_CPU`): every declared op run on OpenCL is re-run on
/// the CPU fallback with host copies of its inputs and compared. Slow (each op waits for the
/// device); meant for hunting a kernel bug in a whole network. Set `Engine.validation`, or
/// `PORTRAIT_VALIDATE` for engines made by `Engine.opencl`.
public struct Validation: Sendable {
    /// `PORTRAIT_VALIDATE`: `1` (each op's own tolerance), `ABS,REL` (one tolerance for every
    /// op, e.g. `1e-4,1e-3`), or `0`/empty for off.
    public static let environmentVariable = "PORTRAIT_VALIDATE"

    /// One tolerance for every op, or nil for each op's own (`EngineOp.tolerance`).
    public var tolerance: Tolerance?

    /// Validation with `tolerance` (nil: each op's own).
    public init(tolerance: Tolerance? = nil) { self.tolerance = tolerance }

    /// Parses a `PORTRAIT_VALIDATE` value: nil for off, else the setting; throws
    /// `ValidationError.badSetting` for anything else.
    public static func parse(_ text: String) throws -> Validation? {
        let value = text.trimming(" ").lowercased()
        switch value {
        case "", "0", "false", "no": return nil
        case "1", "true", "yes": return Validation()
        default:
            let parts = value.split(separator: ",").map { Float(String($0).trimming(" ")) }
            guard parts.count == 2, let absolute = parts[0], let relative = parts[1], absolute >= 0, relative >= 0 else {
                throw ValidationError.badSetting(text)
            }
            return Validation(tolerance: Tolerance(absolute: absolute, relative: relative))
        }
    }
}

/// Errors of validate mode.
public enum ValidationError: Error, CustomStringConvertible, Sendable {
    /// The OpenCL result of `op` differs from the CPU fallback's beyond `tolerance`.
    case mismatch(op: String, shape: [Int], inputShapes: [[Int]], comparison: Comparison, tolerance: Tolerance,
                  worst: (index: Int, openCL: Float, cpu: Float))
    /// `PORTRAIT_VALIDATE` has a value that is neither on/off nor a tolerance.
    case badSetting(String)

    public var description: String {
        switch self {
        case .mismatch(let op, let shape, let inputs, let c, let tolerance, let worst):
            let shapes = inputs.map { "\($0)" }.joined(separator: ", ")
            return "validate: \(op) output \(shape) (inputs \(shapes)) differs between OpenCL and the CPU fallback: "
                + "max|Δ| \(c.maxAbsoluteError), rel \(c.relativeError) over tolerance \(tolerance); "
                + "worst element \(worst.index): OpenCL \(worst.openCL) vs CPU \(worst.cpu)"
        case .badSetting(let text):
            return "\(Validation.environmentVariable)=\(text) is invalid: expected 1 (each op's tolerance), 0 (off) or ABS,REL such as 1e-4,1e-3"
        }
    }
}
