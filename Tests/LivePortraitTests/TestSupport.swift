import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime

/// Shared engines, fixtures and helpers for the LivePortrait tests (tiny config: 64² in, 128² out).
enum LPTestSupport {
    static let cpu = Engine.cpu()

    /// The OpenCL engine (PoCL here): `Engine.make(.openclAuto)` unless it fell back to the CPU.
    static let opencl: Engine? = {
        var fellBack = false
        let engine = try? Engine.make(.openclAuto) { _ in fellBack = true }
        return fellBack ? nil : engine
    }()

    /// Without an OpenCL device the OpenCL tests fail unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { ProcessInfo.processInfo.environment["PORTRAIT_ALLOW_NO_OPENCL"] != "1" }

    /// The goldens: `Tests/Fixtures/liveportrait`, or the folder `PORTRAIT_LP_FIXTURES` names (the
    /// same files written by the parity harness at another config, e.g. the released sizes, too
    /// large to commit; docs/liveportrait.md §8).
    static let fixtures = ProcessInfo.processInfo.environment["PORTRAIT_LP_FIXTURES"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/liveportrait")
    static var weightsPath: String { fixtures.appendingPathComponent("tiny-weights.safetensors").path }
    static var ioPath: String { fixtures.appendingPathComponent("tiny-io.safetensors").path }
    static var configPath: String { fixtures.appendingPathComponent("tiny.json").path }

    /// The tiny network with the fixture weights (loaded strictly) on `engine`.
    static func network(on engine: Engine = cpu) throws -> LivePortraitNetwork {
        try LivePortraitNetwork(config: LivePortraitConfig.load(configPath), weightsPath: weightsPath, engine: engine)
    }

    /// A unique temporary file path.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lp-tests-\(UUID().uuidString)-\(name)").path
    }

    /// Prints a line when `LP_TEST_VERBOSE=1` (for reports; tests never depend on it).
    static func report(_ line: String) {
        guard ProcessInfo.processInfo.environment["LP_TEST_VERBOSE"] == "1" else { return }
        print(line)
    }
}
