import Foundation
import Kernels
import Runtime
import Testing

/// Focused checks of the Normalization and Pooling families beyond the catalog parity cases:
/// BatchNorm folding, group-norm statistics on large off-centre groups, NaN propagation in
/// max pooling, and shape errors.
struct NormalizationTests {
    /// Naive NCHW conv2d (stride 1, zero padding `pad`) in Double, for the folding check.
    static func conv2d(_ x: [Float], n: Int, cin: Int, h: Int, w: Int, weight: [Float], bias: [Float], cout: Int, k: Int, pad: Int) -> [Float] {
        var out = [Float](repeating: 0, count: n * cout * h * w)
        for b in 0..<n {
            for o in 0..<cout {
                for y in 0..<h {
                    for xx in 0..<w {
                        var s = Double(bias[o])
                        for i in 0..<cin {
                            for ky in 0..<k {
                                let iy = y + ky - pad
                                guard iy >= 0, iy < h else { continue }
                                for kx in 0..<k {
                                    let ix = xx + kx - pad
                                    guard ix >= 0, ix < w else { continue }
                                    s += Double(x[((b * cin + i) * h + iy) * w + ix]) * Double(weight[((o * cin + i) * k + ky) * k + kx])
                                }
                            }
                        }
                        out[((b * cout + o) * h + y) * w + xx] = Float(s)
                    }
                }
            }
        }
        return out
    }

    @Test("foldBatchNorm: conv + eval BatchNorm equals the folded conv", arguments: [(1, 0), (3, 1)])
    func foldedConvolutionMatches(_ kernelAndPad: (Int, Int)) throws {
        let (k, pad) = kernelAndPad
        let (n, cin, cout, h, w) = (2, 3, 5, 6, 7)
        let x = Tensor.random([n, cin, h, w], seed: 1, range: -2...2)
        let weight = Tensor.random([cout, cin, k, k], seed: 2)
        let convBias = Tensor.random([cout], seed: 3)
        let mean = Tensor.random([cout], seed: 4), variance = Tensor.random([cout], seed: 5, range: 0.25...2)
        let gamma = Tensor.random([cout], seed: 6, range: -2...2), beta = Tensor.random([cout], seed: 7)
        let eps: Float = 1e-3
        let conv = Self.conv2d(x.hostValues!, n: n, cin: cin, h: h, w: w, weight: weight.hostValues!, bias: convBias.hostValues!, cout: cout, k: k, pad: pad)
        let engine = TestEngines.cpu
        let expected = try engine.batchNorm(Tensor(shape: [n, cout, h, w], values: conv), runningMean: mean, runningVar: variance,
                                            weight: gamma, bias: beta, eps: eps)
        let folded = try Engine.foldBatchNorm(convWeight: weight, convBias: convBias, runningMean: mean, runningVar: variance,
                                              weight: gamma, bias: beta, eps: eps)
        #expect(folded.weight.shape == weight.shape && folded.bias.shape == [cout])
        let actual = Self.conv2d(x.hostValues!, n: n, cin: cin, h: h, w: w, weight: folded.weight.hostValues!, bias: folded.bias.hostValues!,
                                 cout: cout, k: k, pad: pad)
        let result = Comparison(actual: actual, reference: try engine.values(expected), tolerance: Tolerance(absolute: 1e-5, relative: 1e-5))
        #expect(result.passed, "\(result)")
    }

