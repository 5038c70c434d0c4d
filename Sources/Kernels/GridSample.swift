import Runtime

/// How `grid_sample` reads the input at a sampling location (`mode` in PyTorch).
public enum GridSampleMode: String, Sendable, CaseIterable {
    /// Bilinear in 2-D, trilinear in 3-D (PyTorch calls both "bilinear").
    case bilinear
    /// The nearest pixel/voxel, rounding halves to even (`std::nearbyint`), as PyTorch does.
    case nearest

    var code: Int32 { self == .bilinear ? 0 : 1 }
}

/// What `grid_sample` reads outside the input (`padding_mode` in PyTorch).
public enum GridPadding: String, Sendable, CaseIterable {
    /// Out-of-range taps read 0.
    case zeros
    /// Coordinates are clamped to the edge pixels first.
    case border

    var code: Int32 { self == .zeros ? 0 : 1 }
}

/// The validated shapes of one `grid_sample` call, 2-D calls seen as 3-D with depth 1.
struct GridSampleGeometry {
    /// Batch (the grid's, and the output's) and channels.
    let batch: Int, channels: Int
    /// The input's batch: `batch`, or 1 when one input is shared by all `batch` grids.
    let inputBatch: Int
    /// Input extent (depth, height, width); depth 1 for 2-D.
    let input: [Int]
    /// Output extent (depth, height, width) from the grid; depth 1 for 2-D.
    let output: [Int]
    /// Whether this is the 5-D (volumetric) form.
    let volumetric: Bool

    var inputVoxels: Int { input.reduce(1, *) }
    var outputVoxels: Int { output.reduce(1, *) }
    /// Coordinates per grid point: 2 or 3.
    var coordinates: Int { volumetric ? 3 : 2 }
    /// Whether every grid samples the same (batch-1) input.
    var sharesInput: Bool { inputBatch != batch }
    /// The input batch item that grid `n` samples.
    @inline(__always)
    func inputItem(_ n: Int) -> Int { sharesInput ? 0 : n }

    /// The result shape: `[N, C, Ho, Wo]` or `[N, C, Do, Ho, Wo]`.
    var outputShape: [Int] { volumetric ? [batch, channels] + output : [batch, channels, output[1], output[2]] }

    init(input: [Int], grid: [Int]) throws {
        switch input.count {
        case 4:
            guard grid.count == 4, grid[3] == 2 else {
                throw RuntimeError.shapeMismatch("grid_sample: a 4-D input \(input) needs a grid [N, Ho, Wo, 2], got \(grid)")
            }
            volumetric = false
            self.input = [1, input[2], input[3]]
            output = [1, grid[1], grid[2]]
        case 5:
            guard grid.count == 5, grid[4] == 3 else {
                throw RuntimeError.shapeMismatch("grid_sample: a 5-D input \(input) needs a grid [N, Do, Ho, Wo, 3], got \(grid)")
            }
            volumetric = true
            self.input = Array(input[2...])
            output = Array(grid[1...3])
        default:
            throw RuntimeError.shapeMismatch("grid_sample: input must be [N, C, H, W] or [N, C, D, H, W], got \(input)")
        }
        guard grid[0] == input[0] || input[0] == 1 else {
            throw RuntimeError.shapeMismatch("grid_sample: grid batch \(grid[0]) differs from input batch \(input[0]) (grid \(grid), input \(input)); the batches must match, or the input must have batch 1 to be shared by every grid")
        }
        guard input.allSatisfy({ $0 >= 1 }), grid.allSatisfy({ $0 >= 1 }) else {
            throw RuntimeError.shapeMismatch("grid_sample: empty input \(input) or grid \(grid)")
        }
        batch = grid[0]
        inputBatch = input[0]
        channels = input[1]
    }

    /// Per output value: 8 (or 4) multiply-adds; per output point: ~30 FLOPs of coordinate maths.
    /// Bytes: input (once, also when shared), grid and output once each.
    func cost(mode: GridSampleMode) -> KernelCost {
        let taps = mode == .nearest ? 0.0 : Double(volumetric ? 8 : 4)
        let points = Double(batch * outputVoxels)
        let values = points * Double(channels)
        let flops = values * 2 * taps + points * (volumetric ? 40 : 25)
        let bytes = 4 * (Double(inputBatch * channels * inputVoxels) + points * Double(coordinates) + values)
        return KernelCost(flops: flops, bytes: bytes)
    }
}

