import Foundation
import Kernels
import Runtime
import Testing

/// Focused checks for the Convolution and Linear families beyond the catalog parity/golden
/// suites: hand-computed values, API forms (unbatched, per-axis, conv2d ≡ conv3d with D = 1),
/// shape errors, and a chunked-im2col case on both backends.
@Suite(.serialized)
struct ConvolutionTests {
    /// Engines to check: always the CPU, plus OpenCL when a device exists.
    static var engines: [Engine] { [TestEngines.cpu] + (TestEngines.opencl.map { [$0] } ?? []) }

    @Test("3x3 conv of a ramp with a box filter, padding 1: exact sums of neighbours")
    func boxFilter() throws {
        // input 1x1x3x4 = 0...11, weight all ones, bias 0.5: each output is the sum of the
        // in-bounds 3x3 neighbourhood plus 0.5 (values computed by hand / PyTorch).
        let x = Tensor(shape: [1, 1, 3, 4], values: (0..<12).map(Float.init))
        let w = Tensor(shape: [1, 1, 3, 3], values: [Float](repeating: 1, count: 9))
        let b = Tensor(shape: [1], values: [0.5])
        let expected: [Float] = [10, 18, 24, 18, 27, 45, 54, 39, 26, 42, 48, 34].map { $0 + 0.5 }
        // Exact with the direct algorithm; Winograd F(4x4, 3x3) (the CPU default) rounds in its
        // transforms (multiples of 1/24), so it is held to the tight tolerance.
        for engine in Self.engines {
            for algorithm in [ConvolutionAlgorithm.direct, .winograd4] {
                let saved = engine.variants
                defer { engine.variants = saved }
                engine.variants.convolutionAlgorithm = algorithm
                let y = try engine.conv2d(x, weight: w, bias: b, stride: 1, padding: 1)
                #expect(y.shape == [1, 1, 3, 4])
                let values = try engine.values(y)
                if algorithm == .direct {
                    #expect(values == expected, "\(engine.name) direct")
                } else {
                    #expect(Comparison(actual: values, reference: expected, tolerance: .tight).passed, "\(engine.name) winograd4: \(values)")
                }
            }
        }
    }

    @Test("conv.winograd3d=auto: Winograd F(2x2x2, 3x3x3) at output width <= 16, F(4x4, 3x3) slices wider; both equal the CPU")
    func winograd3DAutoRule() throws {
        guard let engine = TestEngines.opencl else { return }
        let saved = engine.variants
        defer { engine.variants = saved; engine.profiler = nil }
        engine.variants = try saved.overridden(by: "conv.algorithm=winograd4,conv.winograd3d=auto")
        let w = Tensor.random([5, 3, 3, 3, 3], seed: 8, range: -0.2...0.2)
        let b = Tensor.random([5], seed: 10)
        for (width, gemm) in [(16, "conv3x3x3_wino2_gemm"), (17, "conv3x3_wino4_gemm")] {
            let x = Tensor.random([1, 3, 4, 5, width], seed: 9)
            let profiler = Profiler()
            engine.profiler = profiler
            let y = try engine.values(try engine.conv3d(x, weight: w, bias: b, padding: 1))
            engine.profiler = nil
            let names = profiler.drain().map(\.name)
            #expect(names.contains { $0.hasPrefix(gemm) }, "width \(width): \(names)")
            let expected = try TestEngines.cpu.values(try TestEngines.cpu.conv3d(x, weight: w, bias: b, padding: 1))
            #expect(Comparison(actual: y, reference: expected, tolerance: .reduction).passed, "width \(width)")
        }
    }

