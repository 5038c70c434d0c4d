/// Catalog entry for the grouped convolution family: `grouped_conv2d`
/// (`torch.nn.functional.conv2d` with `groups`).
enum GroupedConvolutionOps {
    /// A `conv2d` case (weights scaled by the group's fan-in) with `groups`.
    static func groupedCase(_ label: String, input: [Int], weight: [Int], groups: Int, bias: Bool,
                            stride: String = "1", padding: String = "0") -> OpCase {
        let c = ConvolutionOps.convCase(label, input: input, weight: weight, bias: bias, stride: stride, padding: padding)
        return OpCase(c.label, tensors: c.tensors, parameters: c.parameters.merging(["groups": "\(groups)"]) { $1 })
    }

    static var definitions: [OpDefinition] {
        let name = "grouped_conv2d"
        return [OpDefinition(
            name: name, inputs: ["input", "weight"], optionalInputs: ["bias"], parameters: ["stride", "padding", "groups"],
            tolerance: .reduction,
            cases: [
                groupedCase("odd 6->9 g3 k3 s2 p1 7x5", input: [2, 6, 7, 5], weight: [9, 2, 3, 3], groups: 3, bias: true,
                            stride: "2", padding: "1"),
                groupedCase("odd 6->9 g3 k1 no bias 7x5", input: [1, 6, 7, 5], weight: [9, 2, 1, 1], groups: 3, bias: false),
                groupedCase("odd 4->6 g2 k(3,5) s(1,2) p(0,2) 5x9", input: [2, 4, 5, 9], weight: [6, 2, 3, 5], groups: 2, bias: true,
                            stride: "(1, 2)", padding: "(0, 2)"),
                groupedCase("odd 3->6 g3 k3 p1 channel multiplier 2", input: [1, 3, 5, 6], weight: [6, 1, 3, 3], groups: 3, bias: true,
                            padding: "1"),
                groupedCase("odd 5->5 g5 k3 p1 (depthwise)", input: [1, 5, 6, 7], weight: [5, 1, 3, 3], groups: 5, bias: true,
                            padding: "1"),
                groupedCase("odd 4->8 g1 k3 p1 (conv2d)", input: [1, 4, 5, 7], weight: [8, 4, 3, 3], groups: 1, bias: false,
                            padding: "1"),
                groupedCase("odd 8->4 g4 k2 s2 9x11", input: [1, 8, 9, 11], weight: [4, 2, 2, 2], groups: 4, bias: true, stride: "2"),
                groupedCase("odd 2->2 g2 k3 p1 1x1", input: [1, 2, 1, 1], weight: [2, 1, 3, 3], groups: 2, bias: true, padding: "1"),
                groupedCase("resnext/8 64->64 g32 k3 p1 16x16", input: [1, 64, 16, 16], weight: [64, 2, 3, 3], groups: 32,
                            bias: false, padding: "1"),
            ],
            profileCases: [
                groupedCase("resnext 256->256 g32 k3 p1 64x64", input: [1, 256, 64, 64], weight: [256, 8, 3, 3], groups: 32,
                            bias: false, padding: "1"),
                groupedCase("128->128 g8 k3 p1 128x128", input: [1, 128, 128, 128], weight: [128, 16, 3, 3], groups: 8,
                            bias: true, padding: "1"),
            ],
            declare: { a in
                try GroupedConvolutionOp.call(try a.tensor("input", op: name), weight: try a.tensor("weight", op: name), bias: a.tensors["bias"],
                                              groups: try a.int("groups", default: 1, op: name),
                                              stride: try a.ints("stride", count: 2, default: [1, 1], op: name),
                                              padding: try a.ints("padding", count: 2, default: [0, 0], op: name))
            })]
    }
}
