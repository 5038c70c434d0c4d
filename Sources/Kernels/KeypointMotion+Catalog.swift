import Runtime

/// Catalog entries for LivePortrait's keypoint motion ops: `sparse_motion`
/// (`create_sparse_motions`), `keypoint_heatmaps` (`create_heatmap_representations`) and
/// `weighted_motion_sum` (the mask-weighted deformation). Keypoints are named as LivePortrait's
/// dense-motion network names them (`kp_source`, `kp_driving`); `size` is `D,H,W`.
enum KeypointMotionOps {
    static var definitions: [OpDefinition] { [sparseMotion, heatmaps, weightedSum] }

    /// Source and driver keypoints `[N, K, 3]` in [−1, 1] and the volume size.
    private static func keypointCase(_ label: String, batch: Int, keypoints: Int, size: [Int], variance: String? = nil) -> OpCase {
        var parameters = ["size": size.map(String.init).joined(separator: ",")]
        parameters["kp_variance"] = variance
        return OpCase(label, tensors: [("kp_source", [batch, keypoints, 3], -1...1), ("kp_driving", [batch, keypoints, 3], -1...1)],
                      parameters: parameters)
    }

    /// The checked volume of a catalog call.
    private static func volume(_ a: OpArguments, op: String) throws -> (KeypointVolume, [Tensor]) {
        let (source, driver) = (try a.tensor("kp_source", op: op), try a.tensor("kp_driving", op: op))
        let size = try a.ints("size", count: 3, default: [], op: op)
        return (try KeypointVolume(source: source.shape, driver: driver.shape, size: size, op: op), [source, driver])
    }

    static var sparseMotion: OpDefinition {
        let op = "sparse_motion"
        return OpDefinition(
            name: op, inputs: ["kp_source", "kp_driving"], parameters: ["size"], tolerance: .tight,
            cases: [keypointCase("odd 2x3 keypoints 3x5x7", batch: 2, keypoints: 3, size: [3, 5, 7]),
                    keypointCase("edges 1x2 keypoints 2x2x2", batch: 1, keypoints: 2, size: [2, 2, 2]),
                    keypointCase("lp/4 21 keypoints 16x16x16", batch: 1, keypoints: 21, size: [16, 16, 16])],
            profileCases: [keypointCase("lp 21 keypoints 16x64x64", batch: 1, keypoints: 21, size: [16, 64, 64])],
            declare: { a in
                let (volume, inputs) = try volume(a, op: op)
                return OpCall(SparseMotionOp(volume: volume), inputs)
            })
    }

    static var heatmaps: OpDefinition {
        let op = "keypoint_heatmaps"
        return OpDefinition(
            name: op, inputs: ["kp_source", "kp_driving"], parameters: ["size", "kp_variance"], tolerance: KeypointHeatmapOp.precision,
            cases: [keypointCase("odd 2x3 keypoints 3x5x7", batch: 2, keypoints: 3, size: [3, 5, 7]),
                    keypointCase("odd 1x4 keypoints 4x6x5 variance 0.1", batch: 1, keypoints: 4, size: [4, 6, 5], variance: "0.1"),
                    keypointCase("lp/4 21 keypoints 16x16x16", batch: 1, keypoints: 21, size: [16, 16, 16])],
            profileCases: [keypointCase("lp 21 keypoints 16x64x64", batch: 1, keypoints: 21, size: [16, 64, 64])],
            declare: { a in
                let (volume, inputs) = try volume(a, op: op)
                return OpCall(KeypointHeatmapOp(volume: volume, variance: try a.float("kp_variance", default: 0.01, op: op)), inputs)
            })
    }

    static var weightedSum: OpDefinition {
        let op = "weighted_motion_sum"
        func c(_ label: String, _ mask: [Int]) -> OpCase {
            OpCase(label, tensors: [("mask", mask, 0...1), ("motion", mask + [3], -1.5...1.5)])
        }
        return OpDefinition(
            name: op, inputs: ["mask", "motion"], tolerance: .tight,
            cases: [c("odd 2x4x3x5x7", [2, 4, 3, 5, 7]), c("lp/4 1x22x16x16x16", [1, 22, 16, 16, 16])],
            profileCases: [c("lp 1x22x16x64x64", [1, 22, 16, 64, 64])],
            declare: { a in try WeightedMotionSumOp.call(mask: try a.tensor("mask", op: op), motion: try a.tensor("motion", op: op)) })
    }
}
