import Foundation
import Runtime

/// Convolution weights repacked for the OpenCL kernels, keyed by the identity of the resident
/// weight (and bias) buffers and the packing (`Layout`: one weight may be packed both ways when
/// the variant table changes between calls). An entry keeps its source buffers alive, so a key can
/// never be reused by another buffer while it is cached; weights do not change in place in this
/// engine (no op writes into its inputs). Memory: one packed copy per cached weight.
final class ConvolutionWeightCache: @unchecked Sendable {
    /// How the weights were repacked.
    enum Layout: Hashable {
        /// `conv_pack_weights`: the direct tile kernels' order.
        case tile
        /// `conv3x3_wino4_weights`: Winograd F(4×4, 3×3) transformed weights.
        case winograd4
        /// `conv3x3_wino6_weights`: Winograd F(6×6, 3×3) transformed weights.
        case winograd6
        /// `conv3x3x3_wino2_weights`: Winograd F(2×2×2, 3×3×3) transformed weights.
        case winograd3D
        /// `conv_k7_wino_weights`: Winograd F(4, 7) transformed weights.
        case winograd7
    }

    private struct Key: Hashable {
        let weight: ObjectIdentifier
        let layout: Layout
    }

    private struct Entry {
        let weight: DeviceBuffer
        let bias: DeviceBuffer?
        let packed: DeviceBuffer
        let packedBias: DeviceBuffer
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    /// The packed pair for `weight`/`bias`, when cached.
    func lookup(weight: DeviceBuffer, bias: DeviceBuffer?, layout: Layout = .tile) -> (DeviceBuffer, DeviceBuffer)? {
        lock.lock(); defer { lock.unlock() }
        guard let e = entries[Key(weight: ObjectIdentifier(weight), layout: layout)], e.bias === bias else { return nil }
        return (e.packed, e.packedBias)
    }

    /// Caches a packed pair.
    func store(weight: DeviceBuffer, bias: DeviceBuffer?, packed: DeviceBuffer, packedBias: DeviceBuffer, layout: Layout = .tile) {
        lock.lock(); defer { lock.unlock() }
        entries[Key(weight: ObjectIdentifier(weight), layout: layout)] = Entry(weight: weight, bias: bias, packed: packed, packedBias: packedBias)
    }

    /// Number of cached packings.
    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    /// Drops every entry.
    func removeAll() { lock.lock(); entries.removeAll(); lock.unlock() }
}
