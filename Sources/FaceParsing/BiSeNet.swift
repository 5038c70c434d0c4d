import Kernels
import NetworkCore
import Runtime

/// BiSeNet's forward pass (the face-parsing network of zllrunning/face-parsing.PyTorch) written
/// against `Engine`, over the folded layout of `BiSeNetWidths`: a ResNet-18 context path whose
/// 1/16 and 1/32 features pass attention refinement plus a global-context term, are upsampled
/// (nearest) and fused with the 1/8 features, then classified and upsampled to the input size
/// (bilinear, align_corners=True). Only the main output is computed (the two auxiliary heads
/// are training-only).
struct BiSeNet {
    /// The convolutions (NetworkCore layers with their strides).
    let layers: BiSeNetParameters
    /// The resident parameters the layers read.
    let forward: Forward
    var engine: Engine { forward.engine }

    /// The network over `layers` and their resident `parameters` on `engine`.
    init(layers: BiSeNetParameters, parameters: [String: Tensor], engine: Engine) {
        self.layers = layers
        forward = Forward(engine: engine, parameters: parameters, recorder: nil)
    }

    /// The convolution `name` (its declared stride, "same" padding), ReLU after it when `relu`.
    private func conv(_ x: Tensor, _ name: String, relu: Bool = true) throws -> Tensor {
        guard let layer = layers.convolutions[name] else { throw NetworkError.missingParameter(name + ".weight") }
        let y = try layer(forward, x)
        return relu ? try engine.relu(y) : y
    }

    private func basicBlock(_ x: Tensor, _ prefix: String) throws -> Tensor {
        let residual = try conv(try conv(x, prefix + ".conv1"), prefix + ".conv2", relu: false)
        let shortcut = layers.convolutions[prefix + ".downsample"] != nil ? try conv(x, prefix + ".downsample", relu: false) : x
        return try engine.relu(try engine.add(shortcut, residual))
    }

    /// feature · sigmoid(conv1×1(global mean of feature)), feature = ConvBNReLU(x).
    private func attentionRefinement(_ x: Tensor, _ prefix: String) throws -> Tensor {
        let feature = try conv(x, prefix + ".conv")
        let pooled = try engine.adaptiveAvgPool2d(feature, outputSize: [1])
        let attention = try engine.activation(try conv(pooled, prefix + ".attention", relu: false), .sigmoid)
        return try engine.multiply(feature, broadcasting: attention)
    }

    /// The main logits `[N, classes, H, W]` for a normalised `[N, 3, H, W]` input.
    func logits(_ x: Tensor) throws -> Tensor {
        let (h, w) = (x.shape[2], x.shape[3])
        var y = try conv(x, "resnet.conv1")
        y = try engine.maxPool2d(y, kernel: 3, stride: 2, padding: 1)
        var features: [Tensor] = []
        for layer in 1...4 {
            for block in 0..<2 {
                y = try basicBlock(y, "resnet.layer\(layer).\(block)")
            }
            features.append(y)
        }
        let (feat8, feat16, feat32) = (features[1], features[2], features[3])
        let size16 = [feat16.shape[2], feat16.shape[3]], size8 = [feat8.shape[2], feat8.shape[3]]
        // Global context: ConvBNReLU(1×1) of the mean, broadcast (the official nearest upsampling of a 1×1 map).
        let global = try conv(try engine.adaptiveAvgPool2d(feat32, outputSize: [1]), "context.global")
        let sum32 = try engine.add(try attentionRefinement(feat32, "context.arm32"), broadcasting: global)
        let up32 = try conv(try engine.resizeNearest2d(sum32, size: size16), "context.head32")
        let sum16 = try engine.add(try attentionRefinement(feat16, "context.arm16"), up32)
        let up16 = try conv(try engine.resizeNearest2d(sum16, size: size8), "context.head16")
        // Feature fusion: fused + fused · sigmoid(conv(relu(conv(mean(fused))))).
        let fused = try conv(try engine.concatenate([feat8, up16], dim: 1), "fusion.block")
        let squeezed = try conv(try engine.adaptiveAvgPool2d(fused, outputSize: [1]), "fusion.attention1")
        let attention = try engine.activation(try conv(squeezed, "fusion.attention2", relu: false), .sigmoid)
        let refined = try engine.add(try engine.multiply(fused, broadcasting: attention), fused)
        let out = try conv(try conv(refined, "output.conv"), "output.classifier", relu: false)
        return try engine.resizeBilinear2d(out, size: [h, w], alignCorners: true)
    }
}
