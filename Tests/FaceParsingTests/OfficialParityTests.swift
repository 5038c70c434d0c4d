import FaceParsing
import Foundation
import Kernels
import Runtime
import Testing

/// The Swift network against the official code: tensors computed by zllrunning's BiSeNet and
/// EMOPortraits' FaceParsing.forward (run outside this repository, docs/face-parsing.md) on the
/// released widths with procedural seed 1 weights, unfolded through random BatchNorm statistics
/// by `convert_face_parsing.py --random`.
struct OfficialParityTests {
    @Test("BiSeNet logits at 64×64 match the official network", arguments: FaceParserTests.engines)
    func networkMatchesOfficial(_ engineName: String) throws {
        guard let engine = try FaceParserTests.engine(engineName) else { return }
        let fixture = try SafeTensorsFile(path: Support.fixture("official-net.safetensors"))
        let parser = try FaceParser(tensors: Support.officialWeights, engine: engine)
        let logits = try engine.host(try parser.networkLogits(try fixture.tensor("input")))
        let expected = try fixture.tensor("logits")
        #expect(logits.shape == expected.shape)
        let error = Support.maxRelative(logits.hostValues!, expected.hostValues!)
        #expect(error < 1e-4, "\(engineName): logits max relative error \(error) against the official BiSeNet")
        let labels = try FaceParser.mask(fromLogits: logits, labels: [0])
        let official = try FaceParser.mask(fromLogits: expected, labels: [0])
        #expect(Support.agreement(labels.hostValues!, official.hostValues!) >= 0.999)
        print("official BiSeNet 64x64 (\(engineName)): max relative error \(error)")
    }

    @Test("the source mask (512 internal) matches EMOPortraits' FaceParsing", arguments: FaceParserTests.engines)
    func wrapperMatchesOfficial(_ engineName: String) throws {
        guard let engine = try FaceParserTests.engine(engineName) else { return }
        let fixture = try SafeTensorsFile(path: Support.fixture("official-wrapper.safetensors"))
        let parser = try FaceParser(tensors: Support.officialWeights, engine: engine, networkSize: 512)
        let image = try fixture.tensor("image")
        let logits = try engine.host(try parser.logits(for: image))
        let error = Support.maxRelative(logits.hostValues!, try fixture.tensor("logits").hostValues!)
        #expect(error < 1e-4, "\(engineName): wrapper logits max relative error \(error)")
        let mask = try FaceParser.mask(fromLogits: logits, labels: FaceParser.defaultMaskLabels)
        let agreement = Support.agreement(mask.hostValues!, try fixture.tensor("mask").hostValues!)
        #expect(agreement >= 0.999, "\(engineName): mask agrees with the official one on \(agreement * 100) % of pixels")
        print("official FaceParsing 40x48 @512 (\(engineName)): logits max relative error \(error), mask agreement \(agreement)")
    }
}
