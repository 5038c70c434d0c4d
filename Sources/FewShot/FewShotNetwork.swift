import Foundation
import Kernels
import NetworkCore
import Runtime

/// A person's identity for the few-shot generator: ê, the mean of the K frames' embedder
/// vectors, and ψ̂ = P·ê, the AdaIN parameters projected from it. Saving these (an avatar)
/// lets later renders skip the embedder.
public struct FewShotIdentity: Sendable, Equatable {
    /// ê `[E]`: the mean of the per-frame vectors.
    public let vector: [Float]
    /// ψ̂ `[psiLength]`: P·ê (every AdaIN's mean and std, in the public implementation's order).
    public let psi: [Float]
    /// How many frames were averaged.
    public let frames: Int

    /// An identity from saved values.
    public init(vector: [Float], psi: [Float], frames: Int) {
        self.vector = vector; self.psi = psi; self.frames = frames
    }
}

/// The few-shot talking heads of Zakharov et al. (ICCV 2019), feed-forward (no fine-tuning: the
/// identity comes from the embedder alone, ψ̂ = P·ê), in the checkpoint layout of
/// vincent-thevenin/Realistic-Neural-Talking-Head-Models (docs/fewshot.md). Images are
/// `[N, 3, S, S]` in [0, 1], S a multiple of 64 (256 for the released layout), in normal
/// orientation: the network was trained on H ↔ W transposed images (its data loader's
/// `transpose(2, 4)`), so inputs are transposed on the way in and the output on the way out.
public final class FewShotNetwork: @unchecked Sendable {
    /// Where the network runs.
    public let engine: Engine
    /// The widths read from the weights.
    public let widths: FewShotWidths
    let layout: FewShotLayout
    private let parameters: [String: Tensor]
    private let gammas: [String: Float]

    /// Loads weights written by reference/convert_fewshot.py (metadata `widths`).
    public convenience init(weights path: String, engine: Engine) throws {
        let file = try SafeTensorsFile(path: path)
        let text = file.metadata["widths"] ?? ""
        guard let widths = FewShotWidths(metadata: text) else { throw FewShotError.badWidths(path: path, found: text) }
        try self.init(tensors: try file.allTensors(), widths: widths, engine: engine)
    }

    /// Uses host `tensors` (our names), checked against `widths`, made resident on `engine` once.
    public init(tensors: [String: Tensor], widths: FewShotWidths, engine: Engine) throws {
        let layout = FewShotLayout(widths)
        try layout.validate(tensors)
        var gammas: [String: Float] = [:]
        for p in FewShotLayout.attentionBlocks {
            guard let value = tensors[p + ".gamma"]?.hostValues?.first else {
                throw FewShotError.missingTensor(name: p + ".gamma", expectedShape: [1])
            }
            gammas[p] = value
        }
        self.engine = engine
        self.widths = widths
        self.layout = layout
        self.gammas = gammas
        parameters = try layout.collector.upload(Weights(tensors: tensors), to: engine)
    }

    func forward(_ recorder: StageRecorder?) -> FewShotForward {
        FewShotForward(engine: engine, parameters: parameters, recorder: recorder, layout: layout, gammas: gammas)
    }

    /// Checks `[N, 3, S, S]` with S a positive multiple of 64 (six halvings in the embedder).
    func checkImages(_ t: Tensor, _ what: String, count: Int? = nil) throws {
        guard t.rank == 4, t.shape[1] == 3, t.shape[2] == t.shape[3], t.shape[2] >= 64, t.shape[2] % 64 == 0, t.shape[0] >= 1,
              count.map({ t.shape[0] == $0 }) ?? true else {
            throw FewShotError.badInput(what: what, expected: "[\(count.map(String.init) ?? "N"), 3, S, S] with S a multiple of 64", found: t.shape)
        }
    }

