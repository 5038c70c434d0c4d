import Kernels
import Runtime

/// Normalisation inside a ResNet trunk: GroupNorm (MegaPortraits' identity and expression
/// networks) or none (its pose network, whose BatchNorm is folded into conv biases).
public enum TrunkNorm: Sendable, Equatable {
    /// GroupNorm after each convolution.
    case groupNorm(GroupNormSettings)
    /// No norm layers: conv biases carry the folded BatchNorm.
    case folded

    /// The GroupNorm settings, or nil when folded.
    var groupNorm: GroupNormSettings? {
        if case .groupNorm(let s) = self { return s }
        return nil
    }
}

/// torchvision ResNet-18 `BasicBlock` (`layers.py BasicBlock`): conv1 3×3/stride, conv2 3×3,
/// optional 1×1/stride downsample; `relu(norm2(conv2(relu(norm1(conv1 x)))) + skip)`.
public struct BasicBlock {
    /// Layers (norms nil when folded; downsample nil when the shape is kept).
    public let conv1: Conv, norm1: GroupNorm?, conv2: Conv, norm2: GroupNorm?
    /// The 1×1/stride shortcut and its norm.
    public let downsample: Conv?, downsampleNorm: GroupNorm?

    /// Declares the block's parameters under `prefix` in `c`.
    public init(_ c: ParameterCollector, _ prefix: String, _ cin: Int, _ cout: Int, stride: Int, norm: TrunkNorm, gain: Double) {
        let gn = norm.groupNorm, folded = gn == nil
        conv1 = Conv(c, prefix + ".conv1", dims: 2, cin, cout, kernel: 3, stride: stride, bias: folded, gain: gain)
        norm1 = gn.map { GroupNorm(c, prefix + ".norm1", cout, $0) }
        conv2 = Conv(c, prefix + ".conv2", dims: 2, cout, cout, kernel: 3, bias: true, gain: gain)
        norm2 = gn.map { GroupNorm(c, prefix + ".norm2", cout, $0) }
        if stride != 1 || cin != cout {
            downsample = Conv(c, prefix + ".downsample", dims: 2, cin, cout, kernel: 1, stride: stride, bias: folded, gain: gain)
            downsampleNorm = gn.map { GroupNorm(c, prefix + ".downsample_norm", cout, $0) }
        } else {
            downsample = nil
            downsampleNorm = nil
        }
    }

    /// The block on `x`.
    public func callAsFunction(_ f: Forward, _ x: Tensor) throws -> Tensor {
        let e = f.engine
        var h = try conv1(f, x)
        if let norm1 { h = try norm1(f, h) }
        h = try conv2(f, e.relu(h))
        if let norm2 { h = try norm2(f, h) }
        var s = x
        if let downsample {
            s = try downsample(f, x)
            if let downsampleNorm { s = try downsampleNorm(f, s) }
        }
        return try e.relu(e.add(h, s))
    }

    /// FLOPs for an input of side `n`; returns the output side too.
    public func flops(side n: Int) -> (flops: Double, side: Int) {
        let m = conv1.output(n)
        let total = conv1.flops(points: m * m) + conv2.flops(points: m * m) + (downsample?.flops(points: m * m) ?? 0)
        return (total, m)
    }
}

/// torchvision ResNet-50 `Bottleneck` v1.5 with GroupNorm (`layers.py Bottleneck`): 1×1, 3×3/stride,
/// 1×1 (×4 channels), each normed; downsample 1×1/stride + GN when the shape changes.
public struct Bottleneck {
    /// Output channels per unit of width.
    public static let expansion = 4
    /// Layers.
    public let conv1: Conv, norm1: GroupNorm, conv2: Conv, norm2: GroupNorm, conv3: Conv, norm3: GroupNorm
    /// The 1×1/stride shortcut and its norm (nil when the shape is kept).
    public let downsample: Conv?, downsampleNorm: GroupNorm?

    /// Declares the block's parameters under `prefix` in `c`.
    public init(_ c: ParameterCollector, _ prefix: String, _ cin: Int, width: Int, stride: Int, norm: GroupNormSettings) {
        let cout = width * Self.expansion
        conv1 = Conv(c, prefix + ".conv1", dims: 2, cin, width, kernel: 1, bias: false)
        norm1 = GroupNorm(c, prefix + ".norm1", width, norm)
        conv2 = Conv(c, prefix + ".conv2", dims: 2, width, width, kernel: 3, stride: stride, bias: true)
        norm2 = GroupNorm(c, prefix + ".norm2", width, norm)
        conv3 = Conv(c, prefix + ".conv3", dims: 2, width, cout, kernel: 1, bias: true)
        norm3 = GroupNorm(c, prefix + ".norm3", cout, norm)
        if stride != 1 || cin != cout {
            downsample = Conv(c, prefix + ".downsample", dims: 2, cin, cout, kernel: 1, stride: stride, bias: false)
            downsampleNorm = GroupNorm(c, prefix + ".downsample_norm", cout, norm)
        } else {
            downsample = nil
            downsampleNorm = nil
        }
    }

