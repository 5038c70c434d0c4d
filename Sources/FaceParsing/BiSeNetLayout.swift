import Foundation
import Runtime

/// Channel widths of a BiSeNet face-parsing network: the ResNet-18 stem and four stages, the
/// context path, the feature-fusion module, the output head and the number of classes. The
/// released network (`79999_iter.pth`) is `.official`; a narrower one uses the same names.
public struct BiSeNetWidths: Sendable, Equatable, CustomStringConvertible {
    /// ResNet stem (conv1) output channels.
    public var stem: Int
    /// Output channels of ResNet layer1...layer4.
    public var stages: [Int]
    /// Context path (attention refinement, heads, global context) channels.
    public var context: Int
    /// Feature-fusion output channels (its attention squeezes to a quarter of them).
    public var fusion: Int
    /// Output head's middle channels.
    public var head: Int
    /// Parsing classes (19 for the released network: 0 background, 1 skin, ... 18 hat).
    public var classes: Int

    /// Creates widths.
    public init(stem: Int, stages: [Int], context: Int, fusion: Int, head: Int, classes: Int) {
        self.stem = stem; self.stages = stages; self.context = context
        self.fusion = fusion; self.head = head; self.classes = classes
    }

    /// The released network's widths.
    public static let official = BiSeNetWidths(stem: 64, stages: [64, 128, 256, 512], context: 128, fusion: 256, head: 256, classes: 19)
    /// The narrow widths of the test fixture (reference/face_parsing/layout.py `TINY`).
    public static let tiny = BiSeNetWidths(stem: 8, stages: [8, 16, 24, 32], context: 16, fusion: 32, head: 32, classes: 19)

    /// `stem,s1,s2,s3,s4,context,fusion,head,classes` (the converter's `widths` metadata).
    public var description: String { "\(stem),\(stages.map(String.init).joined(separator: ",")),\(context),\(fusion),\(head),\(classes)" }

    /// One convolution of the folded layout: `<name>.weight` of `shape`, and `<name>.bias` when `hasBias`.
    public struct Convolution: Sendable, Equatable {
        /// Tensor name prefix, e.g. `resnet.layer2.0.conv1`.
        public let name: String
        /// Weight shape `[Cout, Cin, k, k]`.
        public let shape: [Int]
        /// Whether a `[Cout]` bias follows (every folded BatchNorm leaves one).
        public let hasBias: Bool
    }

    /// Every convolution in canonical order (the order of the procedural weight stream).
    public var convolutions: [Convolution] {
        var list = [Convolution(name: "resnet.conv1", shape: [stem, 3, 7, 7], hasBias: true)]
        var previous = stem
        for layer in 0..<4 {
            let width = stages[layer]
            for block in 0..<2 {
                let cin = block == 0 ? previous : width
                let prefix = "resnet.layer\(layer + 1).\(block)"
                list.append(Convolution(name: "\(prefix).conv1", shape: [width, cin, 3, 3], hasBias: true))
                list.append(Convolution(name: "\(prefix).conv2", shape: [width, width, 3, 3], hasBias: true))
                if block == 0 && (cin != width || layer > 0) {
                    list.append(Convolution(name: "\(prefix).downsample", shape: [width, cin, 1, 1], hasBias: true))
                }
            }
            previous = width
        }
        for (arm, cin) in [("arm16", stages[2]), ("arm32", stages[3])] {
            list.append(Convolution(name: "context.\(arm).conv", shape: [context, cin, 3, 3], hasBias: true))
            list.append(Convolution(name: "context.\(arm).attention", shape: [context, context, 1, 1], hasBias: true))
        }
        list.append(Convolution(name: "context.head32", shape: [context, context, 3, 3], hasBias: true))
        list.append(Convolution(name: "context.head16", shape: [context, context, 3, 3], hasBias: true))
        list.append(Convolution(name: "context.global", shape: [context, stages[3], 1, 1], hasBias: true))
        list.append(Convolution(name: "fusion.block", shape: [fusion, stages[1] + context, 1, 1], hasBias: true))
        list.append(Convolution(name: "fusion.attention1", shape: [fusion / 4, fusion, 1, 1], hasBias: false))
        list.append(Convolution(name: "fusion.attention2", shape: [fusion, fusion / 4, 1, 1], hasBias: false))
        list.append(Convolution(name: "output.conv", shape: [head, fusion, 3, 3], hasBias: true))
        list.append(Convolution(name: "output.classifier", shape: [classes, head, 1, 1], hasBias: false))
        return list
    }

    /// Every tensor name with its shape.
    public var tensorShapes: [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for conv in convolutions {
            shapes[conv.name + ".weight"] = conv.shape
            if conv.hasBias { shapes[conv.name + ".bias"] = [conv.shape[0]] }
        }
        return shapes
    }

    /// The widths `tensors` imply (output channels of the convolutions that define them).
    public static func reading(_ tensors: [String: Tensor]) throws -> BiSeNetWidths {
        func out(_ name: String) throws -> Int {
            guard let t = tensors[name + ".weight"] else { throw FaceParsingError.missingTensor(name: name + ".weight", expectedShape: []) }
            guard t.rank == 4 else { throw FaceParsingError.wrongShape(name: name + ".weight", expected: [-1, -1, -1, -1], found: t.shape) }
            return t.shape[0]
        }
        return BiSeNetWidths(stem: try out("resnet.conv1"), stages: try (1...4).map { try out("resnet.layer\($0).0.conv1") },
                             context: try out("context.arm16.conv"), fusion: try out("fusion.block"),
                             head: try out("output.conv"), classes: try out("output.classifier"))
    }

    /// Throws for the first missing, misshaped or unexpected tensor (NetworkCore's weight check
    /// over this layout's convolutions).
    public func validate(_ tensors: [String: Tensor]) throws {
        try BiSeNetParameters(self).validate(tensors)
    }

    /// Reproducible random weights in this layout, identical to reference/face_parsing/layout.py
    /// `procedural_weights`: one splitmix64 stream in `convolutions` order; weight =
    /// U(−1, 1)·sqrt(6 / fan_in), bias = U(−1, 1)·0.2. For tests and benchmarks, not for parsing faces.
    public func proceduralWeights(seed: UInt64) -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        var position: UInt64 = 0
        func stream(_ count: Int, scale: Float) -> [Float] {
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                var z = seed &+ (position &+ UInt64(i) &+ 1) &* 0x9E37_79B9_7F4A_7C15
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                let u = Float(z >> 40) / 16_777_216
                values[i] = (2 * u - 1) * scale
            }
            position &+= UInt64(count)
            return values
        }
        for conv in convolutions {
            let count = conv.shape.reduce(1, *)
            let scale = Float((6.0 / Double(count / conv.shape[0])).squareRoot())
            tensors[conv.name + ".weight"] = Tensor(shape: conv.shape, values: stream(count, scale: scale))
            if conv.hasBias { tensors[conv.name + ".bias"] = Tensor(shape: [conv.shape[0]], values: stream(conv.shape[0], scale: 0.2)) }
        }
        return tensors
    }
}