    /// The identity of K source frames: `images` and their rasterised `landmarks`, both
    /// `[K, 3, S, S]` in [0, 1], normal orientation. Stages are recorded under the reference's names.
    public func identity(images: Tensor, landmarks: Tensor, recorder: StageRecorder? = nil) throws -> FewShotIdentity {
        try checkImages(images, "the source images")
        try checkImages(landmarks, "the source landmark images", count: images.shape[0])
        return try networkIdentity(images: try engine.transpose(try engine.resident(images)),
                                   landmarks: try engine.transpose(try engine.resident(landmarks)), recorder: recorder)
    }

    /// The identity of network-orientation (H ↔ W transposed) images: the embedder on each frame,
    /// ê their mean in float as `torch.mean` (sum, then one division), then ψ̂.
    func networkIdentity(images: Tensor, landmarks: Tensor, recorder: StageRecorder?) throws -> FewShotIdentity {
        let vectors = try engine.values(try forward(recorder).embed(images: images, landmarks: landmarks))
        let k = images.shape[0], e = widths.embedding
        var mean = [Float](repeating: 0, count: e)
        for frame in 0..<k { for i in 0..<e { mean[i] += vectors[frame * e + i] } }
        for i in 0..<e { mean[i] /= Float(k) }
        return try identity(vector: mean, frames: k, recorder: recorder)
    }

    /// The identity of an already averaged vector ê (ψ̂ = P·ê on the engine).
    public func identity(vector: [Float], frames: Int, recorder: StageRecorder? = nil) throws -> FewShotIdentity {
        guard vector.count == widths.embedding else { throw FewShotError.identityMismatch(expected: widths.embedding, found: vector.count) }
        let f = forward(recorder)
        let e = Tensor(shape: [1, widths.embedding], values: vector)
        let psi = try engine.linear(e, weight: try f.parameter("generator.p"), bias: nil)
        try f.count(2 * Double(widths.psiLength * widths.embedding))
        try f.record("identity.e_hat", e)
        try f.record("identity.psi", psi)
        return FewShotIdentity(vector: vector, psi: try engine.values(psi), frames: frames)
    }

    /// The generated faces `[N, 3, S, S]` in [0, 1] (normal orientation, resident on the engine)
    /// for driver landmark images `[N, 3, S, S]` and `identity`.
    public func render(landmarks: Tensor, identity: FewShotIdentity, recorder: StageRecorder? = nil) throws -> Tensor {
        try checkImages(landmarks, "the driver landmark images")
        guard identity.psi.count == widths.psiLength else { throw FewShotError.identityMismatch(expected: widths.psiLength, found: identity.psi.count) }
        return try render(landmarks: landmarks, style: try FewShotStyle(psi: identity.psi, widths: widths, engine: engine), recorder: recorder)
    }

    /// `render(landmarks:identity:)` with ψ̂'s slices already resident (a clip makes them once).
    func render(landmarks: Tensor, style: FewShotStyle, recorder: StageRecorder?) throws -> Tensor {
        try engine.transpose(try forward(recorder).generate(landmarks: try engine.transpose(try engine.resident(landmarks)), style: style))
    }

    /// Both passes on network-orientation tensors, as the public code takes them (parity checks):
    /// the identity of `images`/`landmarks` and the raw generator output for `driver`.
    public func networkOrientationPasses(images: Tensor, landmarks: Tensor, driver: Tensor,
                                         recorder: StageRecorder?) throws -> (identity: FewShotIdentity, image: Tensor) {
        try checkImages(images, "the source images")
        try checkImages(landmarks, "the source landmark images", count: images.shape[0])
        try checkImages(driver, "the driver landmark images")
        let id = try networkIdentity(images: try engine.resident(images), landmarks: try engine.resident(landmarks), recorder: recorder)
        let style = try FewShotStyle(psi: id.psi, widths: widths, engine: engine)
        return (id, try forward(recorder).generate(landmarks: try engine.resident(driver), style: style))
    }
}
