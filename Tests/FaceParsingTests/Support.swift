import FaceParsing
import Foundation
import Kernels
import Runtime

/// Engines, fixture paths and comparison helpers for the face-parsing tests.
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
        .deletingLastPathComponent().appendingPathComponent("Fixtures/face-parsing")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The released widths with procedural seed 1 (the weights the official-code fixtures used).
    static let officialWeights: [String: Tensor] = BiSeNetWidths.official.proceduralWeights(seed: 1)

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

    /// The fraction of equal elements.
    static func agreement(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(max(a.count, 1))
    }
}
