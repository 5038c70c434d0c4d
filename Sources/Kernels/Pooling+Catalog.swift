import Runtime

/// Catalog entries for the Pooling family: `avg_pool2d`, `avg_pool3d` (stride == kernel),
/// `max_pool2d` and `adaptive_avg_pool2d`.
enum PoolingOps {
    /// `kernel_size`, and `stride` which must equal it when given (the only form implemented).
    static func strideEqualsKernel(_ a: OpArguments, dims: Int, op: String) throws -> [Int] {
        let kernel = try a.ints("kernel_size", count: dims, default: [], op: op)
        guard !kernel.isEmpty else { throw OpError.badParameter(op: op, name: "kernel_size", value: "(missing)", expected: "a kernel size") }
        let stride = try a.ints("stride", count: dims, default: kernel, op: op)
        guard stride == kernel else {
            throw OpError.badParameter(op: op, name: "stride", value: a.parameters["stride"] ?? "", expected: "the kernel size \(kernel) (only stride == kernel is implemented)")
        }
        return kernel
    }

    static var definitions: [OpDefinition] {
        let avg2d = OpDefinition(
            name: "avg_pool2d", inputs: ["input"], parameters: ["kernel_size", "stride"], tolerance: .tight,
            cases: [
                OpCase("odd 2x3x7x13 k2 (floor)", tensors: [("input", [2, 3, 7, 13], -2...2)], parameters: ["kernel_size": "2"]),
                OpCase("odd 3x9x10 k(3,2) 3-D input", tensors: [("input", [3, 9, 10], -2...2)], parameters: ["kernel_size": "3,2", "stride": "3,2"]),
                OpCase("odd 2x3x6x26 k2 (8-wide runs + tail)", tensors: [("input", [2, 3, 6, 26], -2...2)], parameters: ["kernel_size": "2"]),
                OpCase("odd 2x3x8x29 k(2,3) generic width", tensors: [("input", [2, 3, 8, 29], -2...2)], parameters: ["kernel_size": "2,3"]),
                OpCase("mp/4 1x128x128x128 k2", tensors: [("input", [1, 128, 128, 128], -2...2)], parameters: ["kernel_size": "2"]),
            ],
            profileCases: [OpCase("mp 1x128x512x512 k2", tensors: [("input", [1, 128, 512, 512], -2...2)], parameters: ["kernel_size": "2"])],
            declare: { a in
                try AvgPoolStridedOp.avgPool2d(try a.tensor("input", op: "avg_pool2d"), kernel: try strideEqualsKernel(a, dims: 2, op: "avg_pool2d"))
            })
        let avg3d = OpDefinition(
            name: "avg_pool3d", inputs: ["input"], parameters: ["kernel_size", "stride"], tolerance: .tight,
            cases: [
                OpCase("odd 2x3x7x13x5 k(2,1,1)", tensors: [("input", [2, 3, 7, 13, 5], -2...2)], parameters: ["kernel_size": "2,1,1"]),
                OpCase("odd 2x3x7x13x5 k(1,2,2)", tensors: [("input", [2, 3, 7, 13, 5], -2...2)], parameters: ["kernel_size": "1,2,2"]),
                OpCase("odd 2x3x7x13x5 k2", tensors: [("input", [2, 3, 7, 13, 5], -2...2)], parameters: ["kernel_size": "2", "stride": "2"]),
                OpCase("odd 1x3x3x5x19 k(1,2,2) (8-wide runs + tail)", tensors: [("input", [1, 3, 3, 5, 19], -2...2)], parameters: ["kernel_size": "1,2,2"]),
                OpCase("mp/4 1x32x16x32x32 k(2,1,1)", tensors: [("input", [1, 32, 16, 32, 32], -2...2)], parameters: ["kernel_size": "2,1,1"]),
                OpCase("mp/4 1x96x16x32x32 k2", tensors: [("input", [1, 96, 16, 32, 32], -2...2)], parameters: ["kernel_size": "2"]),
            ],
            profileCases: [
                OpCase("mp 1x32x32x64x64 k(2,1,1)", tensors: [("input", [1, 32, 32, 64, 64], -2...2)], parameters: ["kernel_size": "2,1,1"]),
                OpCase("mp 1x96x16x64x64 k2", tensors: [("input", [1, 96, 16, 64, 64], -2...2)], parameters: ["kernel_size": "2"]),
            ],
            declare: { a in
                try AvgPoolStridedOp.avgPool3d(try a.tensor("input", op: "avg_pool3d"), kernel: try strideEqualsKernel(a, dims: 3, op: "avg_pool3d"))
            })
        let max2d = OpDefinition(
            name: "max_pool2d", inputs: ["input"], parameters: ["kernel_size", "stride", "padding"], tolerance: .tight,
            cases: [
                OpCase("odd 2x3x13x7 k3 s2 p1", tensors: [("input", [2, 3, 13, 7], -2...2)], parameters: ["kernel_size": "3", "stride": "2", "padding": "1"]),
                OpCase("odd 2x3x9x11 k2 (stride = kernel)", tensors: [("input", [2, 3, 9, 11], -2...2)], parameters: ["kernel_size": "2"]),
                OpCase("mp/2 1x64x32x32 k3 s2 p1", tensors: [("input", [1, 64, 32, 32], -2...2)], parameters: ["kernel_size": "3", "stride": "2", "padding": "1"]),
            ],
            profileCases: [OpCase("mp 1x64x64x64 k3 s2 p1", tensors: [("input", [1, 64, 64, 64], -2...2)],
                                  parameters: ["kernel_size": "3", "stride": "2", "padding": "1"])],
            declare: { a in
                let op = "max_pool2d"
                let kernel = try a.ints("kernel_size", count: 2, default: [], op: op)
                guard !kernel.isEmpty else { throw OpError.badParameter(op: op, name: "kernel_size", value: "(missing)", expected: "a kernel size") }
                return try MaxPool2dOp.call(try a.tensor("input", op: op), kernel: kernel,
                                            stride: try a.ints("stride", count: 2, default: kernel, op: op),
                                            padding: try a.ints("padding", count: 2, default: [0, 0], op: op))
            })
        let adaptive = OpDefinition(
            name: "adaptive_avg_pool2d", inputs: ["input"], parameters: ["output_size"], tolerance: .tight,
            cases: [
                OpCase("odd 2x3x7x7 -> 3 (overlapping windows)", tensors: [("input", [2, 3, 7, 7], -2...2)], parameters: ["output_size": "3"]),
                OpCase("odd 2x5x13x10 -> (4,3)", tensors: [("input", [2, 5, 13, 10], -2...2)], parameters: ["output_size": "4,3"]),
                OpCase("odd 3x5x6 -> (9,4) upsampling rows", tensors: [("input", [3, 5, 6], -2...2)], parameters: ["output_size": "9,4"]),
                OpCase("mp 1x512x8x8 -> 4", tensors: [("input", [1, 512, 8, 8], -2...2)], parameters: ["output_size": "4"]),
                OpCase("global 1x64x16x16 -> 1", tensors: [("input", [1, 64, 16, 16], -2...2)], parameters: ["output_size": "1"]),
            ],
            profileCases: [
                OpCase("mp 1x512x8x8 -> 4", tensors: [("input", [1, 512, 8, 8], -2...2)], parameters: ["output_size": "4"]),
                OpCase("global 1x2048x8x8 -> 1", tensors: [("input", [1, 2048, 8, 8], -2...2)], parameters: ["output_size": "1"]),
            ],
            declare: { a in
                let op = "adaptive_avg_pool2d"
                let size = try a.ints("output_size", count: 2, default: [], op: op)
                guard !size.isEmpty else { throw OpError.badParameter(op: op, name: "output_size", value: "(missing)", expected: "an output size") }
                return try AdaptiveAvgPool2dOp.call(try a.tensor("input", op: op), outputSize: size)
            })
        return [avg2d, avg3d, max2d, adaptive]
    }
}
