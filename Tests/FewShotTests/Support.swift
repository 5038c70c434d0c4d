import FewShot
import Foundation
import Kernels
import Runtime
import TestHelpers

/// Engines, fixtures and comparison helpers for the few-shot tests.
enum Support {
    static let cpu = SharedEngines.cpu
    /// The OpenCL engine (PoCL here), or nil without a device.
    static var opencl: Engine? { SharedEngines.opencl }
    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { SharedEngines.openclRequired }

    static let fixtures = FixturePaths.folder("fewshot")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The tiny fixture's inputs and reference stages (reference/fewshot/make_fixtures.py).
    static func tinyIO() throws -> [String: Tensor] { try SafeTensorsFile(path: fixture("tiny-io.safetensors")).allTensors() }

    /// max |a − b| / max |b|.
    static func maxRelative(_ a: [Float], _ b: [Float]) -> Float { ArrayMetrics.maxRelative(a, b) }

    /// PSNR in dB of images in [0, 1].
    static func psnr(_ a: [Float], _ b: [Float]) -> Double { ArrayMetrics.psnr(a, b) }
}
