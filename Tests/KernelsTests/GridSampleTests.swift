import Foundation
import Kernels
import Runtime
import Testing

/// Focused checks of the GridSample and Resample families beyond the catalog parity/golden
/// suites: analytic results (identity warps, the MegaPortraits half-blended border), exactness
/// against PyTorch, and the errors bad shapes and parameters raise. Each test runs on the CPU and,
/// when present, on OpenCL.
struct GridSampleTests {
    static var engines: [Engine] { [TestEngines.cpu] + (TestEngines.opencl.map { [$0] } ?? []) }

    static func values(_ engine: Engine, _ t: Tensor) throws -> [Float] { try engine.values(t) }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test("identity affine_grid + grid_sample reproduces the input (2-D and 3-D, both align_corners)")
    func identityWarp() throws {
        for engine in Self.engines {
            for align in [false, true] {
                let x2 = Tensor.random([2, 3, 5, 7], seed: 1)
                let theta2 = Tensor(shape: [2, 2, 3], values: [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0])
                let g2 = try engine.affineGrid(theta: theta2, size: [2, 3, 5, 7], alignCorners: align)
                let y2 = try engine.gridSample(x2, grid: g2, alignCorners: align)
                #expect(Self.maxDifference(try engine.values(y2), x2.hostValues!) <= 1e-6, "\(engine.name) 2-D align \(align)")

                // 10 channels: the OpenCL channels-last path.
                let x3 = Tensor.random([1, 10, 4, 5, 6], seed: 2)
                let theta3 = Tensor(shape: [1, 3, 4], values: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
                let g3 = try engine.affineGrid(theta: theta3, size: [1, 10, 4, 5, 6], alignCorners: align)
                let y3 = try engine.gridSample(x3, grid: g3, alignCorners: align)
                #expect(Self.maxDifference(try engine.values(y3), x3.hostValues!) <= 1e-6, "\(engine.name) 3-D align \(align)")
            }
        }
    }

    /// megaportraits-architecture.md §3.7: the identity grid is linspace(−1, 1) (align_corners=True
    /// convention) but sampled with align_corners=False, so along an axis of n voxels the source
    /// coordinate is i·n/(n−1) − ½: the border voxels are half-blended with the zero padding.
    @Test("zero deformation sampled with align_corners=False half-blends the border with zeros")
    func megaPortraitsIdentitySubtlety() throws {
        for engine in Self.engines {
            for channels in [2, 9] {   // the direct and the channels-last OpenCL paths
                let ones = Tensor(shape: [1, channels, 4, 4, 4], values: Array(repeating: 1, count: channels * 64))
                let grid = try engine.deformationGrid(Tensor(zeros: [1, 3, 4, 4, 4]))
                let y = try engine.values(try engine.gridSample(ones, grid: grid, alignCorners: false))
                func at(_ c: Int, _ z: Int, _ yy: Int, _ x: Int) -> Float { y[((c * 4 + z) * 4 + yy) * 4 + x] }
                for c in 0..<channels {
                    #expect(abs(at(c, 0, 0, 0) - 0.125) <= 1e-6, "\(engine.name): corner \(at(c, 0, 0, 0)), expected 0.5³")
                    #expect(abs(at(c, 3, 3, 3) - 0.125) <= 1e-6, "\(engine.name): far corner \(at(c, 3, 3, 3))")
                    #expect(abs(at(c, 0, 1, 2) - 0.5) <= 1e-6, "\(engine.name): face voxel \(at(c, 0, 1, 2)), expected 0.5")
                    #expect(abs(at(c, 1, 2, 1) - 1) <= 1e-6, "\(engine.name): interior voxel \(at(c, 1, 2, 1)), expected 1")
                }
            }
        }
    }

    @Test("the CPU 3-D grid sample reproduces PyTorch's arithmetic to within one rounding")
    func cpuMatchesPyTorchClosely() throws {
        let names = ["gridsample-3d-zeros", "gridsample-3d-border-aligned", "gridsample-3d-warp", "gridsample-3d-zeros-9ch"]
        for name in names {
            let file = try SafeTensorsFile(path: GoldenTests.directory.appendingPathComponent(name + ".safetensors").path)
            var tensors = try file.allTensors()
            let removed = tensors.removeValue(forKey: "output")
            let expected = try #require(removed)
            var parameters = file.metadata
            parameters.removeValue(forKey: "op")
            let actual = try OpCatalog.op(named: "grid_sample").call(TestEngines.cpu, OpArguments(tensors: tensors, parameters: parameters))
            let diff = Self.maxDifference(try TestEngines.cpu.values(actual), expected.hostValues!)
            #expect(diff <= 2.5e-7, "\(name): max |CPU − PyTorch| = \(diff)")
        }
    }

    @Test("resampling identities: nearest repeats pixels, trilinear keeps constants, same-size bilinear copies")
    func resampleIdentities() throws {
        let x = Tensor.random([1, 2, 3, 5], seed: 3)
        let v = x.hostValues!
        let constant = Tensor(shape: [1, 3, 3, 4, 5], values: Array(repeating: 0.75, count: 180))
        for engine in Self.engines {
            let up = try engine.values(try engine.upsampleNearest2d(x, scale: 3))
            var expected: [Float] = []
            for c in 0..<2 { for y in 0..<9 { for xx in 0..<15 { expected.append(v[(c * 3 + y / 3) * 5 + xx / 3]) } } }
            #expect(up == expected, "\(engine.name): nearest ×3")
            let same = try engine.values(try engine.resizeBilinear2d(x, size: [3, 5]))
            #expect(same == v, "\(engine.name): bilinear to the same size")
            for scale in [[2, 2, 2], [1, 2, 2], [3, 1, 2]] {
                let t = try engine.values(try engine.upsampleTrilinear3d(constant, scale: scale))
                #expect(t.count == 180 * scale.reduce(1, *))
                #expect(t.allSatisfy { abs($0 - 0.75) <= 1e-6 }, "\(engine.name): trilinear \(scale) of a constant")
            }
        }
    }

    @Test("bad shapes and parameters throw typed errors")
    func errors() throws {
        let engine = TestEngines.cpu
        let x = Tensor(zeros: [1, 2, 4, 4, 4])
        #expect(throws: RuntimeError.self) { try engine.gridSample(x, grid: Tensor(zeros: [1, 4, 4, 4, 2])) }
        // Batches must match, or the input have batch 1 (shared by every grid): 2 inputs, 3 grids.
        #expect(throws: RuntimeError.self) { try engine.gridSample(Tensor(zeros: [2, 2, 4, 4, 4]), grid: Tensor(zeros: [3, 4, 4, 4, 3])) }
        #expect(throws: RuntimeError.self) { try engine.gridSample(Tensor(zeros: [4, 4]), grid: Tensor(zeros: [1, 4, 4, 2])) }
        #expect(throws: RuntimeError.self) { try engine.affineGrid(theta: Tensor(zeros: [1, 2, 3]), size: [1, 3, 4, 4, 4], alignCorners: false) }
        #expect(throws: RuntimeError.self) { try engine.deformationGrid(Tensor(zeros: [1, 2, 4, 4, 4])) }
        #expect(throws: RuntimeError.self) { try engine.upsampleTrilinear3d(Tensor(zeros: [1, 2, 4, 4]), scale: [2, 2, 2]) }
        #expect(throws: RuntimeError.self) { try engine.resizeBilinear2d(Tensor(zeros: [1, 2, 4, 4]), size: [0, 3]) }
        let op = try OpCatalog.op(named: "interpolate")
        let input = ["input": Tensor(zeros: [1, 2, 4, 4])]
        #expect(throws: OpError.self) {
            try op.call(engine, OpArguments(tensors: input, parameters: ["mode": "nearest", "size": "8,8", "align_corners": "true"]))
        }
        #expect(throws: OpError.self) {
            try op.call(engine, OpArguments(tensors: ["input": x], parameters: ["mode": "trilinear", "scale_factor": "2", "align_corners": "true"]))
        }
        #expect(throws: OpError.self) {
            try op.call(engine, OpArguments(tensors: input, parameters: ["mode": "nearest", "scale_factor": "1.5"]))
        }
        #expect(throws: OpError.self) {
            try op.call(engine, OpArguments(tensors: input, parameters: ["mode": "bicubic", "size": "8,8"]))
        }
        let sample = try OpCatalog.op(named: "grid_sample")
        #expect(throws: OpError.self) {
            try sample.call(engine, OpArguments(tensors: ["input": x, "grid": Tensor(zeros: [1, 2, 2, 2, 3])], parameters: ["padding_mode": "reflection"]))
        }
    }
}