/// `torch.linspace(-1, 1, steps)[index]` as PyTorch's CPU kernel computes it in float32: the first
/// half counts up from −1, the second half down from 1; one step gives −1. (PyTorch's vectorised
/// loop forms some values as base + k·step instead, which can differ by one ulp.)
@inline(__always)
func linspaceMinusOneToOne(_ index: Int, steps: Int) -> Float {
    if steps == 1 { return -1 }
    let step: Float = 2 / Float(steps - 1)
    return index < steps / 2 ? -1 + step * Float(index) : 1 - step * Float(steps - index - 1)
}

/// PyTorch's `linspace_from_neg_one` for `affine_grid`: 0 for a single step; with
/// align_corners=False the linspace is scaled by (steps − 1) / steps (pixel centres).
@inline(__always)
func affineBaseCoordinate(_ index: Int, steps: Int, alignCorners: Bool) -> Float {
    if steps <= 1 { return 0 }
    let v = linspaceMinusOneToOne(index, steps: steps)
    return alignCorners ? v : v * Float(steps - 1) / Float(steps)
}

extension Engine {
    /// `torch.nn.functional.grid_sample`, 4-D (bilinear) and 5-D (trilinear, mode "bilinear"):
    /// input `[N, C, H, W]` / `[N, C, D, H, W]`, grid `[N, Ho, Wo, 2]` / `[N, Do, Ho, Wo, 3]` with
    /// (x, y[, z]) in the last dim, normalised to [−1, 1] across width, height (and depth).
    ///
    /// An input of batch 1 with a grid of batch N is shared by the N grids (the result has batch N;
    /// the input is not copied), as LivePortrait samples one volume with K + 1 motion grids; PyTorch
    /// needs the input expanded to N for the same result. Other batch mismatches throw.
    ///
    /// The result is `[N, C, Ho, Wo]` / `[N, C, Do, Ho, Wo]`. With `alignCorners` false, −1 and 1 are
    /// the outer edges of the border pixels; with true, their centres. On OpenCL the 3-D form
    /// transposes the input to channels-last inside the op when C ≥ 8 (one extra pass over the
    /// volume, several times faster sampling). The CPU path reproduces PyTorch's arithmetic order;
    /// the OpenCL path agrees with it within rounding (fused multiply-adds).
    public func gridSample(_ input: Tensor, grid: Tensor, mode: GridSampleMode = .bilinear,
                           padding: GridPadding = .zeros, alignCorners: Bool = false) throws -> Tensor {
        try run(GridSampleOp(geometry: try GridSampleGeometry(input: input.shape, grid: grid.shape), mode: mode,
                             padding: padding, alignCorners: alignCorners), [input, grid])
    }

    /// `torch.nn.functional.affine_grid`: theta `[N, 2, 3]` with size `[N, C, H, W]` → `[N, H, W, 2]`;
    /// theta `[N, 3, 4]` with size `[N, C, D, H, W]` → `[N, D, H, W, 3]`. Each point is
    /// theta · (x, y[, z], 1) over PyTorch's base grid (linspace(−1, 1), scaled by (n − 1)/n when
    /// `alignCorners` is false; 0 along an axis of size 1).
    public func affineGrid(theta: Tensor, size: [Int], alignCorners: Bool) throws -> Tensor {
        try run(AffineGridOp(theta: theta.shape, size: size, alignCorners: alignCorners), [theta])
    }

    /// MegaPortraits deformation grid: offsets `[N, 3, D, H, W]` → identity + offsets permuted to
    /// `[N, D, H, W, 3]`, identity from linspace(−1, 1) (the align_corners=True convention) with
    /// (x, y, z) = (W, H, D) axes. The warp generators sample with align_corners=False, so a zero
    /// offset is not an exact identity warp (see megaportraits-architecture.md §3.7); this op
    /// reproduces the reference, it does not correct it.
    public func deformationGrid(_ offsets: Tensor) throws -> Tensor {
        try run(DeformationGridOp(offsets: offsets.shape), [offsets])
    }
}
