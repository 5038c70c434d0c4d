import FaceParsing
import Foundation
import Kernels
import Runtime
import Testing

/// The Swift FaceParser against our PyTorch reference (tiny widths, fixture from
/// reference/make_face_parsing_fixtures.py), on the CPU and on OpenCL.
struct FaceParserTests {
    static let io = try? SafeTensorsFile(path: Support.fixture("tiny-io.safetensors"))

    @Test("procedural weights equal the reference's bit for bit (the official fixtures rely on it)")
    func proceduralWeightsMatchPython() throws {
        let file = try SafeTensorsFile(path: Support.fixture("tiny-weights.safetensors"))
        let expected = try file.allTensors()
        let generated = BiSeNetWidths.tiny.proceduralWeights(seed: 2)
        #expect(Set(generated.keys) == Set(expected.keys))
        for (name, tensor) in expected {
            #expect(generated[name]?.shape == tensor.shape, "\(name)")
            #expect(generated[name]?.hostValues == tensor.hostValues, "\(name) differs from layout.py procedural_weights")
        }
        #expect(try BiSeNetWidths.reading(expected) == .tiny)
    }

    static var engines: [String] { ["cpu", "opencl"] }

    static func engine(_ name: String) throws -> Engine? {
        if name == "cpu" { return Support.cpu }
        if Support.opencl == nil && Support.openclRequired { throw RuntimeError.noOpenCLDevice(reason: "no OpenCL device (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)") }
        return Support.opencl
    }

    @Test("tiny network: logits and masks match the PyTorch reference", arguments: engines)
    func tinyMatchesReference(_ engineName: String) throws {
        guard let engine = try Self.engine(engineName) else { return }
        let io = try #require(Self.io)
        let size = try #require(Int(io.metadata["size"] ?? ""))
        let parser = try FaceParser(weights: Support.fixture("tiny-weights.safetensors"), engine: engine, networkSize: size)
        #expect(parser.widths == .tiny)
        let image = try io.tensor("image")
        let logits = try engine.host(try parser.logits(for: image))
        let expected = try io.tensor("logits")
        #expect(logits.shape == expected.shape)
        let error = Support.maxRelative(logits.hostValues!, expected.hostValues!)
        #expect(error < 1e-4, "\(engineName): logits max relative error \(error)")
        let mask = try parser.mask(for: image)
        #expect(mask.shape == [1, 1, 40, 48])
        let agreement = Support.agreement(mask.hostValues!, try io.tensor("mask").hostValues!)
        #expect(agreement >= 0.999, "\(engineName): default-label mask agrees on \(agreement * 100) % of pixels")
        let custom = (io.metadata["custom_labels"] ?? "").split(separator: ",").compactMap { Int($0) }
        #expect(!custom.isEmpty)
        let customMask = try parser.mask(for: image, labels: custom)
        let customAgreement = Support.agreement(customMask.hostValues!, try io.tensor("mask_custom").hostValues!)
        #expect(customAgreement >= 0.999, "\(engineName): custom-label mask agrees on \(customAgreement * 100) %")
        print("tiny vs reference (\(engineName)): logits max relative error \(error), masks \(agreement), \(customAgreement)")
        // The two masks differ on this image, so a mask that ignored its labels would fail one of them.
        #expect(mask.hostValues! != customMask.hostValues!)
    }

    @Test("mask(fromLogits:) takes the first of equal maxima, as torch.argmax")
    func argmaxTies() throws {
        // 2 pixels, 3 classes: pixel 0 ties classes 1 and 2; pixel 1 is class 0.
        let logits = Tensor(shape: [1, 3, 1, 2], values: [0, 5, 3, 1, 3, 1])
        #expect(try FaceParser.mask(fromLogits: logits, labels: [1]).hostValues == [1, 0])
        #expect(try FaceParser.mask(fromLogits: logits, labels: [2]).hostValues == [0, 0])
        #expect(try FaceParser.mask(fromLogits: logits, labels: [0]).hostValues == [0, 1])
    }
}
