/// The secret that shapes the watermark: its sync pattern, its chip signs and which cells carry
/// which code bit all come from this 64-bit value. The same key must be used to embed and to
/// detect. `portraitDefault` is public (printed in docs/disclosure.md) so anyone can verify
/// PortraitCL output; a private key makes a mark only its holder can find.
public struct WatermarkKey: Hashable, Sendable {
    /// The key material.
    public let value: UInt64

    /// A key from 64 bits.
    public init(_ value: UInt64) { self.value = value }

    /// The public PortraitCL key.
    public static let portraitDefault = WatermarkKey(0x5054_434C_5741_524B)  // "PTCLWARK"

    /// A deterministic ±1 / integer stream for one use of the key (`purpose` separates the
    /// streams: sync signs, chip signs, the cell permutation).
    func stream(_ purpose: UInt64) -> KeyedStream { KeyedStream(seed: value ^ (purpose &* 0xD1B5_4A32_D192_ED03)) }
}

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a tiny, well-mixed 64-bit generator, enough to
/// spread a key over a few thousand cells. Not a cryptographic generator.
struct KeyedStream {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// +1 or −1 with equal probability.
    mutating func sign() -> Float { next() >> 63 == 0 ? 1 : -1 }

    /// A uniform integer in 0..<bound (bound > 0; the modulo bias is below 2⁻⁵⁰ for our sizes).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
