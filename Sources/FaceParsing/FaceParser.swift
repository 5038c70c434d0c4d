import Foundation
import Kernels
import Runtime

/// The EMOPortraits source mask: BiSeNet face parsing (19 classes) with the official wrapper's
/// pre- and post-processing (EMOPortraits `networks/volumetric_avatar/face_parcing.py`), on any
/// engine. An `[N, 3, h, w]` image in [0, 1] is normalised with the ImageNet mean and standard
/// deviation, resized to `networkSize`² (bilinear, align_corners=False), parsed, and the logits
/// resized back to h×w (bilinear, align_corners=False); the mask is 1 where the arg-max class is
/// one of the mask labels. EMOPortraits multiplies the source crop by this mask (after `> 0.6`,
/// which leaves a 0/1 mask unchanged) before its encoders.
public final class FaceParser: @unchecked Sendable {
    /// EMOPortraits' default `mask_labels`: skin, brows, eyes, glasses, ears, earring, nose,
    /// mouth, lips, neck, hair, hat (everything but background 0, necklace 15 and cloth 16).
    public static let defaultMaskLabels = [1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 7, 8, 9, 14, 17, 18]
    /// ImageNet normalisation used by the wrapper.
    static let mean: [Float] = [0.485, 0.456, 0.406]
    static let std: [Float] = [0.229, 0.224, 0.225]

    /// The engine the network runs on.
    public let engine: Engine
    /// The network's widths, read from the weights.
    public let widths: BiSeNetWidths
    /// The square size the image is resized to before the network (512 in EMOPortraits; smaller
    /// sizes are for tests: the network runs at any size ≥ 32).
    public let networkSize: Int
    private let network: BiSeNet
    private let shift: Tensor
    private let scale: Tensor

    /// Loads weights written by reference/convert_face_parsing.py (safetensors, our names, BatchNorm
    /// folded). Throws `FaceParsingError` for missing, misshaped or unexpected tensors.
    public convenience init(weights path: String, engine: Engine, networkSize: Int = 512) throws {
        let file = try SafeTensorsFile(path: path)
        try self.init(tensors: try file.allTensors(), engine: engine, networkSize: networkSize)
    }

    /// Uses `tensors` (our names; host or resident on `engine`), checked against the widths
    /// they imply, and makes them resident on `engine` once.
    public init(tensors: [String: Tensor], engine: Engine, networkSize: Int = 512) throws {
        guard networkSize >= 32 else {
            throw FaceParsingError.badInput("the network size must be at least 32 (BiSeNet downsamples by 32), got \(networkSize)")
        }
        let widths = try BiSeNetWidths.reading(tensors)
        let layers = BiSeNetParameters(widths)
        try layers.validate(tensors)
        self.engine = engine
        self.widths = widths
        self.networkSize = networkSize
        network = BiSeNet(layers: layers, parameters: try layers.upload(tensors, to: engine), engine: engine)
        shift = try engine.resident(Tensor(shape: [1, 3, 1, 1], values: Self.mean.map { -$0 }))
        scale = try engine.resident(Tensor(shape: [1, 3, 1, 1], values: Self.std.map { 1 / $0 }))
    }

    /// BiSeNet's main output for an already normalised `[N, 3, H, W]` input: `[N, classes, H, W]`
    /// logits (resident on the engine). H and W should be multiples of 32, as in the wrapper.
    public func networkLogits(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.shape[1] == 3, input.shape[2] >= 32, input.shape[3] >= 32 else {
            throw FaceParsingError.badInput("the network input must be [N, 3, H, W] with H, W ≥ 32, got \(input.shapeDescription)")
        }
        return try network.logits(try engine.resident(input))
    }

    /// The wrapper's class scores for an `[N, 3, h, w]` image in [0, 1]: `[N, classes, h, w]`
    /// logits at the image's size (resident on the engine), before the arg-max.
    public func logits(for image: Tensor) throws -> Tensor {
        guard image.rank == 4, image.shape[1] == 3, image.shape[0] >= 1, image.shape[2] >= 1, image.shape[3] >= 1 else {
            throw FaceParsingError.badInput("the image must be [N, 3, H, W] with values in [0, 1], got \(image.shapeDescription)")
        }
        // (x − mean) / std, computed as (x + (−mean)) · (1/std): within an ulp of the division.
        let normalised = try engine.multiply(try engine.add(try engine.resident(image), broadcasting: shift), broadcasting: scale)
        let resized = try engine.resizeBilinear2d(normalised, size: [networkSize, networkSize])
        let classes = try network.logits(resized)
        return try engine.resizeBilinear2d(classes, size: [image.shape[2], image.shape[3]])
    }

    /// The source mask for an `[N, 3, h, w]` image in [0, 1]: an `[N, 1, h, w]` host tensor of
    /// 0 and 1, 1 where the arg-max class is in `labels`. The arg-max runs on the host (one
    /// download of the logits); upload the mask with `engine.resident` to multiply on the device.
    public func mask(for image: Tensor, labels: [Int] = FaceParser.defaultMaskLabels) throws -> Tensor {
        for label in labels where !(0..<widths.classes).contains(label) { throw FaceParsingError.badLabel(label, classes: widths.classes) }
        return try Self.mask(fromLogits: engine.host(try logits(for: image)), labels: labels)
    }

    /// `[N, 1, H, W]` of 0/1 from host `[N, classes, H, W]` logits: 1 where the arg-max class
    /// (the first of equal maxima, as `torch.argmax`) is in `labels`.
    public static func mask(fromLogits logits: Tensor, labels: [Int]) throws -> Tensor {
        guard logits.rank == 4, logits.shape[1] >= 1, let values = logits.hostValues else {
            throw FaceParsingError.badInput("logits must be a host [N, classes, H, W] tensor, got \(logits.shapeDescription)")
        }
        let (n, classes, plane) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
        var selected = [Bool](repeating: false, count: classes)
        for label in labels where (0..<classes).contains(label) { selected[label] = true }
        var out = [Float](repeating: 0, count: n * plane)
        for b in 0..<n {
            let base = b * classes * plane
            for p in 0..<plane {
                var best = 0
                var bestValue = values[base + p]
                for c in 1..<max(classes, 1) where values[base + c * plane + p] > bestValue {
                    best = c
                    bestValue = values[base + c * plane + p]
                }
                if selected[best] { out[b * plane + p] = 1 }
            }
        }
        return Tensor(shape: [n, 1, logits.shape[2], logits.shape[3]], values: out)
    }
}
