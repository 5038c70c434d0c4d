import Avatar
import Foundation
import Kernels
import Runtime
import TestHelpers

/// Shared engines, fixtures and helpers for the Avatar tests (tiny config: 64×64 images).
enum TestSupport {
    static let cpu = SharedEngines.cpu

    /// The OpenCL engine (PoCL here), or why there is none.
    static var openclResult: Result<Engine, Error> { SharedEngines.openclResult }

    /// The OpenCL engine, or nil without one.
    static var opencl: Engine? { SharedEngines.opencl }

    /// Why there is no OpenCL engine ("" when there is one).
    static var openclProblem: String {
        if case .failure(let e) = openclResult { return "no OpenCL engine: \(e) (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)" }
        return ""
    }

    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { SharedEngines.openclRequired }

    static let fixtures = FixturePaths.folder("model")
    static var weightsPath: String { fixtures.appendingPathComponent("tiny-weights.safetensors").path }
    static var ioPath: String { fixtures.appendingPathComponent("tiny-io.safetensors").path }
    static var fixturesExist: Bool {
        FileManager.default.fileExists(atPath: weightsPath) && FileManager.default.fileExists(atPath: ioPath)
    }

    static func tiny() throws -> ModelConfig { try ModelConfig.tiny }

    /// A smooth deterministic test image `[1, channels, size, size]` in [0, 1].
    static func image(size: Int, seed: UInt64, channels: Int = 3) -> Tensor {
        var g = SeededGenerator(seed: seed)
        let phase = (0..<channels * 3).map { _ in g.uniform(0, 6.28) }
        var v = [Float](repeating: 0, count: channels * size * size)
        for c in 0..<channels {
            for y in 0..<size {
                for x in 0..<size {
                    let (fx, fy) = (Float(x) / Float(size), Float(y) / Float(size))
                    let s = sin(5 * fx + phase[3 * c]) * cos(4 * fy + phase[3 * c + 1]) + 0.5 * sin(7 * (fx + fy) + phase[3 * c + 2])
                    v[(c * size + y) * size + x] = 0.5 + 0.3 * s
                }
            }
        }
        return Tensor(shape: [1, channels, size, size], values: v)
    }

    /// A unique temporary file path.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("avatar-tests-\(UUID().uuidString)-\(name)").path
    }

    /// Prints a per-stage line when `AVATAR_TEST_VERBOSE=1` (for reports; tests never depend on it).
    static func report(_ label: String, _ name: String, _ c: Comparison) {
        guard ProcessInfo.processInfo.environment["AVATAR_TEST_VERBOSE"] == "1" else { return }
        print("\(label) \(name): max|Δ| \(c.maxAbsoluteError) rel \(c.relativeError)")
    }

    /// Comparison of two host tensors.
    static func compare(_ actual: Tensor, _ reference: Tensor, _ tolerance: Tolerance) -> Comparison {
        Comparison(actual: actual.hostValues ?? [], reference: reference.hostValues ?? [], tolerance: tolerance)
    }
}