    @Test("Winograd F(2x2x2, 3x3x3): the dense tile layout equals the lane layout bit for bit on the same tiles, and the CPU")
    func winograd3DDenseLayout() throws {
        guard let engine = TestEngines.opencl else { return }
        let saved = engine.variants
        defer { engine.variants = saved; engine.profiler = nil }
        // Width 7 (4 tiles a row: the dense layout; depth 7 and height 9 give 80 tiles, two GEMM
        // rows, odd tails on every axis) against the same volume zero-extended to width 16 (8
        // tiles a row: the lane layout). Every tile of the narrow output reads the same inputs in
        // both (columns 7 and 8 are zeros either way), so the first 7 output columns are equal.
        let (n, cin, cout, d, h, w) = (2, 5, 11, 7, 9, 7)
        let narrow = Tensor.random([n, cin, d, h, w], seed: 51)
        let narrowValues = try TestEngines.cpu.values(narrow)
        var wideValues = [Float](repeating: 0, count: n * cin * d * h * 16)
        for row in 0..<(n * cin * d * h) {
            for x in 0..<w { wideValues[row * 16 + x] = narrowValues[row * w + x] }
        }
        let wide = Tensor(shape: [n, cin, d, h, 16], values: wideValues)
        let weight = Tensor.random([cout, cin, 3, 3, 3], seed: 52, range: -0.2...0.2)
        let bias = Tensor.random([cout], seed: 53)
        for tile in ["16x16", "16x6"] {
            engine.variants = try saved.overridden(by: "conv.algorithm=winograd4,conv.winograd3d=cube,conv.tile=\(tile)")
            let profiler = Profiler()
            engine.profiler = profiler
            let dense = try engine.values(try engine.conv3d(narrow, weight: weight, bias: bias, padding: 1, activation: .relu))
            let denseNames = Set(profiler.drain().map(\.name))
            let lanes = try engine.values(try engine.conv3d(wide, weight: weight, bias: bias, padding: 1, activation: .relu))
            let laneNames = Set(profiler.drain().map(\.name))
            engine.profiler = nil
            #expect(denseNames.contains("conv3x3x3_wino2_input_dense") && denseNames.contains("conv3x3x3_wino2_output_dense"),
                    "\(tile) width 7: \(denseNames.sorted())")
            #expect(laneNames.contains("conv3x3x3_wino2_input") && !laneNames.contains("conv3x3x3_wino2_input_dense"),
                    "\(tile) width 16: \(laneNames.sorted())")
            var mismatches = 0
            for row in 0..<(n * cout * d * h) {
                for x in 0..<w where dense[row * w + x].bitPattern != lanes[row * 16 + x].bitPattern { mismatches += 1 }
            }
            #expect(mismatches == 0, "\(tile): \(mismatches) of \(dense.count) outputs differ from the lane layout's")
            let cpu = try TestEngines.cpu.values(try TestEngines.cpu.conv3d(narrow, weight: weight, bias: bias, padding: 1, activation: .relu))
            #expect(Comparison(actual: dense, reference: cpu, tolerance: .reduction).passed, "\(tile) against the CPU")
        }
    }

    @Test("conv.winograd7=rows: stride-1 convolutions 7 wide run as Winograd F(4, 7) along x and equal the CPU's direct sum")
    func winograd7Rows() throws {
        guard let engine = TestEngines.opencl else { return }
        let saved = engine.variants
        defer { engine.variants = saved; engine.profiler = nil }
        // (input, weight, padding, activation): 3-D with three channel blocks (the mask's 24 × 16
        // GEMM tile), two rows of 16 tiles (width 70) and no depth padding; 2-D with one block
        // and a fused ReLU; a kernel 7 wide but 3 tall; outputs not a multiple of 4 wide.
        let cases: [([Int], [Int], [Int], Activation?)] = [
            ([1, 6, 5, 7, 19], [22, 6, 7, 7, 7], [3, 3, 3], nil),
            ([2, 3, 2, 4, 70], [11, 3, 1, 3, 7], [0, 1, 3], nil),
            ([1, 9, 1, 12, 13], [5, 9, 1, 7, 7], [0, 2, 1], .relu),
            ([1, 4, 3, 6, 9], [17, 4, 3, 3, 7], [1, 1, 0], .sigmoid),
        ]
        for tile in ["16x16", "16x6"] {
            for (index, (shape, weightShape, padding, activation)) in cases.enumerated() {
                let x = Tensor.random(shape, seed: UInt64(20 + index))
                let w = Tensor.random(weightShape, seed: UInt64(30 + index), range: -0.05...0.05)
                let b = Tensor.random([weightShape[0]], seed: UInt64(40 + index))
                func run(_ e: Engine) throws -> [Float] {
                    try e.values(try e.conv3d(x, weight: w, bias: b, strides: [1, 1, 1], paddings: padding, activation: activation))
                }
                engine.variants = try saved.overridden(by: "conv.algorithm=winograd4,conv.winograd7=rows,conv.tile=\(tile)")
                let profiler = Profiler()
                engine.profiler = profiler
                let y = try run(engine)
                engine.profiler = nil
                let names = profiler.drain().map(\.name)
                #expect(names.contains { $0.hasPrefix("conv_k7_wino_gemm") }, "case \(index), tile \(tile): \(names)")
                #expect(!names.contains { $0.hasPrefix("conv_k7s1") }, "case \(index), tile \(tile): \(names)")
                let expected = try run(TestEngines.cpu)
                let cmp = Comparison(actual: y, reference: expected, tolerance: .reduction)
                #expect(cmp.passed, "case \(index), tile \(tile): \(cmp)")
                engine.variants = try saved.overridden(by: "conv.algorithm=winograd4,conv.winograd7=direct,conv.tile=\(tile)")
                let direct = try run(engine)
                // Far inside the tolerance: the transforms' error is ≈ 2e-5 of the largest output.
                let scale = expected.map(abs).max() ?? 1
                let worst = zip(y, direct).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= 1e-4 * max(scale, 1), "case \(index), tile \(tile): Winograd vs direct differ by \(worst) at scale \(scale)")
            }
        }
    }

    @Test("stride 2, 1x1: picks every other pixel times the weight")
    func strideTwoPointwise() throws {
        let x = Tensor(shape: [1, 2, 4, 5], values: (0..<40).map(Float.init))
        let w = Tensor(shape: [1, 2, 1, 1], values: [1, -2])
        // out[y][x] = in0[2y][2x] - 2·in1[2y][2x] = v - 2(v + 20) = -v - 40 for v = 10y' + 2x'
        let expected: [Float] = [0, 2, 4, 10, 12, 14].map { -$0 - 40 }
        for engine in Self.engines {
            let y = try engine.conv2d(x, weight: w, bias: nil, stride: 2)
            #expect(y.shape == [1, 1, 2, 3])
            #expect(try engine.values(y) == expected, "\(engine.name)")
        }
    }

    @Test("conv2d equals conv3d with depth 1; unbatched input gives an unbatched result")
    func conv2dIsConv3dOfDepthOne() throws {
        let x = Tensor.random([2, 5, 9, 11], seed: 3)
        let w = Tensor.random([6, 5, 3, 3], seed: 4, range: -0.2...0.2)
        let b = Tensor.random([6], seed: 5)
        for engine in Self.engines {
            let y2 = try engine.values(try engine.conv2d(x, weight: w, bias: b, stride: 2, padding: 1))
            let y3 = try engine.values(try engine.conv3d(try x.reshaped([2, 5, 1, 9, 11]), weight: try w.reshaped([6, 5, 1, 3, 3]), bias: b,
                                                          strides: [1, 2, 2], paddings: [0, 1, 1]))
            #expect(y2 == y3, "\(engine.name)")
            let single = Tensor(shape: [5, 9, 11], values: Array(x.hostValues!.prefix(5 * 9 * 11)))
            let u = try engine.conv2d(single, weight: w, bias: b, stride: 2, padding: 1)
            #expect(u.shape == [6, 5, 6])
            let cmp = Comparison(actual: try engine.values(u), reference: Array(y2.prefix(6 * 5 * 6)), tolerance: .tight)
            #expect(cmp.passed, "\(engine.name): \(cmp)")
        }
    }

    @Test("CPU im2col in several chunks equals the OpenCL result (wide 3-D input)")
    func chunkedIm2col() throws {
        // Cin·27·Wo·rows exceeds the 4 M-float im2col block, so the CPU path runs in chunks (on
        // an engine of its own set to im2col: the CPU default takes Winograd for this shape).
        let x = Tensor.random([1, 40, 6, 40, 130], seed: 8)
        let w = Tensor.random([9, 40, 3, 3, 3], seed: 9, range: -0.05...0.05)
        let im2col = Engine.cpu()
        im2col.variants.convolutionAlgorithm = .direct
        let expected = try im2col.values(try im2col.conv3d(x, weight: w, bias: nil, stride: 1, padding: 1))
        #expect(expected.count == 9 * 6 * 40 * 130)
        // Spot-check one interior voxel against a direct sum.
        let xv = x.hostValues!, wv = w.hostValues!
        var direct: Float = 0
        let (z, yy, xx) = (3, 17, 64)
        for c in 0..<40 { for kz in 0..<3 { for ky in 0..<3 { for kx in 0..<3 {
            direct += xv[((c * 6 + z + kz - 1) * 40 + yy + ky - 1) * 130 + xx + kx - 1] * wv[((c * 3 + kz) * 3 + ky) * 3 + kx]
        } } } }
        #expect(abs(expected[(z * 40 + yy) * 130 + xx] - direct) < 1e-4)
        guard let gpu = TestEngines.opencl else { return }
        let actual = try gpu.values(try gpu.conv3d(x, weight: w, bias: nil, stride: 1, padding: 1))
        let cmp = Comparison(actual: actual, reference: expected, tolerance: .reduction)
        #expect(cmp.passed, "\(cmp)")
    }

    @Test("shape errors are typed and say what was expected")
    func shapeErrors() throws {
        let engine = TestEngines.cpu
        let x = Tensor(zeros: [1, 3, 8, 8])
        #expect(throws: RuntimeError.self) { try engine.conv2d(x, weight: Tensor(zeros: [4, 2, 3, 3]), bias: nil) }
        #expect(throws: RuntimeError.self) { try engine.conv2d(x, weight: Tensor(zeros: [4, 3, 3, 3]), bias: Tensor(zeros: [5])) }
        #expect(throws: RuntimeError.self) { try engine.conv2d(x, weight: Tensor(zeros: [4, 3, 9, 9]), bias: nil) }
        #expect(throws: RuntimeError.self) { try engine.conv3d(x, weight: Tensor(zeros: [4, 3, 3, 3]), bias: nil) }
        #expect(throws: RuntimeError.self) { try engine.conv2d(x, weight: Tensor(zeros: [4, 3, 3, 3]), bias: nil, stride: 0) }
        #expect(throws: RuntimeError.self) { try engine.linear(Tensor(zeros: [2, 5]), weight: Tensor(zeros: [3, 4]), bias: nil) }
        #expect(throws: RuntimeError.self) { try engine.matmul(Tensor(zeros: [2, 5]), Tensor(zeros: [4, 3])) }
        #expect(throws: RuntimeError.self) { try engine.matmul(Tensor(zeros: [2, 2, 5]), Tensor(zeros: [3, 5, 3])) }
    }

    @Test("linear and matmul on hand-computed values")
    func linearValues() throws {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let w = Tensor(shape: [2, 3], values: [1, 0, -1, 0.5, 0.5, 0.5])
        let b = Tensor(shape: [2], values: [10, -10])
        let m = Tensor(shape: [3, 2], values: [1, 0.5, 0, 1, -1, 2])
        for engine in Self.engines {
            #expect(try engine.values(try engine.linear(x, weight: w, bias: b)) == [8, -7, 8, -2.5], "\(engine.name)")
            #expect(try engine.values(try engine.matmul(x, m)) == [-2, 8.5, -2, 19], "\(engine.name)")
        }
    }
}