    @Test("foldBatchNorm without conv bias or affine, and with mismatched shapes")
    func foldWithoutOptionals() throws {
        let weight = Tensor(shape: [2, 1, 1, 1], values: [2, 3])
        let folded = try Engine.foldBatchNorm(convWeight: weight, convBias: nil, runningMean: Tensor(shape: [2], values: [1, -1]),
                                              runningVar: Tensor(shape: [2], values: [3, 0]), weight: nil, bias: nil, eps: 1)
        // s = 1/sqrt(var + eps) = (0.5, 1); w' = (1, 3); b' = (0 - mean)·s = (-0.5, 1)
        #expect(folded.weight.hostValues! == [1, 3])
        #expect(folded.bias.hostValues! == [-0.5, 1])
        #expect(throws: RuntimeError.self) {
            _ = try Engine.foldBatchNorm(convWeight: weight, convBias: nil, runningMean: Tensor(zeros: [3]), runningVar: Tensor(zeros: [2]),
                                         weight: nil, bias: nil, eps: 1e-5)
        }
    }

    /// A large group (600 000 elements) centred at 1000 with unit spread: a one-pass E[x²] − E[x]²
    /// in float would lose the variance entirely; both backends must stay within 1e-3 of a
    /// Double reference computed here.
    @Test("group_norm statistics stay accurate on a large off-centre group")
    func largeOffsetGroup() throws {
        let length = 300_000
        var values = Tensor.random([1, 2, length], seed: 9, range: -1.5...1.5).hostValues!
        for i in values.indices { values[i] += 1000 }
        let x = Tensor(shape: [1, 2, length], values: values)
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        let rstd = 1 / (variance + 1e-5).squareRoot()
        let reference = values.map { Float((Double($0) - mean) * rstd) }
        var engines = [TestEngines.cpu]
        if let gpu = TestEngines.opencl { engines.append(gpu) }
        for engine in engines {
            let y = try engine.values(try engine.groupNorm(x, groups: 1, weight: nil, bias: nil))
            let result = Comparison(actual: y, reference: reference, tolerance: Tolerance(absolute: 1e-3, relative: 0))
            #expect(result.passed, "\(engine.name): \(result)")
        }
    }

    @Test("max_pool2d propagates NaN on both backends, like PyTorch")
    func maxPoolNaN() throws {
        var values = Tensor.random([1, 1, 4, 4], seed: 11).hostValues!
        values[5] = .nan  // row 1, column 1: inside the top-left 2×2 window only
        let x = Tensor(shape: [1, 1, 4, 4], values: values)
        var engines = [TestEngines.cpu]
        if let gpu = TestEngines.opencl { engines.append(gpu) }
        for engine in engines {
            let y = try engine.values(try engine.maxPool2d(x, kernel: 2, stride: 2, padding: 0))
            #expect(y[0].isNaN, "\(engine.name): \(y)")
            #expect(y[1...].allSatisfy { !$0.isNaN }, "\(engine.name): \(y)")
        }
    }

    @Test("GN on a device-resident input chains without a host round trip")
    func deviceResidentInput() throws {
        guard let gpu = TestEngines.opencl else { return }
        let x = Tensor.random([2, 64, 3, 5, 7], seed: 13, range: -3...3)
        let gamma = Tensor.random([2, 64], seed: 14), beta = Tensor.random([2, 64], seed: 15)
        let onDevice = try gpu.resident(x)
        let y = try gpu.adaptiveGroupNorm(try gpu.avgPool3d(onDevice, kernel: [1, 1, 1]), gamma: gamma, beta: beta)
        let expected = try TestEngines.cpu.adaptiveGroupNorm(x, gamma: gamma, beta: beta)
        let result = Comparison(actual: try gpu.values(y), reference: try TestEngines.cpu.values(expected), tolerance: Tolerance(absolute: 5e-5, relative: 1e-4))
        #expect(result.passed, "\(result)")
    }

    @Test("shape errors are thrown as values, not traps")
    func shapeErrors() throws {
        let engine = TestEngines.cpu
        let x = Tensor(zeros: [1, 48, 4, 4])
        #expect(throws: RuntimeError.self) { _ = try engine.groupNorm(x, groups: 32, weight: nil, bias: nil) }
        #expect(throws: RuntimeError.self) { _ = try engine.groupNorm(Tensor(zeros: [1, 64, 2]), groups: 32, weight: Tensor(zeros: [32]), bias: nil) }
        #expect(throws: RuntimeError.self) {
            _ = try engine.adaptiveGroupNorm(Tensor(zeros: [2, 64, 2]), gamma: Tensor(zeros: [1, 64]), beta: Tensor(zeros: [2, 64]))
        }
        #expect(throws: RuntimeError.self) { _ = try engine.avgPool2d(Tensor(zeros: [1, 1, 1, 5]), kernel: [2]) }
        #expect(throws: RuntimeError.self) { _ = try engine.avgPool3d(Tensor(zeros: [1, 1, 4, 4]), kernel: [2]) }
        #expect(throws: RuntimeError.self) { _ = try engine.maxPool2d(x, kernel: 3, stride: 2, padding: 2) }
        #expect(throws: RuntimeError.self) { _ = try engine.adaptiveAvgPool2d(x, outputSize: [0]) }
        #expect(throws: OpError.self) {
            _ = try OpCatalog.op(named: "avg_pool2d").call(engine, OpArguments(tensors: ["input": x], parameters: ["kernel_size": "2", "stride": "1"]))
        }
    }
}
