import Foundation

/// Convolution weights transformed for the CPU path (the Winograd `U` matrices), shared by every
/// CPU engine of the process, keyed by the identity of the host weight's array storage.
///
/// Host tensors are value types, so identity is the storage's base address; an entry keeps the
/// source array alive, so (a) that address cannot be reused by another array while it is cached,
/// and (b) the storage is never uniquely referenced, so any write by its owner copies it first
/// (copy on write) and the written array has a new address: a hit always means the same, unchanged
/// values. Bounded: least recently used entries are dropped beyond `capacityFloats` floats (packed
/// and retained source together: a caller passing a fresh copy per call, as validate mode does,
/// cannot grow it further).
final class CPUConvolutionWeightCache: @unchecked Sendable {
    /// How the weights were transformed, with the shape that was assumed.
    enum Layout: Hashable {
        /// `Engine.winograd4WeightsCPU`: U [36][kd][Cout][Cin] of a weight [Cout][Cin][kd][3][3]
        /// (kd = `depth`, 1 for 2-D).
        case winograd4(cout: Int, cin: Int, depth: Int)
    }

    private struct Key: Hashable {
        let address: UInt
        let count: Int
        let layout: Layout
    }

    private struct Entry {
        let source: [Float]
        let packed: [Float]
        var lastUse: UInt64
        /// Floats this entry keeps alive.
        var floats: Int { source.count + packed.count }
    }

    /// The process-wide cache the CPU convolutions use.
    static let shared = CPUConvolutionWeightCache()

    /// The most floats kept, packed and source (default 512 Mi floats, 2 GiB).
    let capacityFloats: Int
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var cachedFloats = 0
    private var clock: UInt64 = 0

    init(capacityFloats: Int = 512 << 20) { self.capacityFloats = capacityFloats }

    /// The packed form of `weight` under `layout`: cached, or made by `pack(weight)` and cached.
    /// Two threads missing the same key both pack it; the second store wins (same values).
    func packed(_ weight: [Float], _ layout: Layout, pack: ([Float]) -> [Float]) -> [Float] {
        guard !weight.isEmpty else { return pack(weight) }
        let key = Key(address: weight.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, count: weight.count, layout: layout)
        if let hit = use(key) { return hit }
        let packed = pack(weight)
        store(key, Entry(source: weight, packed: packed, lastUse: 0))
        return packed
    }

    private func use(_ key: Key) -> [Float]? {
        lock.lock(); defer { lock.unlock() }
        guard entries[key] != nil else { return nil }
        clock += 1
        entries[key]!.lastUse = clock
        return entries[key]!.packed
    }

    private func store(_ key: Key, _ entry: Entry) {
        guard entry.floats <= capacityFloats else { return }
        lock.lock(); defer { lock.unlock() }
        clock += 1
        var entry = entry
        entry.lastUse = clock
        if let old = entries.updateValue(entry, forKey: key) { cachedFloats -= old.floats }
        cachedFloats += entry.floats
        while cachedFloats > capacityFloats, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            cachedFloats -= oldest.value.floats
            entries[oldest.key] = nil
        }
    }

    /// Number of cached packings.
    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    /// Drops every entry.
    func removeAll() { lock.lock(); entries.removeAll(); cachedFloats = 0; lock.unlock() }
}
