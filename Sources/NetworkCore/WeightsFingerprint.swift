import Runtime

extension Weights {
    /// A short stable digest of the weights: every tensor's name and shape and a sample of its
    /// values (the first and last 32 and 64 evenly spaced ones). Saved avatars record it, so an
    /// avatar made with other weights of the same config is refused instead of rendering garbage.
    /// Sampling keeps it cheap (170 M parameters in milliseconds); two checkpoints that differ
    /// only in unsampled values would collide — acceptable for catching mix-ups, not tampering.
    public var fingerprint: String {
        var bytes: [UInt8] = []
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            bytes += Array(name.utf8) + [0]
            for d in t.shape { withUnsafeBytes(of: Int64(d).littleEndian) { bytes += $0 } }
            guard let v = t.hostValues, !v.isEmpty else { continue }
            var sample = Array(v.prefix(32)) + Array(v.suffix(32))
            let step = max(1, v.count / 64)
            sample += stride(from: 0, to: v.count, by: step).prefix(64).map { v[$0] }
            for x in sample { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        }
        return String(StableHash.hex128(of: bytes).prefix(16))
    }
}
