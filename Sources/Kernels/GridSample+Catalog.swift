import Runtime

/// Catalog entries for the GridSample family: `grid_sample`, `affine_grid` and the MegaPortraits
/// `deformation_grid`.
enum GridSampleOps {
    /// Agreement for sampling: the OpenCL path may fuse the per-channel multiply-adds, and PyTorch's
    /// 2-D kernel may too; coordinates and weights are computed identically everywhere.
    static let samplingTolerance = Tolerance(absolute: 1e-5, relative: 1e-5)

    static var definitions: [OpDefinition] { [gridSample, affineGrid, deformationGrid] }

    private static func sampleCase(_ label: String, _ input: [Int], _ grid: [Int], range: Float = 1.3,
                                   _ parameters: [String: String] = [:]) -> OpCase {
        OpCase(label, tensors: [("input", input, -1...1), ("grid", grid, -range...range)], parameters: parameters)
    }

    static var gridSample: OpDefinition {
        let op = "grid_sample"
        let border = ["padding_mode": "border"]
        let borderAligned = ["padding_mode": "border", "align_corners": "true"]
        return OpDefinition(
            name: op, inputs: ["input", "grid"], parameters: ["mode", "padding_mode", "align_corners"],
            tolerance: samplingTolerance,
            cases: [
                sampleCase("2d odd 3x7x13 zeros", [2, 3, 7, 13], [2, 5, 9, 2]),
                sampleCase("2d odd 3x7x13 border aligned", [2, 3, 7, 13], [2, 5, 9, 2], borderAligned),
                sampleCase("2d odd 3x7x13 zeros aligned", [1, 3, 7, 13], [1, 6, 4, 2], ["align_corners": "true"]),
                sampleCase("2d nearest 3x7x13 zeros", [1, 3, 7, 13], [1, 8, 5, 2], ["mode": "nearest"]),
                sampleCase("2d 1-pixel edges 3x1x6", [1, 3, 1, 6], [1, 4, 5, 2], border),
                sampleCase("2d crop mp/4 3x128x128 -> 32x32", [1, 3, 128, 128], [1, 32, 32, 2], range: 0.9),
                sampleCase("3d odd 3x7x13x5 zeros", [1, 3, 7, 13, 5], [1, 6, 5, 7, 3]),
                sampleCase("3d odd 3x7x13x5 border aligned", [2, 3, 7, 13, 5], [2, 4, 6, 5, 3], borderAligned),
                sampleCase("3d odd 9x5x7x13 zeros (channels-last)", [2, 9, 5, 7, 13], [2, 4, 6, 5, 3]),
                sampleCase("3d odd 9x5x7x13 border (channels-last)", [1, 9, 5, 7, 13], [1, 3, 7, 6, 3], border),
                sampleCase("3d odd 10x7x13x5 zeros aligned (channels-last)", [1, 10, 7, 13, 5], [1, 5, 6, 7, 3], ["align_corners": "true"]),
                sampleCase("3d 1-voxel edges 10x1x6x1", [1, 10, 1, 6, 1], [1, 3, 4, 5, 3], border),
                sampleCase("3d 1-voxel edges 3x1x1x5 zeros", [1, 3, 1, 1, 5], [1, 2, 3, 4, 3]),
                sampleCase("3d nearest 12x5x6x7 zeros", [1, 12, 5, 6, 7], [1, 4, 5, 6, 3], ["mode": "nearest"]),
                sampleCase("3d nearest 3x5x6x7 border", [1, 3, 5, 6, 7], [1, 4, 5, 6, 3], ["mode": "nearest", "padding_mode": "border"]),
                sampleCase("3d shared input 5x4x6x7, 3 grids", [1, 5, 4, 6, 7], [3, 3, 5, 4, 3]),
                sampleCase("3d shared input 9x4x6x7, 3 grids (channels-last)", [1, 9, 4, 6, 7], [3, 3, 5, 4, 3]),
                sampleCase("2d shared input 3x7x13, 2 grids", [1, 3, 7, 13], [2, 5, 9, 2]),
                sampleCase("3d shared lp/4 4x16x16x16, 22 grids", [1, 4, 16, 16, 16], [22, 16, 16, 16, 3], range: 1.05),
                sampleCase("3d warp mp/4 24x16x64x64", [1, 24, 16, 64, 64], [1, 16, 64, 64, 3], range: 1.05),
            ],
            profileCases: [
                sampleCase("3d warp 96x16x64x64", [1, 96, 16, 64, 64], [1, 16, 64, 64, 3], range: 1.0),
                sampleCase("3d lp dense motion 4x16x64x64, 22 grids", [1, 4, 16, 64, 64], [22, 16, 64, 64, 3], range: 1.0),
                sampleCase("2d crop 3x512x512 -> 128x128", [1, 3, 512, 512], [1, 128, 128, 2], range: 1.0),
            ],
            declare: { a in
                let mode = try a.choice("mode", GridSampleMode.allCases.map(\.rawValue), default: "bilinear", op: op)
                let padding = try a.choice("padding_mode", GridPadding.allCases.map(\.rawValue), default: "zeros", op: op)
                let (input, grid) = (try a.tensor("input", op: op), try a.tensor("grid", op: op))
                return OpCall(GridSampleOp(geometry: try GridSampleGeometry(input: input.shape, grid: grid.shape),
                                           mode: GridSampleMode(rawValue: mode) ?? .bilinear, padding: GridPadding(rawValue: padding) ?? .zeros,
                                           alignCorners: try a.bool("align_corners", default: false, op: op)), [input, grid])
            })
    }

