import Runtime

/// How wide the work-groups of the lane kernels are (`launch.width`): the 3-D channels-last
/// grid sample, `linear_rows`, `gemm_nn_tile` and the Winograd transforms. Neither changes a
/// result (each work-item's arithmetic is the same); only how many items share a group.
public enum LaunchWidth: String, CaseIterable, Sendable {
    /// The small groups PoCL runs fastest (8–16 items; PoCL maps a group onto one core's loop).
    case narrow
    /// At least 64 items, rounded to the kernel's preferred multiple (warp / wavefront) and
    /// capped by its `CL_KERNEL_WORK_GROUP_SIZE` (GPUs: a 16-item group fills a quarter of an
    /// NVIDIA SM's scheduler slots at best).
    case wide
}

/// The fewest items a `wide` group has when the device allows it.
let wideLaunchItems = 64

extension Engine {
    /// The local size of lane kernel `kernel` over `global`: `narrow` under `launch.width=narrow`,
    /// else a group of at least 64 items (`KernelLimits.wideGroup`) spread over the first two
    /// axes (`wideShape`). The launch itself fits the result to the kernel's limits.
    func laneGroup(_ cl: OpenCLContext, kernel: String, variant: String = "", narrow: [Int], global: [Int]) throws -> [Int] {
        guard variants.launchWidth == .wide else { return narrow }
        let limits = try cl.limits(of: kernel, variant: variant)
        return Self.wideShape(items: limits.wideGroup(minimum: wideLaunchItems), global: global)
    }

    /// `items` (a power of two) spread over the first two axes of `global` in order, each taking
    /// at most the power of two covering its extent. A third axis (the batch or slice axis, which
    /// `gemm_nn_tile` and `grid_sample_3d_cl` do not guard) always takes 1, so its global size is
    /// never rounded up.
    static func wideShape(items: Int, global: [Int]) -> [Int] {
        var left = max(1, items)
        return global.enumerated().map { axis, extent in
            guard axis < 2 else { return 1 }
            var covering = 1
            while covering < extent { covering <<= 1 }
            let take = min(left, covering)
            left /= take
            return take
        }
    }
}
