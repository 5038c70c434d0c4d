import Avatar
import Foundation
import Kernels
import Runtime
import Testing

/// Loading, checking and generating weights.
struct WeightsTests {
    @Test("the fixture weights fit the tiny config exactly (350 tensors, 0.53 M parameters)", .enabled(if: TestSupport.fixturesExist))
    func fixtureLoads() throws {
        let config = try ModelConfig.tiny
        let weights = try Weights.load(path: TestSupport.weightsPath, config: config)
        #expect(weights.tensors.count == 350)
        #expect(weights.sourceConfig == "tiny")
        let parameters = Weights.expected(config: config).reduce(0) { $0 + $1.count }
        #expect(abs(Double(parameters) / 1e6 - 0.53) < 0.01, "\(parameters) parameters")
    }

    @Test("megaportraits-512 expects 596 tensors and ≈170.4 M parameters (docs/weights.md)")
    func fullSizeCounts() throws {
        let specs = Weights.expected(config: try ModelConfig.megaPortraits512)
        #expect(specs.count == 596)
        let parameters = specs.reduce(0) { $0 + $1.count }
        #expect(abs(Double(parameters) / 1e6 - 170.4) < 0.1, "\(parameters) parameters")
        #expect(Weights.expected(config: try ModelConfig.emoPortraits512).count == 616)
    }

    @Test("random weights are deterministic per seed and fit the config")
    func randomWeights() throws {
        let config = try ModelConfig.tiny
        let a = Weights.random(config: config, seed: 7), b = Weights.random(config: config, seed: 7), c = Weights.random(config: config, seed: 8)
        try a.validate(against: config)
        let name = "g2d.blocks.0.conv1.weight"
        #expect(a.tensors[name]?.hostValues == b.tensors[name]?.hostValues)
        #expect(a.tensors[name]?.hostValues != c.tensors[name]?.hostValues)
        // Fan-in scaled: |w| ≤ sqrt(3 / fan_in); GN scales within 1 ± 0.1.
        let w = try #require(a.tensors[name]?.hostValues)
        let bound = Float((3.0 / Double(32 * 9)).squareRoot())
        #expect(w.allSatisfy { abs($0) <= bound })
        #expect(try #require(a.tensors["g2d.head_norm.weight"]?.hostValues).allSatisfy { abs($0 - 1) <= 0.1 })
    }

    @Test("a config/weights mismatch is one error listing every problem")
    func mismatchListsAll() throws {
        let config = try ModelConfig.tiny
        var tensors = Weights.random(config: config, seed: 1).tensors
        tensors.removeValue(forKey: "g3d.input")
        tensors.removeValue(forKey: "pose.fc.bias")
        tensors["g2d.head.weight"] = Tensor(zeros: [3, 8, 3, 3])
        tensors["extra.tensor"] = Tensor(zeros: [2])
        let path = TestSupport.temporaryPath("mismatch.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Weights(tensors: tensors).save(to: path, config: config)
        do {
            _ = try Weights.load(path: path, config: config)
            Issue.record("mismatched weights loaded")
        } catch let WeightsError.mismatch(name, _, problems) {
            #expect(name == "tiny")
            #expect(problems.count == 4, "\(problems)")
            #expect(problems.contains(.missing(name: "g3d.input", shape: [1, 16, 2, 2, 2])))
            #expect(problems.contains(.missing(name: "pose.fc.bias", shape: [9])))
            #expect(problems.contains(.wrongShape(name: "g2d.head.weight", expected: [3, 8, 1, 1], found: [3, 8, 3, 3])))
            #expect(problems.contains(.unexpected(name: "extra.tensor", shape: [2])))
        }
        // The same checks apply to weights built in memory.
        #expect(throws: WeightsError.self) { try Network(config: config, weights: Weights(tensors: tensors), engine: TestSupport.cpu) }
        // Weights of another config: every differing tensor is listed, with the file's config named.
        var other = config
        other.name = "tiny-wide"
        other.g2dChannels = 40
        do {
            _ = try Weights.load(path: TestSupport.weightsPath, config: other)
        } catch let e as WeightsError {
            guard case .mismatch(_, let fileConfig, let problems) = e else { Issue.record("\(e)"); return }
            #expect(fileConfig == "tiny")
            #expect(problems.count > 5)
            #expect(e.description.contains("written for config 'tiny'"))
        }
    }

    @Test("a truncated file and a header that lies are typed errors")
    func corruptFiles() throws {
        let config = try ModelConfig.tiny
        let good = TestSupport.temporaryPath("good.safetensors")
        try Weights.random(config: config, seed: 2).save(to: good, config: config)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let data = try Data(contentsOf: URL(fileURLWithPath: good))

        let truncated = TestSupport.temporaryPath("truncated.safetensors")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        #expect(throws: WeightsError.self) { try Weights.load(path: truncated, config: config) }

        // A header whose tensor claims more bytes than the file holds.
        let header = #"{"g3d.input":{"dtype":"F32","shape":[1,16,2,2,2],"data_offsets":[0,100000]}}"#
        var lying = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { lying.append(contentsOf: $0) }
        lying.append(Data(header.utf8))
        lying.append(Data(repeating: 0, count: 512))
        let lyingPath = TestSupport.temporaryPath("lying.safetensors")
        try lying.write(to: URL(fileURLWithPath: lyingPath))
        defer { try? FileManager.default.removeItem(atPath: lyingPath) }
        do {
            _ = try Weights.load(path: lyingPath, config: config)
            Issue.record("lying file loaded")
        } catch let WeightsError.file(e) {
            #expect(e.description.contains("g3d.input"))
        }
        #expect(throws: WeightsError.self) { try Weights.load(path: "/no/such/weights.safetensors", config: config) }
    }

    @Test("float16 weights load as float32 (memory-mapped, converted on access)")
    func float16Weights() throws {
        let config = try ModelConfig.tiny
        let weights = Weights.random(config: config, seed: 5)
        // A safetensors file with every tensor in F16, written by hand.
        var header: [String: Any] = ["__metadata__": ["format": Weights.formatTag]]
        var body = Data()
        for name in weights.tensors.keys.sorted() {
            let t = weights.tensors[name]!
            let start = body.count
            for v in t.hostValues! { withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { body.append(contentsOf: $0) } }
            header[name] = ["dtype": "F16", "shape": t.shape, "data_offsets": [start, body.count]]
        }
        var json = try JSONSerialization.data(withJSONObject: header)
        while json.count % 8 != 0 { json.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(body)
        let path = TestSupport.temporaryPath("f16.safetensors")
        try file.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try Weights.load(path: path, config: config)
        let name = "warp_driver.blocks.1.conv1.weight"
        #expect(loaded.tensors[name]?.hostValues == weights.tensors[name]?.hostValues?.map { Float(Float16($0)) })
        #expect(loaded.tensors.count == weights.tensors.count)
    }

    @Test("non-finite weights are reported by name")
    func nonFinite() throws {
        let config = try ModelConfig.tiny
        var tensors = Weights.random(config: config, seed: 4).tensors
        tensors["embedding.head.weight"] = Tensor(shape: [32, 32, 1, 1], values: [Float](repeating: .nan, count: 32 * 32))
        do {
            try Weights(tensors: tensors).validate(against: config)
            Issue.record("NaN weights accepted")
        } catch let WeightsError.mismatch(_, _, problems) {
            #expect(problems == [.notFinite(name: "embedding.head.weight")])
        }
    }
}
