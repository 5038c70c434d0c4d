import Foundation
import Runtime

/// Convolution weights repacked for the OpenCL tile kernels, keyed by the identity of the
/// resident weight (and bias) buffers. An entry keeps its source buffers alive, so a key can
/// never be reused by another buffer while it is cached; weights do not change in place in this
/// engine (no op writes into its inputs). Memory: one packed copy per cached weight.
final class ConvolutionWeightCache: @unchecked Sendable {
    private struct Entry {
        let weight: DeviceBuffer
        let bias: DeviceBuffer?
        let packed: DeviceBuffer
        let packedBias: DeviceBuffer
    }

    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]

    /// The packed pair for `weight`/`bias`, when cached.
    func lookup(weight: DeviceBuffer, bias: DeviceBuffer?) -> (DeviceBuffer, DeviceBuffer)? {
        lock.lock(); defer { lock.unlock() }
        guard let e = entries[ObjectIdentifier(weight)], e.bias === bias else { return nil }
        return (e.packed, e.packedBias)
    }

    /// Caches a packed pair.
    func store(weight: DeviceBuffer, bias: DeviceBuffer?, packed: DeviceBuffer, packedBias: DeviceBuffer) {
        lock.lock(); defer { lock.unlock() }
        entries[ObjectIdentifier(weight)] = Entry(weight: weight, bias: bias, packed: packed, packedBias: packedBias)
    }

    /// Number of cached weights.
    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    /// Drops every entry.
    func removeAll() { lock.lock(); entries.removeAll(); lock.unlock() }
}