    /// The block on `x`.
    public func callAsFunction(_ f: Forward, _ x: Tensor) throws -> Tensor {
        let e = f.engine
        var h = try e.relu(norm1(f, conv1(f, x)))
        h = try e.relu(norm2(f, conv2(f, h)))
        h = try norm3(f, conv3(f, h))
        var s = x
        if let downsample, let downsampleNorm { s = try downsampleNorm(f, downsample(f, x)) }
        return try e.relu(e.add(h, s))
    }

    /// FLOPs for an input of side `n`; returns the output side too.
    public func flops(side n: Int) -> (flops: Double, side: Int) {
        let m = conv2.output(n)
        let total = conv1.flops(points: n * n) + conv2.flops(points: m * m) + conv3.flops(points: m * m)
            + (downsample?.flops(points: m * m) ?? 0)
        return (total, m)
    }
}

/// A ResNet trunk (`layers.py ResNetTrunk`): 7×7/2 stem conv, norm, ReLU, 3×3/2 max-pool (pad 1),
/// then four layers of blocks with strides 1, 2, 2, 2.
public struct ResNetTrunk {
    /// One residual block of the trunk.
    public enum Block {
        /// ResNet-18/34 block.
        case basic(BasicBlock)
        /// ResNet-50 block.
        case bottleneck(Bottleneck)
    }

    /// The 7×7/2 stem convolution and its norm.
    public let stem: Conv
    /// The stem's GroupNorm (nil when folded).
    public let stemNorm: GroupNorm?
    /// The blocks in order.
    public let blocks: [Block]
    /// Channels of the trunk's output.
    public let outputChannels: Int

    /// Declares the trunk's parameters under `prefix` in `c`: `layers[i]` blocks of width
    /// `width << i`, bottlenecks (ResNet-50 style, GroupNorm only) or basic blocks.
    public init(_ c: ParameterCollector, _ prefix: String, bottleneck: Bool, layers: [Int], width: Int, norm: TrunkNorm, gain: Double = 3) {
        let gn = norm.groupNorm, folded = gn == nil
        stem = Conv(c, prefix + ".stem", dims: 2, 3, width, kernel: 7, stride: 2, bias: folded, gain: gain)
        stemNorm = gn.map { GroupNorm(c, prefix + ".stem_norm", width, $0) }
        var blocks: [Block] = []
        var cin = width
        for (i, n) in layers.enumerated() {
            let w = width << i
            for j in 0..<n {
                let stride = i > 0 && j == 0 ? 2 : 1
                let name = "\(prefix).layers.\(i).\(j)"
                if bottleneck, let gn {
                    blocks.append(.bottleneck(Bottleneck(c, name, cin, width: w, stride: stride, norm: gn)))
                    cin = w * Bottleneck.expansion
                } else {
                    blocks.append(.basic(BasicBlock(c, name, cin, w, stride: stride, norm: norm, gain: gain)))
                    cin = w
                }
            }
        }
        self.blocks = blocks
        outputChannels = cin
    }

    /// The trunk on `input` `[N, 3, H, W]`.
    public func callAsFunction(_ f: Forward, _ input: Tensor) throws -> Tensor {
        var x = try stem(f, input)
        if let stemNorm { x = try stemNorm(f, x) }
        x = try f.engine.maxPool2d(f.engine.relu(x), kernel: 3, stride: 2, padding: 1)
        for block in blocks {
            switch block {
            case .basic(let b): x = try b(f, x)
            case .bottleneck(let b): x = try b(f, x)
            }
        }
        return x
    }

    /// FLOPs for a square input of side `n`; returns the output side too.
    public func flops(side n: Int) -> (flops: Double, side: Int) {
        var m = stem.output(n)
        var total = stem.flops(points: m * m)
        m = (m + 2 - 3) / 2 + 1
        for block in blocks {
            let r: (flops: Double, side: Int)
            switch block {
            case .basic(let b): r = b.flops(side: m)
            case .bottleneck(let b): r = b.flops(side: m)
            }
            total += r.flops
            m = r.side
        }
        return (total, m)
    }
}
