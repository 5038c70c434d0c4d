import Foundation
import Runtime

/// Channel widths of a few-shot talking-heads network in the layout of
/// vincent-thevenin/Realistic-Neural-Talking-Head-Models (reference/fewshot/layout.py): the
/// embedder's six downsampling blocks (self-attention after the third), the generator's four
/// downsampling blocks (self-attention after the third), its residual blocks and four upsampling
/// blocks (self-attention after the second). The released layout is `.full`; `.tiny` is the test
/// fixture's narrow network with the same names.
public struct FewShotWidths: Sendable, Equatable, CustomStringConvertible {
    /// Embedder resDown1...6 output channels; the last is the identity vector's length.
    public var embedder: [Int]
    /// Generator resDown1...4 output channels.
    public var down: [Int]
    /// Generator resUp1...4 output channels.
    public var up: [Int]
    /// Residual blocks between down and up (at `down.last` channels).
    public var resBlocks: Int
    /// Kernel of the generator's first downsampling block's 3×3-elsewhere convolutions (9).
    public var firstKernel: Int

    /// Creates widths.
    public init(embedder: [Int], down: [Int], up: [Int], resBlocks: Int, firstKernel: Int) {
        self.embedder = embedder; self.down = down; self.up = up; self.resBlocks = resBlocks; self.firstKernel = firstKernel
    }

    /// The public implementation's widths (256² input).
    public static let full = FewShotWidths(embedder: [64, 128, 256, 512, 512, 512], down: [64, 128, 256, 512],
                                           up: [256, 128, 64, 32], resBlocks: 5, firstKernel: 9)
    /// The narrow test network (reference/fewshot/layout.py `TINY`, 64² input).
    public static let tiny = FewShotWidths(embedder: [8, 8, 16, 16, 16, 16], down: [8, 8, 16, 16], up: [16, 8, 8, 8],
                                           resBlocks: 2, firstKernel: 9)

    /// The identity vector's length (`embedder.last`).
    public var embedding: Int { embedder.last ?? 0 }

    /// (input, output) channels of resUp1...4.
    public var upPairs: [(Int, Int)] { Array(zip([down.last ?? 0] + up.dropLast(), up)) }

    /// One AdaIN's slice of ψ̂: where its mean and its std start, and its channel count.
    public struct StyleSlice: Sendable, Equatable {
        /// Offsets into ψ̂ and the channel count.
        public let mean: Int, std: Int, channels: Int
    }

    /// The AdaIN slices of ψ̂ by block (`res1`..., `resUp1`..., `last`), two per block (one for
    /// `last`), in the public implementation's order: a residual block takes 4·C values (mean₁,
    /// std₁, mean₂, std₂), an upsampling block 2·(Cin + Cout) (mean₁, std₁ over Cin, then mean₂,
    /// std₂ over Cout), the last AdaIN 2·C (mean, std).
    public var styleSlices: [String: [StyleSlice]] {
        var out: [String: [StyleSlice]] = [:]
        var at = 0
        let c = down.last ?? 0
        for i in 0..<resBlocks {
            out["res\(i + 1)"] = [StyleSlice(mean: at, std: at + c, channels: c), StyleSlice(mean: at + 2 * c, std: at + 3 * c, channels: c)]
            at += 4 * c
        }
        for (i, (cin, cout)) in upPairs.enumerated() {
            out["resUp\(i + 1)"] = [StyleSlice(mean: at, std: at + cin, channels: cin),
                                    StyleSlice(mean: at + 2 * cin, std: at + 2 * cin + cout, channels: cout)]
            at += 2 * (cin + cout)
        }
        let last = up.last ?? 0
        out["last"] = [StyleSlice(mean: at, std: at + last, channels: last)]
        return out
    }

    /// ψ̂'s length: the rows of the projection matrix P.
    public var psiLength: Int {
        let c = down.last ?? 0
        return resBlocks * 4 * c + upPairs.reduce(0) { $0 + 2 * ($1.0 + $1.1) } + 2 * (up.last ?? 0)
    }

    /// The converter's `widths` metadata: `embedder;down;up;resBlocks;firstKernel`.
    public var description: String {
        [embedder, down, up].map { $0.map(String.init).joined(separator: ",") }.joined(separator: ";") + ";\(resBlocks);\(firstKernel)"
    }

    /// Parses `description`'s form; nil when it does not fit (six embedder widths, four down,
    /// four up, at least one residual block, an odd kernel, attention widths of at least 8).
    public init?(metadata text: String) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 5 else { return nil }
        func list(_ s: Substring) -> [Int]? {
            let values = s.split(separator: ",").map { Int($0) }
            return values.contains(where: { $0 == nil || $0! < 1 }) ? nil : values.compactMap { $0 }
        }
        guard let e = list(parts[0]), let d = list(parts[1]), let u = list(parts[2]), let r = Int(parts[3]), let k = Int(parts[4]),
              e.count == 6, d.count == 4, u.count == 4, r >= 1, k >= 1, k % 2 == 1,
              e[2] >= 8, d[2] >= 8, u[1] >= 8 else { return nil }
        self.init(embedder: e, down: d, up: u, resBlocks: r, firstKernel: k)
    }
}
