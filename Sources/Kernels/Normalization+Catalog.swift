import Runtime

/// Catalog entries for the Normalization family: `group_norm`, `adaptive_group_norm`
/// (MegaPortraits AdaGN), `batch_norm` (eval mode; `relu` 1 fuses a relu), and LivePortrait's `layer_norm` (over dim 1),
/// `global_response_norm` (ConvNeXtV2 GRN) and `instance_norm_modulate` (SPADE).
enum NormalizationOps {
    /// Agreement for group norms (two-pass statistics over long groups).
    static let tolerance = Tolerance(absolute: 5e-5, relative: 1e-4)

    static var definitions: [OpDefinition] {
        let groupNorm = OpDefinition(
            name: "group_norm", inputs: ["input"], optionalInputs: ["weight", "bias"], parameters: ["num_groups", "eps"],
            tolerance: tolerance,
            cases: [
                OpCase("odd 2x32x7x13x5 G32 (1 channel/group)", tensors: [("input", [2, 32, 7, 13, 5], -2...6), ("weight", [32], -2...2), ("bias", [32], -1...1)],
                       parameters: ["num_groups": "32"]),
                OpCase("odd 2x64x7x13 G32 2-D, no affine", tensors: [("input", [2, 64, 7, 13], -3...3)], parameters: ["num_groups": "32", "eps": "0.001"]),
                OpCase("odd 3x12x5 G4 weight only", tensors: [("input", [3, 12, 5], -1...1), ("weight", [12], 0.5...1.5)], parameters: ["num_groups": "4"]),
                OpCase("odd 2x6 G3 no spatial dims", tensors: [("input", [2, 6], -1...1), ("bias", [6], -1...1)], parameters: ["num_groups": "3"]),
                OpCase("mp/4 1x96x16x32x32 G32 (3 channels/group)", tensors: [("input", [1, 96, 16, 32, 32], -4...4), ("weight", [96], -2...2), ("bias", [96], -1...1)],
                       parameters: ["num_groups": "32"]),
            ],
            profileCases: [
                OpCase("mp 1x96x16x64x64 G32", tensors: [("input", [1, 96, 16, 64, 64], -4...4), ("weight", [96], -2...2), ("bias", [96], -1...1)], parameters: ["num_groups": "32"]),
                OpCase("mp 1x512x64x64 G32", tensors: [("input", [1, 512, 64, 64], -4...4), ("weight", [512], -2...2), ("bias", [512], -1...1)], parameters: ["num_groups": "32"]),
                OpCase("mp 1x64x32x64x64 G32", tensors: [("input", [1, 64, 32, 64, 64], -4...4), ("weight", [64], -2...2), ("bias", [64], -1...1)], parameters: ["num_groups": "32"]),
            ],
            declare: { a in
                try GroupNormOp.groupNorm(try a.tensor("input", op: "group_norm"), groups: try a.int("num_groups", default: 32, op: "group_norm"),
                                          weight: a.tensors["weight"], bias: a.tensors["bias"], eps: try a.float("eps", default: 1e-5, op: "group_norm"),
                                          relu: false)
            })
        let adaptive = OpDefinition(
            name: "adaptive_group_norm", inputs: ["input", "gamma", "beta"], parameters: ["num_groups", "eps"],
            tolerance: tolerance,
            cases: [
                OpCase("odd 2x32x7x13x5 G32", tensors: [("input", [2, 32, 7, 13, 5], -2...6), ("gamma", [2, 32], -2...2), ("beta", [2, 32], -1...1)],
                       parameters: ["num_groups": "32"]),
                OpCase("odd 3x64x5x9 G32 2-D", tensors: [("input", [3, 64, 5, 9], -3...3), ("gamma", [3, 64], 0...2), ("beta", [3, 64], -1...1)],
                       parameters: ["num_groups": "32"]),
                OpCase("mp/4 1x96x16x32x32 G32", tensors: [("input", [1, 96, 16, 32, 32], -4...4), ("gamma", [1, 96], -2...2), ("beta", [1, 96], -1...1)],
                       parameters: ["num_groups": "32"]),
            ],
            profileCases: [
                OpCase("mp 1x64x32x64x64 G32", tensors: [("input", [1, 64, 32, 64, 64], -4...4), ("gamma", [1, 64], -2...2), ("beta", [1, 64], -1...1)],
                       parameters: ["num_groups": "32"]),
            ],
            declare: { a in
                try GroupNormOp.adaptive(try a.tensor("input", op: "adaptive_group_norm"),
                                         groups: try a.int("num_groups", default: 32, op: "adaptive_group_norm"),
                                         gamma: try a.tensor("gamma", op: "adaptive_group_norm"), beta: try a.tensor("beta", op: "adaptive_group_norm"),
                                         eps: try a.float("eps", default: 1e-5, op: "adaptive_group_norm"))
            })
        let batchNorm = OpDefinition(
            name: "batch_norm", inputs: ["input", "running_mean", "running_var"], optionalInputs: ["weight", "bias"], parameters: ["eps", "relu"],
            tolerance: .tight,
            cases: [
                OpCase("odd 2x5x7x13", tensors: [("input", [2, 5, 7, 13], -3...3), ("running_mean", [5], -1...1), ("running_var", [5], 0.25...2),
                                                 ("weight", [5], -2...2), ("bias", [5], -1...1)], parameters: ["eps": "0.001"]),
                OpCase("odd 3x7 no affine", tensors: [("input", [3, 7], -3...3), ("running_mean", [7], -1...1), ("running_var", [7], 0.25...2)]),
                OpCase("odd 2x3x5x7x9 relu (lp res3d input)", tensors: [("input", [2, 3, 5, 7, 9], -3...3), ("running_mean", [3], -1...1),
                                                                    ("running_var", [3], 0.25...2), ("weight", [3], -2...2), ("bias", [3], -1...1)],
                       parameters: ["eps": "0", "relu": "1"]),
                OpCase("mp/2 1x64x64x64", tensors: [("input", [1, 64, 64, 64], -3...3), ("running_mean", [64], -1...1), ("running_var", [64], 0.25...2),
                                                    ("weight", [64], -2...2), ("bias", [64], -1...1)]),
            ],
            profileCases: [
                OpCase("mp 1x64x128x128", tensors: [("input", [1, 64, 128, 128], -3...3), ("running_mean", [64], -1...1), ("running_var", [64], 0.25...2),
                                                    ("weight", [64], -2...2), ("bias", [64], -1...1)]),
            ],
            declare: { a in
                try BatchNormOp.call(try a.tensor("input", op: "batch_norm"), runningMean: try a.tensor("running_mean", op: "batch_norm"),
                                     runningVar: try a.tensor("running_var", op: "batch_norm"), weight: a.tensors["weight"], bias: a.tensors["bias"],
                                     eps: try a.float("eps", default: 1e-5, op: "batch_norm"), relu: try a.int("relu", default: 0, op: "batch_norm") != 0)
            })
        return [groupNorm, adaptive, batchNorm] + liveportrait
    }

