import Foundation
import Kernels
import Runtime
import Testing

/// `groupedConv2d` beyond the catalog's parity and golden suites: the `grouped-*` PyTorch fixtures
/// on OpenCL as well as on the CPU, CPU against OpenCL on every catalog case (worst error printed
/// for the record), its two ends (groups = 1 is `conv2d`, groups = C is `depthwiseConv2d`) and
/// the errors bad shapes raise.
@Suite(.serialized)
struct GroupedConvolutionTests {
    static var fixtures: [String] { GoldenTests.files.filter { $0.hasPrefix("grouped-") } }

    @Test("the grouped fixtures exist and stay within their budget (40 KB)")
    func fixtureBudget() throws {
        #expect(Self.fixtures.count >= 7)
        let bytes = try LivePortraitOpTests.bytes(of: Self.fixtures)
        #expect(bytes < 40_000, "grouped fixtures: \(bytes) bytes")
    }

    @Test("CPU and OpenCL both match PyTorch on every grouped fixture", arguments: fixtures)
    func bothBackendsMatchPyTorch(_ file: String) throws {
        try LivePortraitOpTests.expectEnginesMatchPyTorch(file, family: "grouped")
    }

    @Test("worst CPU vs OpenCL error over the catalog cases (printed), and the kernel runs")
    func worstParityError() throws {
        guard let gpu = TestEngines.opencl else {
            if TestEngines.openclRequired { Issue.record("no OpenCL device") }
            return
        }
        let op = try OpCatalog.op(named: "grouped_conv2d")
        var worst: Float = 0
        for c in op.cases {
            let args = c.arguments(seed: 11)
            let expected = try TestEngines.cpu.values(try op.call(TestEngines.cpu, args))
            let result = Comparison(actual: try gpu.values(try op.call(gpu, args)), reference: expected, tolerance: op.tolerance)
            #expect(result.passed, "grouped_conv2d [\(c.label)]: \(result)")
            worst = max(worst, result.maxAbsoluteError)
        }
        print("grouped parity grouped_conv2d: worst max|Δ| CPU vs OpenCL \(worst) (tolerance \(op.tolerance))")
        #expect(try #require(gpu.openCL).launchedKernels.contains("grouped_conv2d"))
    }

    @Test("groups = 1 equals conv2d, and groups = C with one filter per channel equals depthwiseConv2d")
    func endsEqualConvAndDepthwise() throws {
        let x = Tensor.random([2, 6, 7, 5], seed: 21)
        let w = Tensor.random([9, 6, 3, 3], seed: 22, range: -0.2...0.2), b = Tensor.random([9], seed: 23)
        let dw = Tensor.random([6, 1, 3, 3], seed: 24, range: -0.3...0.3), db = Tensor.random([6], seed: 25)
        for engine in LivePortraitOpTests.engines {
            for (stride, padding) in [([1, 1], [1, 1]), ([2, 2], [1, 1]), ([2, 1], [0, 1])] {
                let grouped = try engine.values(try engine.groupedConv2d(x, weight: w, bias: b, groups: 1, stride: stride, padding: padding))
                let plain = try engine.values(try engine.conv2d(x, weight: w, bias: b, strides: stride, paddings: padding))
                let conv = Comparison(actual: grouped, reference: plain, tolerance: .reduction)
                #expect(conv.passed, "\(engine.name) groups 1 vs conv2d, stride \(stride) padding \(padding): \(conv)")
                // The CPU's grouped body is im2col + GEMM; conv2d's stride-1 3×3 default is Winograd
                // (conv.algorithm), so exact equality holds only where conv2d also takes im2col.
                if engine.name == TestEngines.cpu.name && stride != [1, 1] { #expect(grouped == plain, "the CPU runs the same im2col code for groups = 1") }

                let perChannel = try engine.values(try engine.groupedConv2d(x, weight: dw, bias: db, groups: 6, stride: stride, padding: padding))
                let depthwise = try engine.values(try engine.depthwiseConv2d(x, weight: dw, bias: db, stride: stride, padding: padding))
                let dwResult = Comparison(actual: perChannel, reference: depthwise, tolerance: .tight)
                #expect(dwResult.passed, "\(engine.name) groups C vs depthwiseConv2d, stride \(stride) padding \(padding): \(dwResult)")
                print("grouped ends on \(engine.name) stride \(stride) padding \(padding): vs conv2d max|Δ| \(conv.maxAbsoluteError), "
                      + "vs depthwise max|Δ| \(dwResult.maxAbsoluteError)")
            }
        }
    }

    @Test("bad shapes raise shapeMismatch errors that say what was expected")
    func errors() throws {
        let e = TestEngines.cpu
        let x = Tensor.random([1, 6, 7, 5], seed: 31)
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body(); return "no error" } catch RuntimeError.shapeMismatch(let text) { return text } catch { return "\(error)" }
        }
        let cases: [(String, () throws -> Tensor)] = [
            ("must divide the input channels", { try e.groupedConv2d(x, weight: Tensor.random([8, 1, 3, 3], seed: 1), bias: nil, groups: 4) }),
            ("must divide the output channels", { try e.groupedConv2d(x, weight: Tensor.random([8, 2, 3, 3], seed: 1), bias: nil, groups: 3) }),
            ("Cin/groups = 2", { try e.groupedConv2d(x, weight: Tensor.random([9, 3, 3, 3], seed: 1), bias: nil, groups: 3) }),
            ("groups must be ≥ 1", { try e.groupedConv2d(x, weight: Tensor.random([9, 6, 3, 3], seed: 1), bias: nil, groups: 0) }),
            ("bias must be [9]", { try e.groupedConv2d(x, weight: Tensor.random([9, 2, 3, 3], seed: 1), bias: Tensor.random([3], seed: 2), groups: 3) }),
            ("input must be [N, Cin, H, W]", { try e.groupedConv2d(Tensor.random([6, 7, 5], seed: 3), weight: Tensor.random([9, 2, 3, 3], seed: 1),
                                                                   bias: nil, groups: 3) }),
            ("larger than the padded input", { try e.groupedConv2d(x, weight: Tensor.random([9, 2, 9, 3], seed: 1), bias: nil, groups: 3) }),
            ("stride must be ≥ 1", { try e.groupedConv2d(x, weight: Tensor.random([9, 2, 3, 3], seed: 1), bias: nil, groups: 3, stride: [0, 1]) }),
        ]
        for (expected, body) in cases {
            let text = message(body)
            #expect(text.hasPrefix("grouped_conv2d: ") && text.contains(expected), "expected '\(expected)', got: \(text)")
        }
    }
}
