import Foundation
import Runtime

/// Winograd-transformed convolution inputs kept while `Engine.reusingConvolutionInputs` runs, so
/// several convolutions of one input (SPADE's γ and β convolutions of one hidden map; the shared
/// convolutions of every SPADE block on one label map) transform it once. Keyed by the identity of
/// the input's device buffer and the transform's extents (`signature`); only inputs registered by
/// an open scope are kept, and a scope's entries are dropped when it closes. The scope keeps its
/// registered input buffers alive, so a key cannot be reused by another buffer while cached; no op
/// writes into its inputs, so a transform stays valid for its buffer's lifetime.
final class ConvolutionInputReuse: @unchecked Sendable {
    private struct Key: Hashable {
        let input: ObjectIdentifier
        let signature: [Int]
    }

    private struct Scope {
        let inputs: [DeviceBuffer]
        var entries: [Key: DeviceBuffer] = [:]
    }

    private let lock = NSLock()
    private var scopes: [Scope] = []

    /// Opens a scope registering `inputs`.
    func push(_ inputs: [DeviceBuffer]) { lock.lock(); scopes.append(Scope(inputs: inputs)); lock.unlock() }

    /// Closes the innermost scope, dropping its transforms.
    func pop() { lock.lock(); _ = scopes.popLast(); lock.unlock() }

    /// The innermost open scope that registered `input`.
    private func scopeIndex(_ input: DeviceBuffer) -> Int? {
        scopes.lastIndex { $0.inputs.contains { $0 === input } }
    }

    /// The transform of `input` with `signature`, when an open scope holds it.
    func lookup(_ input: DeviceBuffer, signature: [Int]) -> DeviceBuffer? {
        lock.lock(); defer { lock.unlock() }
        guard let i = scopeIndex(input) else { return nil }
        return scopes[i].entries[Key(input: ObjectIdentifier(input), signature: signature)]
    }

    /// Keeps `transformed` for `input` when an open scope registered `input`; otherwise nothing.
    func store(_ input: DeviceBuffer, signature: [Int], transformed: DeviceBuffer) {
        lock.lock(); defer { lock.unlock() }
        guard let i = scopeIndex(input) else { return }
        scopes[i].entries[Key(input: ObjectIdentifier(input), signature: signature)] = transformed
    }

    /// Transforms held by the open scopes.
    var count: Int { lock.lock(); defer { lock.unlock() }; return scopes.reduce(0) { $0 + $1.entries.count } }
}

extension Engine {
    /// Runs `body` with `inputs` registered for reuse: on OpenCL, a Winograd F(4×4, 3×3) or F(6×6, 3×3)
    /// convolution whose input is one of these tensors (the same device buffer) transforms it on
    /// the first call and reuses that transform for every later one with the same extents
    /// (channels, size, padding) until `body` returns. The results are bitwise those of separate
    /// calls; only the repeated input transforms are skipped. Host tensors, the CPU backend and
    /// other algorithms ignore the registration. Scopes nest. Memory: one transformed copy
    /// (≈ 2.25× the input) per registered input and padding while the scope is open.
    public func reusingConvolutionInputs<T>(_ inputs: [Tensor], _ body: () throws -> T) throws -> T {
        guard openCL != nil else { return try body() }
        convolutionInputReuse.push(inputs.compactMap(\.deviceBuffer))
        defer { convolutionInputReuse.pop() }
        return try body()
    }
}
