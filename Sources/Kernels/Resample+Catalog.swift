import Runtime

/// Catalog entry for the Resample family: one op, `interpolate`, dispatching on `mode` to
/// `upsampleNearest2d` (integer factors), `resizeNearest2d` (any size), `resizeBilinear2d`
/// (either align_corners) or `upsampleTrilinear3d`.
enum ResampleOps {
    /// One parsed `interpolate` call.
    enum Plan {
        case nearest(scale: Int)
        case nearestSize(size: [Int])
        case bilinear(size: [Int], alignCorners: Bool)
        case trilinear(scale: [Int])
    }

    static let op = "interpolate"

    /// Parses `mode`, `size` / `scale_factor` and `align_corners` against the input shape.
    static func plan(_ a: OpArguments) throws -> Plan {
        let input = try a.tensor("input", op: op).shape
        let mode = try a.choice("mode", ["nearest", "bilinear", "trilinear"], default: "nearest", op: op)
        let alignText = a.parameters["align_corners"]?.lowercased()
        let alignCorners = alignText == "none" ? false : try a.bool("align_corners", default: false, op: op)
        if alignCorners && mode != "bilinear" {
            throw OpError.badParameter(op: op, name: "align_corners", value: alignText ?? "", expected: "False for mode \(mode) (align_corners=True is implemented for bilinear only)")
        }
        let spatial = mode == "trilinear" ? 3 : 2
        guard input.count == spatial + 2 else {
            throw RuntimeError.shapeMismatch("interpolate: mode \(mode) needs a \(spatial + 2)-D input, got \(input)")
        }
        let extent = Array(input[2...])
        // Output size per spatial axis, and the integer factor when the output is a multiple.
        let size: [Int]
        switch (a.parameters["size"], a.parameters["scale_factor"]) {
        case (.some, .some), (.none, .none):
            throw OpError.badParameter(op: op, name: "size", value: a.parameters["size"] ?? "none",
                                       expected: "exactly one of size and scale_factor")
        case (.some, .none):
            size = try a.ints("size", count: spatial, default: [], op: op)
        case (.none, .some(let text)):
            let parts = text.trimming(" ()[]").split(separator: ",").map { Double(String($0).trimming(" ")) }
            guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }), parts.count == 1 || parts.count == spatial else {
                throw OpError.badParameter(op: op, name: "scale_factor", value: text, expected: "1 or \(spatial) positive numbers")
            }
            let factors = parts.count == 1 ? Array(repeating: parts[0]!, count: spatial) : parts.map { $0! }
            size = (0..<spatial).map { Int((Double(extent[$0]) * factors[$0]).rounded(.down)) }
            for i in 0..<spatial where Double(size[i]) != Double(extent[i]) * factors[i] {
                throw OpError.badParameter(op: op, name: "scale_factor", value: text,
                                           expected: "factors giving whole output sizes (pass size instead)")
            }
        }
        if mode == "bilinear" { return .bilinear(size: size, alignCorners: alignCorners) }
        let factors = (0..<spatial).map { size[$0] / extent[$0] }
        let whole = (0..<spatial).allSatisfy { size[$0] == extent[$0] * factors[$0] && factors[$0] >= 1 }
        if mode == "nearest" && !(whole && factors[0] == factors[1]) {
            // PyTorch's scale is in/out only for a given size (1/factor for a scale_factor).
            guard a.parameters["size"] != nil else {
                throw OpError.badParameter(op: op, name: "scale_factor", value: a.parameters["scale_factor"] ?? "",
                                           expected: "one integer factor for H and W in mode nearest (pass size for other ratios)")
            }
            return .nearestSize(size: size)
        }
        guard (0..<spatial).allSatisfy({ size[$0] == extent[$0] * factors[$0] && factors[$0] >= 1 }) else {
            throw OpError.badParameter(op: op, name: a.parameters["size"] != nil ? "size" : "scale_factor",
                                       value: a.parameters["size"] ?? a.parameters["scale_factor"] ?? "",
                                       expected: "integer upsampling factors for mode \(mode)")
        }
        if mode == "trilinear" { return .trilinear(scale: factors) }
        guard factors[0] == factors[1] else {
            throw OpError.badParameter(op: op, name: "scale_factor", value: "\(factors)", expected: "the same factor for H and W in mode nearest")
        }
        return .nearest(scale: factors[0])
    }

    /// Agreement for resampling (a few multiply-adds per value, fused on OpenCL).
    static let tolerance = Tolerance(absolute: 2e-6, relative: 1e-5)

    static var definitions: [OpDefinition] {
        func c(_ label: String, _ shape: [Int], _ params: [String: String]) -> OpCase {
            OpCase(label, tensors: [("input", shape, -2...2)], parameters: params)
        }
        return [OpDefinition(
            name: op, inputs: ["input"], parameters: ["mode", "size", "scale_factor", "align_corners"],
            tolerance: tolerance,
            cases: [
                c("nearest x2 odd 2x3x7x13", [2, 3, 7, 13], ["mode": "nearest", "scale_factor": "2"]),
                c("nearest x3 odd 1x3x5x6", [1, 3, 5, 6], ["mode": "nearest", "scale_factor": "3"]),
                c("nearest x4 odd 1x2x3x11 (a whole 8-wide block and a tail)", [1, 2, 3, 11], ["mode": "nearest", "scale_factor": "4"]),
                c("nearest size x4 2x2x3x9", [2, 2, 3, 9], ["mode": "nearest", "size": "12,36"]),
                c("nearest x2 mp/4 128x64x64", [1, 128, 64, 64], ["mode": "nearest", "scale_factor": "2"]),
                c("bilinear odd 7x13 -> 5x20", [2, 3, 7, 13], ["mode": "bilinear", "size": "5,20"]),
                c("bilinear odd 6x9 -> 11x29", [1, 3, 6, 9], ["mode": "bilinear", "size": "11,29"]),
                c("bilinear mp/4 3x128x128 -> 64x64", [1, 3, 128, 128], ["mode": "bilinear", "size": "64,64", "align_corners": "false"]),
                c("nearest size odd 7x13 -> 11x5", [2, 3, 7, 13], ["mode": "nearest", "size": "11,5"]),
                c("nearest size 1x1 -> 4x6 (broadcast)", [2, 5, 1, 1], ["mode": "nearest", "size": "4,6"]),
                c("nearest size (x2, x3) 3x4x5", [1, 3, 4, 5], ["mode": "nearest", "size": "8,15"]),
                c("bilinear aligned odd 7x13 -> 5x20", [2, 3, 7, 13], ["mode": "bilinear", "size": "5,20", "align_corners": "true"]),
                c("bilinear aligned odd 6x9 -> 1x29 (one row)", [1, 3, 6, 9], ["mode": "bilinear", "size": "1,29", "align_corners": "true"]),
                c("bilinear aligned 1x1 -> 3x4", [1, 2, 1, 1], ["mode": "bilinear", "size": "3,4", "align_corners": "true"]),
                c("bilinear aligned bisenet/8 19x8x8 -> 64x64", [1, 19, 8, 8], ["mode": "bilinear", "size": "64,64", "align_corners": "true"]),
                c("trilinear x2 odd 3x5x7x13", [1, 3, 5, 7, 13], ["mode": "trilinear", "scale_factor": "2"]),
                c("trilinear (1,2,2) odd 2x3x5x7x13", [2, 3, 5, 7, 13], ["mode": "trilinear", "scale_factor": "1,2,2"]),
                c("trilinear x2 1-voxel edges 2x3x1x6x1", [2, 3, 1, 6, 1], ["mode": "trilinear", "size": "2,12,2"]),
                c("trilinear x2 mp/4 32x16^3", [1, 32, 16, 16, 16], ["mode": "trilinear", "scale_factor": "2"]),
                c("trilinear (1,2,2) mp/4 16x32^3", [1, 16, 32, 32, 32], ["mode": "trilinear", "scale_factor": "1,2,2"]),
            ],
            profileCases: [
                c("trilinear x2 128x16^3 -> 32^3", [1, 128, 16, 16, 16], ["mode": "trilinear", "scale_factor": "2"]),
                c("trilinear (1,2,2) 64x32^3 -> 32x64^2", [1, 64, 32, 32, 32], ["mode": "trilinear", "scale_factor": "1,2,2"]),
                c("nearest x2 512x64^2 -> 128^2", [1, 512, 64, 64], ["mode": "nearest", "scale_factor": "2"]),
                c("bilinear 3x512^2 -> 256^2", [1, 3, 512, 512], ["mode": "bilinear", "size": "256,256"]),
                c("bilinear aligned 19x64^2 -> 512^2 (BiSeNet logits)", [1, 19, 64, 64], ["mode": "bilinear", "size": "512,512", "align_corners": "true"]),
            ],
            declare: { a in
                let input = try a.tensor("input", op: op)
                switch try plan(a) {
                case .nearest(let s): return try NearestResampleOp.upsample(input, scale: s)
                case .nearestSize(let size): return try NearestResampleOp.resize(input, size: size)
                case .bilinear(let size, let align): return try BilinearResizeOp.call(input, size: size, alignCorners: align)
                case .trilinear(let s): return try TrilinearUpsampleOp.call(input, scale: s)
                }
            })]
    }
}
