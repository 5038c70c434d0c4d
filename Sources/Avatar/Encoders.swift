import Kernels
import NetworkCore
import Runtime

/// E_app, local part (`network.py Appearance`): 2-D encoder → reshape to C×D×H×W → plain ResBlock3Ds.
struct Appearance {
    let stem: Conv
    let blocks: [ResBlock]
    let headNorm: GroupNorm
    let head: Conv
    let blocks3D: [ResBlock]

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        stem = Conv(c, "appearance.stem", dims: 2, 3, cfg.appearanceStemChannels, kernel: cfg.appearanceStemKernel, bias: true)
        var cin = cfg.appearanceStemChannels
        var blocks: [ResBlock] = []
        for (i, cout) in cfg.appearanceBlockChannels.enumerated() {
            blocks.append(ResBlock(c, "appearance.blocks.\(i)", dims: 2, cin, cout, conv1Bias: true, norm: cfg.groupNorm))
            cin = cout
        }
        self.blocks = blocks
        headNorm = GroupNorm(c, "appearance.head_norm", cin, cfg.groupNorm)
        head = Conv(c, "appearance.head", dims: 2, cin, cfg.projectionChannels, kernel: 1, bias: true)
        blocks3D = (0..<cfg.appearance3DBlocks).map {
            ResBlock(c, "appearance.blocks3d.\($0)", dims: 3, cfg.volumeChannels, cfg.volumeChannels, conv1Bias: false, norm: cfg.groupNorm)
        }
    }

    /// 3×S×S → (C·D)×H×W: stem, then each ResBlock at the input size followed by avg_pool2d 2.
    func features(_ f: ModelForward, _ image: Tensor) throws -> Tensor {
        var x = try stem(f, image)
        for block in blocks { x = try f.engine.avgPool2d(block(f, x), kernel: [2, 2]) }
        return try head(f, f.engine.relu(headNorm(f, x)))
    }

    /// (C·D)×H×W viewed as C×D×H×W (channel index c·D + d), then the ResBlock3Ds.
    func volume(_ f: ModelForward, _ features: Tensor) throws -> Tensor {
        let cfg = f.config
        var v = try features.reshaped([features.shape[0], cfg.volumeChannels, cfg.volumeDepth, cfg.volumeSize, cfg.volumeSize])
        for block in blocks3D { v = try block(f, v) }
        return v
    }

    func flops2D(_ cfg: ModelConfig) -> Double {
        var n = cfg.imageSize
        var total = stem.flops(points: n * n)
        for block in blocks {
            total += block.flops(points: n * n)
            n /= 2
        }
        return total + head.flops(points: n * n)
    }

    func flops3D(_ cfg: ModelConfig) -> Double {
        let points = cfg.volumeDepth * cfg.volumeSize * cfg.volumeSize
        return blocks3D.reduce(0) { $0 + $1.flops(points: points) }
    }
}

/// The ImageNet normalisation `(x − mean_c) / std_c` as a 1×1 conv with a diagonal weight
/// (`x · (1/std_c) − mean_c/std_c`: equal to PyTorch's form within one rounding).
struct ImageNormalisation {
    static let weight = "constant.imagenet.weight"
    static let bias = "constant.imagenet.bias"

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        var w = [Float](repeating: 0, count: 9)
        var b = [Float](repeating: 0, count: 3)
        for i in 0..<3 {
            w[4 * i] = Float(1 / cfg.imagenetStd[i])
            b[i] = Float(-cfg.imagenetMean[i] / cfg.imagenetStd[i])
        }
        c.constant(Self.weight, Tensor(shape: [3, 3, 1, 1], values: w))
        c.constant(Self.bias, Tensor(shape: [3], values: b))
    }

    func callAsFunction(_ f: ModelForward, _ x: Tensor) throws -> Tensor {
        try f.engine.conv2d(x, weight: f.parameter(Self.weight), bias: f.parameter(Self.bias))
    }
}

/// Bilinear resize to size×size (align_corners=False, no antialiasing); identity at the same size.
func resizeSquare(_ f: ModelForward, _ x: Tensor, _ size: Int) throws -> Tensor {
    x.shape[2] == size && x.shape[3] == size ? x : try f.engine.resizeBilinear2d(x, size: [size, size])
}

/// e_s (`network.py Identity`): resize → ImageNet normalisation → ResNet-50 (GN) → 1×1 conv →
/// adaptive average pool to embed_size.
struct Identity {
    let trunk: ResNetTrunk
    let head: Conv
    let normalise: ImageNormalisation

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        trunk = ResNetTrunk(c, "identity.trunk", bottleneck: true, layers: cfg.identityLayers, width: cfg.identityWidth, norm: .groupNorm(cfg.groupNorm))
        head = Conv(c, "identity.head", dims: 2, trunk.outputChannels, cfg.embedChannels, kernel: 1, bias: false)
        normalise = ImageNormalisation(c, cfg)
    }

    func callAsFunction(_ f: ModelForward, _ image: Tensor) throws -> Tensor {
        let s = f.config.embedSize
        let x = try normalise(f, resizeSquare(f, image, f.config.identityInputSize))
        return try f.engine.adaptiveAvgPool2d(head(f, trunk(f, x)), outputSize: [s, s])
    }

    func flops(_ cfg: ModelConfig) -> Double {
        let (total, side) = trunk.flops(side: cfg.identityInputSize)
        return total + head.flops(points: side * side)
    }
}
