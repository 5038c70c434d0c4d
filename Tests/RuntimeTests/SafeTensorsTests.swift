import Foundation
import Runtime
import Testing

struct SafeTensorsTests {
    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portraitcl-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test func roundTripKeepsValuesShapesAndMetadata() throws {
        let path = temporaryPath("round.safetensors")
        let a = Tensor.random([2, 3, 4], seed: 1)
        let b = Tensor(shape: [5], values: [1, -2, 3.5, 0, 1e-8])
        try SafeTensorsWriter.write(["a": a, "b": b], metadata: ["op": "relu", "stride": "2"], to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["a", "b"])
        #expect(file.metadata == ["op": "relu", "stride": "2"])
        #expect(try file.tensor("a").shape == [2, 3, 4])
        #expect(try file.tensor("a").hostValues == a.hostValues)
        #expect(try file.tensor("b").hostValues == b.hostValues)
    }

    @Test func truncatedFileIsRejectedWithAClearError() throws {
        let path = temporaryPath("trunc.safetensors")
        let data = try SafeTensorsWriter.encode(["w": Tensor.random([64], seed: 2)])
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        #expect {
            try SafeTensorsFile(path: path)
        } throws: { error in
            "\(error)".contains("needs 256 bytes") || "\(error)".contains("data section")
        }
    }

    @Test func lyingHeaderLengthIsRejected() throws {
        let path = temporaryPath("lying.safetensors")
        var data = try SafeTensorsWriter.encode(["w": Tensor.random([4], seed: 3)])
        data.replaceSubrange(0..<8, with: [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])
        try data.write(to: URL(fileURLWithPath: path))
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: path) }
    }

    @Test func missingFileAndMissingTensorAreTypedErrors() throws {
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: "/nonexistent/x.safetensors") }
        let path = temporaryPath("one.safetensors")
        try SafeTensorsWriter.write(["w": Tensor(zeros: [1])], to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(throws: SafeTensorsError.self) { try file.tensor("nope") }
    }

    @Test func float16TensorsAreConvertedOnLoad() throws {
        let path = temporaryPath("half.safetensors")
        let header = #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}}"#
        var json = Data(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Data()
        var len = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &len) { data.append(contentsOf: $0) }
        data.append(json)
        for v: Float16 in [1.5, -2, 0.25] { var bits = v.bitPattern.littleEndian; withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) } }
        try data.write(to: URL(fileURLWithPath: path))
        #expect(try SafeTensorsFile(path: path).tensor("h").hostValues == [1.5, -2, 0.25])
    }
}
