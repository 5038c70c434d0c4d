import FaceParsing
import Foundation
import Kernels
import Runtime
import TestHelpers

/// Engines, fixture paths and comparison helpers for the face-parsing tests.
enum Support {
    static let cpu = SharedEngines.cpu
    /// The OpenCL engine (PoCL here), or nil without a device.
    static var opencl: Engine? { SharedEngines.opencl }
    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { SharedEngines.openclRequired }

    static let fixtures = FixturePaths.folder("face-parsing")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The released widths with procedural seed 1 (the weights the official-code fixtures used).
    static let officialWeights: [String: Tensor] = BiSeNetWidths.official.proceduralWeights(seed: 1)

    /// max |a − b| / max |b|.
    static func maxRelative(_ a: [Float], _ b: [Float]) -> Float { ArrayMetrics.maxRelative(a, b) }

    /// The fraction of equal elements.
    static func agreement(_ a: [Float], _ b: [Float]) -> Double { ArrayMetrics.agreement(a, b) }
}