    /// `layer_norm` (normalised over dim 1, as `Engine.layerNorm`), `global_response_norm` and
    /// `instance_norm_modulate`.
    static var liveportrait: [OpDefinition] {
        let layerNorm = OpDefinition(
            name: "layer_norm", inputs: ["input"], optionalInputs: ["weight", "bias"], parameters: ["eps"],
            tolerance: tolerance,
            cases: [
                OpCase("odd 2x7x5x9 channels-first", tensors: [("input", [2, 7, 5, 9], -2...4), ("weight", [7], -2...2), ("bias", [7], -1...1)],
                       parameters: ["eps": "1e-6"]),
                OpCase("odd 3x11 last dim, no affine", tensors: [("input", [3, 11], -3...3)]),
                OpCase("odd 2x5x3x4x6 weight only", tensors: [("input", [2, 5, 3, 4, 6], -1...3), ("weight", [5], 0.5...1.5)]),
                OpCase("lp/4 stem 1x96x16x16", tensors: [("input", [1, 96, 16, 16], -3...3), ("weight", [96], -2...2), ("bias", [96], -1...1)],
                       parameters: ["eps": "1e-6"]),
                OpCase("lp head 1x768", tensors: [("input", [1, 768], -3...3), ("weight", [768], -2...2), ("bias", [768], -1...1)],
                       parameters: ["eps": "1e-6"]),
            ],
            profileCases: [
                OpCase("lp stem 1x96x64x64", tensors: [("input", [1, 96, 64, 64], -3...3), ("weight", [96], -2...2), ("bias", [96], -1...1)],
                       parameters: ["eps": "1e-6"]),
            ],
            declare: { a in
                try LayerNormOp.call(try a.tensor("input", op: "layer_norm"), weight: a.tensors["weight"], bias: a.tensors["bias"],
                                     eps: try a.float("eps", default: 1e-5, op: "layer_norm"))
            })
        func grnCase(_ label: String, _ shape: [Int]) -> OpCase {
            OpCase(label, tensors: [("input", shape, -2...2), ("gamma", [shape[1]], -1...1), ("beta", [shape[1]], -1...1)])
        }
        let grn = OpDefinition(
            name: "global_response_norm", inputs: ["input", "gamma", "beta"], parameters: ["eps"],
            tolerance: tolerance,
            cases: [grnCase("odd 2x7x5x9", [2, 7, 5, 9]), grnCase("odd 1x12x1x3", [1, 12, 1, 3]),
                    grnCase("odd 1x5x10x13 (two 64-value runs + tail)", [1, 5, 10, 13]),
                    grnCase("lp/4 stage 2 1x1536x8x8", [1, 1536, 8, 8])],
            profileCases: [grnCase("lp stage 0 1x384x64x64", [1, 384, 64, 64]), grnCase("lp stage 2 1x1536x16x16", [1, 1536, 16, 16])],
            declare: { a in
                try GlobalResponseNormOp.call(try a.tensor("input", op: "global_response_norm"), gamma: try a.tensor("gamma", op: "global_response_norm"),
                                              beta: try a.tensor("beta", op: "global_response_norm"),
                                              eps: try a.float("eps", default: 1e-6, op: "global_response_norm"))
            })
        func spadeCase(_ label: String, _ shape: [Int]) -> OpCase {
            OpCase(label, tensors: [("input", shape, -2...5), ("gamma", shape, -1...1), ("beta", shape, -1...1)])
        }
        let instanceModulate = OpDefinition(
            name: "instance_norm_modulate", inputs: ["input", "gamma", "beta"], parameters: ["eps"],
            tolerance: tolerance,
            cases: [spadeCase("odd 2x5x7x9", [2, 5, 7, 9]), spadeCase("lp/4 SPADE 1x64x32x32", [1, 64, 32, 32])],
            profileCases: [spadeCase("lp SPADE up_0 1x256x128x128", [1, 256, 128, 128])],
            declare: { a in
                try InstanceNormModulateOp.call(try a.tensor("input", op: "instance_norm_modulate"), gamma: try a.tensor("gamma", op: "instance_norm_modulate"),
                                                beta: try a.tensor("beta", op: "instance_norm_modulate"),
                                                eps: try a.float("eps", default: 1e-5, op: "instance_norm_modulate"))
            })
        return [layerNorm, grn, instanceModulate]
    }
}
