import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Runtime
import Testing

/// Loading the converted weights strictly, and the one error that lists every mismatch.
struct LivePortraitWeightsTests {
    @Test("the fixture weights load strictly for the tiny preset; the spec list is the file's")
    func fixtureWeightsLoad() throws {
        let config = try LivePortraitConfig.tiny
        let weights = try Weights.load(path: LPTestSupport.weightsPath, config: config)
        let specs = Weights.expected(config: config)
        #expect(specs.count == 285)
        #expect(Set(specs.map(\.name)) == Set(weights.tensors.keys))
        #expect(weights.sourceConfig == "liveportrait-tiny")
    }

    @Test("the released layout has the converter's 462 tensors and 130,069,396 values (docs §7.2)")
    func releasedLayout() throws {
        let specs = Weights.expected(config: try LivePortraitConfig.released)
        #expect(specs.count == 462)
        #expect(specs.reduce(0) { $0 + $1.count } == 130_069_396)
    }

    @Test("a wrong shape, a missing and an unexpected tensor give one WeightsError listing all three")
    func mismatchListsEveryProblem() throws {
        let config = try LivePortraitConfig.tiny
        var tensors = try Weights.load(path: LPTestSupport.weightsPath, config: config).tensors
        tensors["motion.stem.weight"] = Tensor(zeros: [8, 3, 3, 3])
        tensors["decoder.fc.bias"] = nil
        tensors["decoder.extra.weight"] = Tensor(zeros: [2])
        // Checked in memory (the file path is the same check, tested for MegaPortraits).
        do {
            try Weights(tensors: tensors).validate(against: config)
            Issue.record("mismatched weights validated")
        } catch let WeightsError.mismatch(name, _, problems) {
            #expect(name == "liveportrait-tiny" && problems.count == 3, "\(problems)")
            #expect(problems.contains(.wrongShape(name: "motion.stem.weight", expected: [8, 3, 4, 4], found: [8, 3, 3, 3])))
            #expect(problems.contains(.missing(name: "decoder.fc.bias", shape: [8])))
            #expect(problems.contains(.unexpected(name: "decoder.extra.weight", shape: [2])))
        }
        #expect(throws: WeightsError.self) {
            _ = try LivePortraitNetwork(config: config, weights: Weights(tensors: tensors), engine: LPTestSupport.cpu)
        }
    }

    @Test("weights for another config name the config they were written for")
    func otherConfigHint() throws {
        let released = try LivePortraitConfig.released
        do {
            _ = try Weights.load(path: LPTestSupport.weightsPath, config: released)
            Issue.record("tiny weights loaded for the released config")
        } catch let e as WeightsError {
            #expect(e.description.contains("pass --config liveportrait-tiny"), "\(e)")
        }
    }
}
