import Foundation
import Kernels
import Runtime
import Testing

/// Golden outputs from PyTorch (made by reference/make_op_fixtures.py): each file in
/// Tests/Fixtures/ops holds the inputs, the `output`, and metadata naming the op and its
/// parameters. The CPU path must reproduce PyTorch within the op's tolerance.
struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/ops")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.sorted()
    }

    @Test("CPU path matches PyTorch", arguments: files)
    func cpuMatchesPyTorch(_ file: String) throws {
        let fixture = try SafeTensorsFile(path: Self.directory.appendingPathComponent(file).path)
        var metadata = fixture.metadata
        let removedOp = metadata.removeValue(forKey: "op")
        let opName = try #require(removedOp, "\(file) has no 'op' metadata")
        let op = try OpCatalog.op(named: opName)
        var tensors = try fixture.allTensors()
        let removedOutput = tensors.removeValue(forKey: "output")
        let expected = try #require(removedOutput, "\(file) has no 'output' tensor")
        let actual = try op.call(TestEngines.cpu, OpArguments(tensors: tensors, parameters: metadata))
        #expect(actual.shape == expected.shape, "\(file): shape \(actual.shape) vs PyTorch \(expected.shape)")
        let result = Comparison(actual: try TestEngines.cpu.values(actual), reference: expected.hostValues!, tolerance: op.tolerance)
        #expect(result.passed, "\(file): \(result)")
    }

    @Test("every op in the catalog has a PyTorch golden fixture")
    func everyOpHasAFixture() throws {
        var covered = Set<String>()
        for file in Self.files {
            let fixture = try SafeTensorsFile(path: Self.directory.appendingPathComponent(file).path)
            if let op = fixture.metadata["op"] { covered.insert(op) }
        }
        let missing = OpCatalog.all.map(\.name).filter { !covered.contains($0) }
        #expect(missing.isEmpty, "ops without a PyTorch fixture: \(missing)")
    }
}
