import FewShot
import Foundation
import Kernels
import Runtime

/// Engines, fixtures and comparison helpers for the few-shot tests.
enum Support {
    static let cpu = Engine.cpu()

    /// The OpenCL engine (PoCL here), or nil without a device.
    static let opencl: Engine? = {
        guard let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all()) else { return nil }
        return try? Engine.opencl(device)
    }()

    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { ProcessInfo.processInfo.environment["PORTRAIT_ALLOW_NO_OPENCL"] != "1" }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fewshot")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The tiny fixture's inputs and reference stages (reference/fewshot/make_fixtures.py).
    static func tinyIO() throws -> [String: Tensor] { try SafeTensorsFile(path: fixture("tiny-io.safetensors")).allTensors() }

    /// max |a − b| / max |b|.
    static func maxRelative(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        var (diff, scale): (Float, Float) = (0, 0)
        for i in 0..<a.count {
            diff = max(diff, abs(a[i] - b[i]))
            scale = max(scale, abs(b[i]))
        }
        return diff / max(scale, .leastNormalMagnitude)
    }

    /// PSNR in dB of images in [0, 1].
    static func psnr(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var sum = 0.0
        for i in 0..<a.count { let d = Double(a[i] - b[i]); sum += d * d }
        let mse = sum / Double(max(a.count, 1))
        return mse == 0 ? .infinity : 10 * log10(1 / mse)
    }
}
