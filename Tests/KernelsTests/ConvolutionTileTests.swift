import Foundation
import Kernels
import Runtime
import Testing

/// Every convolution register tile (8×8, 16×6, 16×16) on every small conv2d/conv3d case of the
/// catalog, forced through the engine's variant table (`conv.tile`) whatever tile the device
/// would choose, agrees bitwise with the 8×8 tile. (Each tile against the CPU is part of the
/// variant sweep in `KernelCoverageTests`.) A private engine: the table must not leak into
/// suites sharing `TestEngines.opencl`.
@Suite(.serialized)
struct ConvolutionTileTests {
    static let engine: Engine? = OpenCLDevice.all().first.flatMap { try? Engine.opencl($0) }

    static var cases: [OpCaseID] {
        OpCatalog.all.filter { $0.name == "conv2d" || $0.name == "conv3d" }.flatMap { op in
            op.cases.filter { !$0.label.hasPrefix("mp ") }.map { OpCaseID(op: op, testCase: $0) }
        }
    }

    @Test("every tile issues the same fma sequence: results equal the 8x8 tile's bitwise")
    func tilesAgreeBitwise() throws {
        guard let engine = Self.engine else { return }
        let table = engine.variants
        defer { engine.variants = table }
        for id in Self.cases {
            let args = id.testCase.arguments(seed: 11)
            var results: [ConvolutionTile: [Float]] = [:]
            for tile in ConvolutionTile.allCases {
                engine.variants.convolutionTile = tile
                results[tile] = try engine.values(try id.op.call(engine, args))
            }
            for tile in ConvolutionTile.allCases {
                #expect(results[tile] == results[.tile8x8], "tile \(tile.rawValue) differs from 8x8 on \(id)")
            }
        }
    }
}
