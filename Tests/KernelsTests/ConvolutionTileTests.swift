import Foundation
import Kernels
import Runtime
import Testing

/// Every convolution register tile (8×8, 16×6, 16×16) on every small conv2d/conv3d case of the
/// catalog, forced on this machine's OpenCL device whatever tile it would choose, against the
/// CPU reference: a device that picks another tile (AVX2 vs AVX-512 vs GPU) is still covered.
/// Full MegaPortraits shapes ("mp …") are left to the catalog parity suite. A private engine:
/// the preference must not leak into suites sharing `TestEngines.opencl`.
@Suite(.serialized)
struct ConvolutionTileTests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0) }

    static var cases: [OpCaseID] {
        OpCatalog.all.filter { $0.name == "conv2d" || $0.name == "conv3d" }.flatMap { op in
            op.cases.filter { !$0.label.hasPrefix("mp ") }.map { OpCaseID(op: op, testCase: $0) }
        }
    }

    @Test("each tile equals the CPU", arguments: ConvolutionTile.allCases)
    func tileMatchesCPU(_ tile: ConvolutionTile) throws {
        guard let engine = Self.engine else {
            if TestEngines.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
            return
        }
        engine.convolutionTilePreference = tile
        let profiler = Profiler()
        engine.profiler = profiler
        defer { engine.convolutionTilePreference = nil; engine.profiler = nil }
        #expect(Self.cases.count >= 10)
        for id in Self.cases {
            let args = id.testCase.arguments(seed: 7)
            let expected = try TestEngines.cpu.values(try id.op.call(TestEngines.cpu, args))
            let actual = try engine.values(try id.op.call(engine, args))
            let result = Comparison(actual: actual, reference: expected, tolerance: id.op.tolerance)
            #expect(result.passed, "tile \(tile.rawValue), \(id): \(result) (tolerance \(id.op.tolerance))")
        }
        try engine.synchronize()
        let kernels = Set(profiler.drain().map(\.name))
        let suffix = tile == .tile8x8 ? "_tile" : "_tile\(tile.rawValue)"
        #expect(kernels.contains("conv_k3s1" + suffix) && kernels.contains("conv_k1s1" + suffix),
                "tile \(tile.rawValue) did not run its kernels; ran \(kernels.sorted())")
    }

    @Test("every tile issues the same fma sequence: results equal the 8x8 tile's bitwise")
    func tilesAgreeBitwise() throws {
        guard let engine = Self.engine else { return }
        defer { engine.convolutionTilePreference = nil }
        for id in Self.cases {
            let args = id.testCase.arguments(seed: 11)
            var results: [ConvolutionTile: [Float]] = [:]
            for tile in ConvolutionTile.allCases {
                engine.convolutionTilePreference = tile
                results[tile] = try engine.values(try id.op.call(engine, args))
            }
            for tile in ConvolutionTile.allCases {
                #expect(results[tile] == results[.tile8x8], "tile \(tile.rawValue) differs from 8x8 on \(id)")
            }
        }
    }
}
