/// The register tile of the OpenCL convolution kernels: how many output channels × output x
/// positions one work-item accumulates. Each engine's `KernelVariants.convolutionTile` holds its
/// device's tile (`conv.tile`; settable, so tests run every tile on whatever device they have)
/// and `choose` applies it per convolution. All tiles issue the same fma sequence per output.
public enum ConvolutionTile: String, CaseIterable, Sendable {
    /// 8 channels × 8 positions in eight `float8` accumulators (inputs as vectors, weights
    /// broadcast): any kernel width and stride; GPUs and single-block convolutions.
    case tile8x8 = "8x8"
    /// 16 channels × 6 positions in twelve `float8` accumulators (weights as vectors, inputs
    /// broadcast): CPUs with 256-bit vectors (AVX2), stride-1 k1/k3/k7/k9, at least two channel blocks.
    case tile16x6 = "16x6"
    /// 16 channels × 16 positions in sixteen `float16` accumulators: CPUs with 512-bit vectors
    /// (PoCL names them `pthread-…-avx512…`), stride-1 k1/k3/k7/k9.
    case tile16x16 = "16x16"

    /// Output x positions per work-item.
    var width: Int {
        switch self {
        case .tile8x8: return 8
        case .tile16x6: return 6
        case .tile16x16: return 16
        }
    }

    /// Whether the wide tiles have a kernel for this kernel width and x stride (k1/k3/k7/k9,
    /// stride 1; k7 is LivePortrait's 7×7×7 dense-motion mask and 7×7 occlusion convolutions, k9
    /// the few-shot generator's 9×9 first block, 43 GFLOP of its 102 per frame at 256², which the
    /// generic `conv_any_tile` ran at a quarter of the wide tiles' rate).
    static func wideTilesApply(kernelWidth: Int, strideX: Int) -> Bool {
        strideX == 1 && [1, 3, 7, 9].contains(kernelWidth)
    }

    /// The tile for one convolution: 8×8 where no wide kernel exists (k5, strided), else
    /// `preferred`, the engine's `conv.tile` (measured on PoCL 3.1: 16×6 is 1.3–1.6× the 8×8
    /// tile on AVX2, 16×16 up to 1.7× on AVX-512), except 16×6 with one channel block, where
    /// half its work would be a recomputed block.
    static func choose(kernelWidth: Int, strideX: Int, channelBlocks: Int, preferred: ConvolutionTile) -> ConvolutionTile {
        guard wideTilesApply(kernelWidth: kernelWidth, strideX: strideX) else { return .tile8x8 }
        return preferred == .tile16x6 && channelBlocks < 2 ? .tile8x8 : preferred
    }

    /// The kernel name for kernel width `kw` and x stride `sx`, or nil for `conv_any_tile`.
    func kernelName(kernelWidth kw: Int, strideX sx: Int) -> String? {
        switch self {
        case .tile8x8:
            return [1, 3, 7].contains(kw) && (sx == 1 || sx == 2) ? "conv_k\(kw)s\(sx)_tile" : nil
        case .tile16x6, .tile16x16:
            return "conv_k\(kw)s1_tile\(rawValue)"
        }
    }
}
