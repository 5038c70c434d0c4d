import FaceParsing
import Foundation
import Kernels
import Runtime
import Testing

/// Bad weights and bad input throw typed errors that name the problem.
struct WeightsErrorTests {
    static let weights = BiSeNetWidths.tiny.proceduralWeights(seed: 2)

    @Test("a missing tensor is named")
    func missing() throws {
        var tensors = Self.weights
        tensors["context.head16.bias"] = nil
        #expect { try FaceParser(tensors: tensors, engine: Support.cpu, networkSize: 64) } throws: { error in
            guard case FaceParsingError.missingTensor(let name, let shape) = error else { return false }
            return name == "context.head16.bias" && shape == [16]
        }
        tensors = Self.weights
        tensors["resnet.conv1.weight"] = nil
        #expect(throws: FaceParsingError.self) { try FaceParser(tensors: tensors, engine: Support.cpu) }
    }

    @Test("a misshaped or unexpected tensor is refused")
    func shapes() throws {
        var tensors = Self.weights
        tensors["fusion.attention2.weight"] = Tensor(zeros: [32, 7, 1, 1])
        #expect { try FaceParser(tensors: tensors, engine: Support.cpu, networkSize: 64) } throws: { error in
            guard case FaceParsingError.wrongShape(let name, let expected, let found) = error else { return false }
            return name == "fusion.attention2.weight" && expected == [32, 8, 1, 1] && found == [32, 7, 1, 1]
        }
        tensors = Self.weights
        tensors["conv_out16.conv.weight"] = Tensor(zeros: [1])
        #expect(throws: FaceParsingError.self) { try FaceParser(tensors: tensors, engine: Support.cpu) }
    }

    @Test("bad images, labels and sizes are refused")
    func input() throws {
        #expect(throws: FaceParsingError.self) { try FaceParser(tensors: Self.weights, engine: Support.cpu, networkSize: 16) }
        let parser = try FaceParser(tensors: Self.weights, engine: Support.cpu, networkSize: 64)
        #expect(throws: FaceParsingError.self) { try parser.mask(for: Tensor(zeros: [1, 4, 8, 8])) }
        #expect(throws: FaceParsingError.self) { try parser.mask(for: Tensor(zeros: [3, 8, 8])) }
        #expect(throws: FaceParsingError.self) { try parser.mask(for: Tensor(zeros: [1, 3, 8, 8]), labels: [19]) }
        #expect(throws: FaceParsingError.self) { try parser.networkLogits(Tensor(zeros: [1, 3, 16, 64])) }
        #expect(throws: (any Error).self) { try FaceParser(weights: "/nonexistent/face.safetensors", engine: Support.cpu) }
    }
}
