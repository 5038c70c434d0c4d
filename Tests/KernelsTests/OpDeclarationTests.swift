import Foundation
import Kernels
import Runtime
import Testing

/// The single op declaration: the catalog counts what the engine records, and validate mode
/// re-runs OpenCL results on the CPU and catches a wrong one.
struct OpDeclarationTests {
    /// Cases small enough to run every op on the CPU quickly (the `mp` shapes are left out).
    static var smallCases: [OpCaseID] { OpCaseID.all.filter { !$0.testCase.label.hasPrefix("mp") } }

    @Test("the catalog's cost equals what the engine records for the call", arguments: smallCases)
    func catalogCostMatchesEngine(_ id: OpCaseID) throws {
        let engine = Engine.cpu()
        let profiler = Profiler()
        engine.profiler = profiler
        let args = id.testCase.arguments(seed: 1)
        _ = try id.op.call(engine, args)
        let recorded = profiler.drain()
        let flops = recorded.reduce(0) { $0 + $1.cost.flops }, bytes = recorded.reduce(0) { $0 + $1.cost.bytes }
        #expect(!recorded.isEmpty, "\(id): nothing recorded")
        #expect(id.op.cost(args).flops == flops, "\(id): catalog \(id.op.cost(args).flops) FLOPs, engine recorded \(flops)")
        #expect(id.op.cost(args).bytes == bytes, "\(id): catalog \(id.op.cost(args).bytes) bytes, engine recorded \(bytes)")
    }

    @Test("the catalog's tolerance is the declaration's", arguments: smallCases)
    func catalogToleranceMatchesDeclaration(_ id: OpCaseID) throws {
        guard let declare = id.op.declaration else { return }
        let op = try declare(id.testCase.arguments(seed: 1)).op
        #expect(op.tolerance.absolute == id.op.tolerance.absolute && op.tolerance.relative == id.op.tolerance.relative,
                "\(id): catalog \(id.op.tolerance), declaration \(op.tolerance)")
    }

    @Test("the FLOP counts that used to disagree: sigmoid 4/element, add 3/element, affine_grid per output value")
    func formerlyDisagreeingCounts() throws {
        let x = Tensor(shape: [2, 5], values: [Float](repeating: 0.5, count: 10))
        let sigmoid = try OpCatalog.op(named: "sigmoid").cost(OpArguments(tensors: ["input": x]))
        #expect(sigmoid.flops == 40)
        let add = try OpCatalog.op(named: "add").cost(OpArguments(tensors: ["input": x, "other": x]))
        #expect(add.flops == 30)
        let theta = Tensor(shape: [2, 3, 4], values: [Float](repeating: 0, count: 24))
        let grid = try OpCatalog.op(named: "affine_grid").cost(OpArguments(tensors: ["theta": theta], parameters: ["size": "2,1,3,4,5"]))
        #expect(grid.flops == Double(2 * 3 * 4 * 5 * 3 * 6))
    }

    @Test("PORTRAIT_VALIDATE values")
    func parsing() throws {
        #expect(try Validation.parse("") == nil)
        #expect(try Validation.parse("0") == nil)
        #expect(try Validation.parse("1") != nil)
        #expect(try Validation.parse("1")?.tolerance == nil)
        let custom = try #require(try Validation.parse("1e-4, 1e-3"))
        #expect(custom.tolerance?.absolute == 1e-4 && custom.tolerance?.relative == 1e-3)
        #expect(throws: ValidationError.self) { try Validation.parse("sometimes") }
        #expect(throws: ValidationError.self) { try Validation.parse("1e-4") }
    }
}

/// Validate mode on OpenCL (PoCL in CI). Serialized with the other suites that share the queue.
@Suite(.serialized)
struct ValidateModeTests {
    /// A validating engine on the shared OpenCL context, or nil without a device.
    static func validatingEngine() -> Engine? {
        guard let gpu = TestEngines.opencl else {
            if TestEngines.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
            return nil
        }
        let engine = Engine(backend: gpu.backend, variants: gpu.variants)
        engine.validation = Validation()
        return engine
    }

    /// An op whose OpenCL launch is deliberately wrong: the CPU doubles, the kernel triples.
    struct WrongScale: EngineOp {
        let outputShape: [Int]
        var name: String { "wrong_scale" }
        var cost: KernelCost { .zero }
        var tolerance: Tolerance { .tight }
        func cpu(_ inputs: [[Float]]) -> [Float] { inputs[0].map { 2 * $0 } }
        func openCL(_ l: OpenCLLaunch) throws {
            let count = outputShape.reduce(1, *)
            try l.context.launch("scale_shift", global: [count], local: [256],
                                 arguments: [.buffer(l.input(0)), .buffer(l.outputBuffer), .i(count), .float(3), .float(0)])
        }
    }

    @Test("validate mode throws for a wrong OpenCL result, naming the op, shape and error")
    func catchesWrongResult() throws {
        guard let engine = Self.validatingEngine() else { return }
        let x = Tensor.random([2, 3, 5], seed: 9, range: 1...2)
        do {
            _ = try engine.run(WrongScale(outputShape: x.shape), [x])
            Issue.record("a wrong OpenCL result passed validation")
        } catch let error as ValidationError {
            let text = error.description
            #expect(text.contains("wrong_scale") && text.contains("[2, 3, 5]") && text.contains("max|Δ|"), "\(text)")
        }
        engine.validation = nil
        _ = try engine.run(WrongScale(outputShape: x.shape), [x])   // off: not checked
    }

    @Test("validate mode passes every declared catalog op on its odd cases, and a network-style chain")
    func passesCorrectOps() throws {
        guard let engine = Self.validatingEngine() else { return }
        for id in OpDeclarationTests.smallCases {
            _ = try engine.values(try id.op.call(engine, id.testCase.arguments(seed: 3)))
        }
        #expect(engine.validatedOps >= OpCatalog.all.count)
        // A residual block's shape of work: group norm + relu, pooling, upsampling, residual add.
        let before = engine.validatedOps
        let x = Tensor.random([1, 8, 12, 12], seed: 4, range: -1...1)
        let weight = Tensor.random([8], seed: 5, range: 0.5...1.5), bias = Tensor.random([8], seed: 6, range: -0.5...0.5)
        let h = try engine.groupNorm(x, groups: 4, weight: weight, bias: bias, relu: true)
        let pooled = try engine.avgPool2d(h, kernel: [2])
        let up = try engine.upsampleNearest2d(pooled, scale: 2)
        _ = try engine.values(try engine.add(up, x))
        #expect(engine.validatedOps == before + 4)
    }
}
