import FewShot
import Foundation
import Kernels
import NetworkCore
import Runtime
import Testing

/// The tiny network (converted from a random public-layout checkpoint) against our PyTorch
/// reference, stage by stage, on the CPU and on OpenCL (Tests/Fixtures/fewshot).
@Suite(.serialized)
struct TinyGoldenTests {
    /// Every stage the reference recorded, within 1e-4 of its largest magnitude.
    func checkStages(_ engine: Engine) throws {
        let io = try Support.tinyIO()
        let network = try FewShotNetwork(weights: Support.fixture("tiny-weights.safetensors"), engine: engine)
        #expect(network.widths == .tiny)
        let recorder = StageRecorder()
        let (identity, image) = try network.networkOrientationPasses(
            images: try #require(io["input.images"]), landmarks: try #require(io["input.landmarks"]),
            driver: try #require(io["input.driver"]), recorder: recorder)
        try recorder.record(name: "image", tensor: image, engine: engine)
        #expect(identity.frames == 2)
        let names = io.keys.filter { !$0.hasPrefix("input.") && !$0.hasPrefix("k1.") }.sorted()
        #expect(names.count >= 20)
        for name in names {
            let expected = try #require(io[name])
            let actual = try #require(recorder[name], "stage \(name) was not recorded")
            #expect(actual.shape == expected.shape, "\(name): shape \(actual.shape) vs reference \(expected.shape)")
            let error = Support.maxRelative(actual.hostValues!, expected.hostValues!)
            #expect(error <= 1e-4, "\(name): max relative error \(error) on \(engine.name)")
        }
    }

    @Test("CPU engine reproduces every reference stage")
    func cpuStages() throws { try checkStages(Support.cpu) }

    @Test("OpenCL engine reproduces every reference stage")
    func openclStages() throws {
        guard let engine = Support.opencl else {
            #expect(!Support.openclRequired, "no OpenCL device (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)")
            return
        }
        try checkStages(engine)
    }

    @Test("K = 1 and K = 2 give the identities the averaging says")
    func averaging() throws {
        let io = try Support.tinyIO()
        let network = try FewShotNetwork(weights: Support.fixture("tiny-weights.safetensors"), engine: Support.cpu)
        let images = try #require(io["input.images"]), landmarks = try #require(io["input.landmarks"])
        let recorder = StageRecorder(only: ["embedder.vectors"])
        let two = try network.networkOrientationPasses(images: images, landmarks: landmarks, driver: try #require(io["input.driver"]),
                                                       recorder: recorder)
        let vectors = try #require(recorder["embedder.vectors"]).hostValues!
        let e = network.widths.embedding
        // ê of two frames is the mean of the two frame vectors.
        for i in 0..<e { #expect(abs(two.identity.vector[i] - (vectors[i] + vectors[e + i]) / 2) <= 1e-6) }
        // The first frame alone: ê is its own vector, the reference's K = 1 vector, and the image differs.
        let first = Tensor(shape: [1, 3, 64, 64], values: Array(images.hostValues!.prefix(3 * 64 * 64)))
        let firstLandmarks = Tensor(shape: [1, 3, 64, 64], values: Array(landmarks.hostValues!.prefix(3 * 64 * 64)))
        let one = try network.networkOrientationPasses(images: first, landmarks: firstLandmarks, driver: try #require(io["input.driver"]),
                                                       recorder: nil)
        #expect(Support.maxRelative(one.identity.vector, try #require(io["k1.identity.e_hat"]).hostValues!) <= 1e-4)
        let imageOne = try Support.cpu.values(one.image), imageTwo = try Support.cpu.values(two.image)
        #expect(Support.maxRelative(imageOne, try #require(io["k1.image"]).hostValues!) <= 1e-4)
        #expect(Support.psnr(imageOne, imageTwo) < 50, "K changes the identity, so the image must change (the reference: 39.5 dB)")
    }

    @Test("normal-orientation API transposes in and out")
    func orientation() throws {
        let io = try Support.tinyIO()
        let engine = Support.cpu
        let network = try FewShotNetwork(weights: Support.fixture("tiny-weights.safetensors"), engine: engine)
        // The fixture's inputs are in network orientation; transposed, they are normal-orientation images.
        let images = try engine.host(try engine.transpose(try #require(io["input.images"])))
        let landmarks = try engine.host(try engine.transpose(try #require(io["input.landmarks"])))
        let driver = try engine.host(try engine.transpose(try #require(io["input.driver"])))
        let identity = try network.identity(images: images, landmarks: landmarks)
        #expect(Support.maxRelative(identity.vector, try #require(io["identity.e_hat"]).hostValues!) <= 1e-4)
        let image = try engine.values(try network.render(landmarks: driver, identity: identity))
        let expected = try engine.values(try engine.transpose(try #require(io["image"])))
        #expect(Support.maxRelative(image, expected) <= 1e-4)
    }

    @Test("wrong inputs and saved identities are refused with what was expected")
    func refusals() throws {
        let network = try FewShotNetwork(weights: Support.fixture("tiny-weights.safetensors"), engine: Support.cpu)
        let odd = Tensor(zeros: [1, 3, 48, 48])
        #expect(throws: FewShotError.self) { try network.render(landmarks: odd, identity: FewShotIdentity(vector: [], psi: [], frames: 1)) }
        let good = Tensor(zeros: [1, 3, 64, 64])
        #expect(throws: FewShotError.identityMismatch(expected: network.widths.psiLength, found: 3)) {
            try network.render(landmarks: good, identity: FewShotIdentity(vector: [], psi: [1, 2, 3], frames: 1))
        }
        #expect(throws: FewShotError.self) { try network.identity(images: good, landmarks: Tensor(zeros: [2, 3, 64, 64])) }
        var tensors = try SafeTensorsFile(path: Support.fixture("tiny-weights.safetensors")).allTensors()
        tensors["generator.p"] = Tensor(zeros: [3, 3])
        #expect(throws: FewShotError.wrongShape(name: "generator.p", expected: [FewShotWidths.tiny.psiLength, 16], found: [3, 3])) {
            try FewShotNetwork(tensors: tensors, widths: .tiny, engine: Support.cpu)
        }
        #expect(FewShotWidths(metadata: FewShotWidths.full.description) == .full)
        #expect(FewShotWidths(metadata: "1,2;3") == nil)
    }
}
