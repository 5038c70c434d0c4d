import Foundation
import Kernels
import Runtime
import Testing

/// The ops LivePortrait adds (docs/liveportrait.md §6), beyond the catalog's parity and golden
/// suites: every `liveportrait-*` PyTorch fixture on OpenCL as well as on the CPU, the public
/// methods' own forms (`gelu`, instance norm as group norm, shared grid-sample input), the
/// errors bad shapes raise, and the worst errors measured (printed for the record).
@Suite(.serialized)
struct LivePortraitOpTests {
    static var engines: [Engine] { [TestEngines.cpu] + (TestEngines.opencl.map { [$0] } ?? []) }

    static var fixtures: [String] { GoldenTests.files.filter { $0.hasPrefix("liveportrait-") } }

    /// Runs fixture `file` on `engine`: (op, comparison with PyTorch under the op's tolerance).
    static func run(_ file: String, on engine: Engine) throws -> (OpDefinition, Comparison) {
        let fixture = try SafeTensorsFile(path: GoldenTests.directory.appendingPathComponent(file).path)
        var metadata = fixture.metadata
        let removedOp = metadata.removeValue(forKey: "op")
        let op = try OpCatalog.op(named: try #require(removedOp, "\(file) has no 'op' metadata"))
        var tensors = try fixture.allTensors()
        let removedOutput = tensors.removeValue(forKey: "output")
        let expected = try #require(removedOutput, "\(file) has no 'output' tensor")
        let actual = try op.call(engine, OpArguments(tensors: tensors, parameters: metadata))
        #expect(actual.shape == expected.shape, "\(file) on \(engine.name): shape \(actual.shape) vs PyTorch \(expected.shape)")
        return (op, Comparison(actual: try engine.values(actual), reference: expected.hostValues!, tolerance: op.tolerance))
    }

    /// The total size in bytes of the fixture files `files` (a family's budget).
    static func bytes(of files: [String]) throws -> Int {
        try files.reduce(0) { total, file in
            let attributes = try FileManager.default.attributesOfItem(atPath: GoldenTests.directory.appendingPathComponent(file).path)
            return total + ((attributes[.size] as? Int) ?? 0)
        }
    }

    /// Runs fixture `file` on every engine and expects PyTorch's output within the op's
    /// tolerance; prints each error as `<family> golden <file> on <engine>: max|Δ| ...`.
    static func expectEnginesMatchPyTorch(_ file: String, family: String) throws {
        for engine in engines {
            let (op, result) = try run(file, on: engine)
            print("\(family) golden \(file) on \(engine.name): max|Δ| vs PyTorch \(result.maxAbsoluteError) (tolerance \(op.tolerance))")
            #expect(result.passed, "\(file) on \(engine.name): \(result) (tolerance \(op.tolerance))")
        }
    }

    @Test("the LivePortrait fixtures exist and stay within their budget (150 KB)")
    func fixtureBudget() throws {
        #expect(Self.fixtures.count >= 20)
        let bytes = try Self.bytes(of: Self.fixtures)
        #expect(bytes < 150_000, "liveportrait fixtures: \(bytes) bytes")
    }

    @Test("CPU and OpenCL both match PyTorch on every LivePortrait fixture", arguments: fixtures)
    func bothBackendsMatchPyTorch(_ file: String) throws {
        try Self.expectEnginesMatchPyTorch(file, family: "liveportrait")
    }

    @Test("worst CPU vs OpenCL error of each new op over its catalog cases (printed)")
    func worstParityErrors() throws {
        guard let gpu = TestEngines.opencl else { return }
        let names = ["gelu", "layer_norm", "global_response_norm", "softmax", "pixel_shuffle", "modulate", "instance_norm_modulate",
                     "sparse_motion", "keypoint_heatmaps", "weighted_motion_sum", "grid_sample"]
        for name in names {
            let op = try OpCatalog.op(named: name)
            var worst: Float = 0
            for c in op.cases where name != "grid_sample" || c.label.contains("shared") {
                let args = c.arguments(seed: 7)
                let expected = try TestEngines.cpu.values(try op.call(TestEngines.cpu, args))
                let result = Comparison(actual: try gpu.values(try op.call(gpu, args)), reference: expected, tolerance: op.tolerance)
                #expect(result.passed, "\(name) [\(c.label)]: \(result)")
                worst = max(worst, result.maxAbsoluteError)
            }
            print("liveportrait parity \(name): worst max|Δ| CPU vs OpenCL \(worst) (tolerance \(op.tolerance))")
        }
    }

    @Test("gelu is the exact erf form, through activation(.gelu) and gelu(_:)")
    func gelu() throws {
        let values: [Float] = [-3, -1, -0.5, 0, 0.5, 1, 3]
        let x = Tensor(shape: [7], values: values)
        for engine in Self.engines {
            let y = try engine.values(try engine.gelu(x))
            #expect(y == (try engine.values(try engine.activation(x, .gelu))))
            for (v, g) in zip(values, y) {
                let exact = 0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))
                #expect(abs(Double(g) - exact) <= 1e-6, "\(engine.name): gelu(\(v)) = \(g), exact \(exact)")
            }
        }
    }

    @Test("InstanceNorm2d(affine=False) is groupNorm with one channel per group, and instanceNormModulate fuses the modulation")
    func instanceNorm() throws {
        let x = Tensor.random([2, 6, 5, 7], seed: 3, range: -2...5)
        let gamma = Tensor.random([2, 6, 5, 7], seed: 4), beta = Tensor.random([2, 6, 5, 7], seed: 5)
        let reference = try TestEngines.cpu.values(
            try TestEngines.cpu.modulate(try TestEngines.cpu.groupNorm(x, groups: 6, weight: nil, bias: nil, eps: 1e-5), gamma: gamma, beta: beta))
        for engine in Self.engines {
            let fused = try engine.values(try engine.instanceNormModulate(x, gamma: gamma, beta: beta, eps: 1e-5))
            let result = Comparison(actual: fused, reference: reference, tolerance: Tolerance(absolute: 5e-5, relative: 1e-4))
            #expect(result.passed, "\(engine.name): \(result)")
        }
    }

    @Test("grid_sample shares a batch-1 input among N grids: equal to sampling N copies")
    func sharedGridSampleInput() throws {
        for (channels, size) in [(4, [3, 5, 6]), (9, [3, 5, 6])] {
            let input = Tensor.random([1, channels] + size, seed: 11)
            let grids = Tensor.random([3, 2, 4, 3, 3], seed: 12, range: -1.1...1.1)
            let copies = Tensor(shape: [3, channels] + size, values: Array([[Float]](repeating: input.hostValues!, count: 3).joined()))
            let reference = try TestEngines.cpu.values(try TestEngines.cpu.gridSample(copies, grid: grids))
            for engine in Self.engines {
                let shared = try engine.gridSample(input, grid: grids)
                #expect(shared.shape == [3, channels, 2, 4, 3])
                let result = Comparison(actual: try engine.values(shared), reference: reference, tolerance: .tight)
                #expect(result.passed, "\(engine.name) \(channels) channels: \(result)")
            }
        }
        let input = Tensor.random([2, 4, 3, 5, 6], seed: 13)
        #expect(throws: RuntimeError.self) { try TestEngines.cpu.gridSample(input, grid: Tensor.random([3, 2, 4, 3, 3], seed: 14)) }
    }

    @Test("softmax subtracts the maximum: huge logits stay finite, rows sum to 1")
    func softmaxLargeLogits() throws {
        let x = Tensor(shape: [1, 3, 2], values: [1000, -1000, 1001, 0, 999, 5])
        for engine in Self.engines {
            let y = try engine.values(try engine.softmax(x, dim: 1))
            #expect(y.allSatisfy { $0.isFinite })
            #expect(abs(y[0] + y[2] + y[4] - 1) < 1e-6 && abs(y[1] + y[3] + y[5] - 1) < 1e-6)
        }
    }

    @Test("sparse motion k = 0 is the identity grid; heatmap k = 0 is zero")
    func motionBackground() throws {
        let kp = Tensor.random([1, 2, 3], seed: 21)
        for engine in Self.engines {
            let motion = try engine.values(try engine.sparseMotion(sourceKeypoints: kp, driverKeypoints: kp, size: [2, 3, 5]))
            // With source = driver every grid is the identity (up to rounding of −d + s).
            let identity = Array(motion[0..<90])
            #expect(Array(identity[0..<3]) == [-1, -1, -1] && Array(identity[87..<90]) == [1, 1, 1])
            #expect(Comparison(actual: Array(motion[90...]), reference: identity + identity, tolerance: .tight).passed)
            let heat = try engine.values(try engine.keypointHeatmaps(sourceKeypoints: kp, driverKeypoints: kp, size: [2, 3, 5]))
            #expect(heat.count == 3 * 30 && heat.allSatisfy { abs($0) < 1e-6 })
        }
    }

    @Test("bad shapes throw shape errors that say what was expected")
    func shapeErrors() {
        let cpu = TestEngines.cpu
        let x = Tensor.random([2, 5, 3, 4], seed: 1)
        func expectError(_ fragment: String, _ body: () throws -> Tensor) {
            do {
                _ = try body()
                Issue.record("expected an error mentioning '\(fragment)'")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
        expectError("[5]") { try cpu.layerNorm(x, weight: Tensor.random([4], seed: 2), bias: nil, eps: 1e-6) }
        expectError("[N, C, *]") { try cpu.layerNorm(Tensor.random([5], seed: 2), weight: nil, bias: nil, eps: 1e-6) }
        expectError("one value per channel") { try cpu.globalResponseNorm(x, gamma: Tensor.random([4], seed: 2), beta: Tensor.random([5], seed: 3)) }
        expectError("NCHW") { try cpu.globalResponseNorm(Tensor.random([2, 5, 3], seed: 2), gamma: Tensor.random([5], seed: 2), beta: Tensor.random([5], seed: 3)) }
        expectError("out of range") { try cpu.softmax(x, dim: 4) }
        expectError("multiple of factor²") { try cpu.pixelShuffle(x, factor: 2) }
        expectError("input's shape") { try cpu.modulate(x, gamma: Tensor.random([2, 5, 3, 1], seed: 2), beta: x) }
        let kp = Tensor.random([1, 3, 3], seed: 4)
        expectError("≥ 2") { try cpu.sparseMotion(sourceKeypoints: kp, driverKeypoints: kp, size: [1, 4, 4]) }
        expectError("[N, K, 3]") { try cpu.keypointHeatmaps(sourceKeypoints: Tensor.random([1, 3, 2], seed: 5), driverKeypoints: kp, size: [2, 4, 4]) }
        expectError("the source's shape") { try cpu.sparseMotion(sourceKeypoints: kp, driverKeypoints: Tensor.random([1, 2, 3], seed: 6), size: [2, 2, 2]) }
        let mask = Tensor.random([1, 3, 2, 2, 2], seed: 7)
        expectError("[1, 3, 2, 2, 2, 3]") { try cpu.weightedMotionSum(mask: mask, motion: Tensor.random([1, 3, 2, 2, 2], seed: 8)) }
        expectError("batch 1 to be shared") { try cpu.gridSample(Tensor.random([2, 3, 4, 5], seed: 9), grid: Tensor.random([3, 2, 2, 2], seed: 10)) }
    }
}