    static var affineGrid: OpDefinition {
        let op = "affine_grid"
        func c(_ label: String, _ theta: [Int], _ size: String, _ align: Bool) -> OpCase {
            OpCase(label, tensors: [("theta", theta, -1.2...1.2)], parameters: ["size": size, "align_corners": align ? "true" : "false"])
        }
        return OpDefinition(
            name: op, inputs: ["theta"], parameters: ["size", "align_corners"],
            tolerance: AffineGridOp.precision,
            cases: [
                c("2d odd 7x13", [2, 2, 3], "2,3,7,13", false),
                c("2d 16x16 aligned", [1, 2, 3], "1,3,16,16", true),
                c("2d 1-pixel edge 1x9", [1, 2, 3], "1,3,1,9", false),
                c("3d odd 5x7x13", [2, 3, 4], "2,3,5,7,13", false),
                c("3d 1-voxel edges 1x6x1 aligned", [1, 3, 4], "1,1,1,6,1", true),
                c("3d mp/4 16x32x32", [1, 3, 4], "1,96,16,32,32", false),
            ],
            profileCases: [c("3d mp 16x64x64", [1, 3, 4], "1,96,16,64,64", false)],
            declare: { a in
                let theta = try a.tensor("theta", op: op)
                return OpCall(try AffineGridOp(theta: theta.shape, size: try sizeParameter(a, op: op),
                                               alignCorners: try a.bool("align_corners", default: false, op: op)), [theta])
            })
    }

    /// `size` as 4 or 5 integers (`"1,3,16,16"` or `"torch.Size([1, 3, 16, 16])"`).
    static func sizeParameter(_ a: OpArguments, op: String) throws -> [Int] {
        guard let text = a.parameters["size"] else { throw OpError.badParameter(op: op, name: "size", value: "", expected: "N,C,H,W or N,C,D,H,W") }
        let cleaned = text.replacingOccurrences(of: "torch.Size", with: "").trimming(" ()[]")
        let values = cleaned.split(separator: ",").map { Int(String($0).trimming(" ")) }
        guard values.count == 4 || values.count == 5, values.allSatisfy({ $0 != nil }) else {
            throw OpError.badParameter(op: op, name: "size", value: text, expected: "4 or 5 comma-separated integers (N,C,H,W or N,C,D,H,W)")
        }
        return values.map { $0! }
    }

    static var deformationGrid: OpDefinition {
        let op = "deformation_grid"
        func c(_ label: String, _ shape: [Int]) -> OpCase { OpCase(label, tensors: [("input", shape, -0.3...0.3)]) }
        return OpDefinition(
            name: op, inputs: ["input"],
            tolerance: DeformationGridOp.precision,
            cases: [c("odd 2x3x5x7x13", [2, 3, 5, 7, 13]), c("1-voxel edges 1x3x1x6x1", [1, 3, 1, 6, 1]),
                    c("mp/4 16x32x32", [1, 3, 16, 32, 32])],
            profileCases: [c("mp 16x64x64", [1, 3, 16, 64, 64])],
            declare: { a in
                let input = try a.tensor("input", op: op)
                return OpCall(try DeformationGridOp(offsets: input.shape), [input])
            })
    }
}
