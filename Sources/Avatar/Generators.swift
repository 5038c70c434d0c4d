import Kernels
import NetworkCore
import Runtime

/// G3D (`network.py G3D`): a 3-D U-Net whose encoder ResBlock3Ds feed skip ResBlock3Ds; the decoder
/// starts from a learned constant. Runs once per avatar and yields the canonical volume v_c.
struct G3D {
    let down: [ResBlock]
    let input: String
    let skip: [ResBlock]
    let up: [ResBlock]
    let headNorm: GroupNorm
    let head: Conv

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        var cin = cfg.volumeChannels
        var down: [ResBlock] = []
        for (i, cout) in cfg.g3dDownChannels.enumerated() {
            down.append(ResBlock(c, "g3d.down.\(i)", dims: 3, cin, cout, conv1Bias: false, norm: cfg.groupNorm))
            cin = cout
        }
        self.down = down
        let n = cfg.g3dInputSize
        input = c.declare("g3d.input", [1, cfg.g3dInputChannels, n, n, n], .normal)
        var skip: [ResBlock] = [], up: [ResBlock] = []
        cin = cfg.g3dInputChannels
        for (i, cout) in cfg.g3dUpChannels.enumerated() {
            skip.append(ResBlock(c, "g3d.skip.\(i)", dims: 3, cin, cin, conv1Bias: false, norm: cfg.groupNorm))
            up.append(ResBlock(c, "g3d.up.\(i)", dims: 3, cin, cout, conv1Bias: false, norm: cfg.groupNorm))
            cin = cout
        }
        self.skip = skip
        self.up = up
        headNorm = GroupNorm(c, "g3d.head_norm", cin, cfg.groupNorm)
        head = Conv(c, "g3d.head", dims: 3, cin, cin, kernel: cfg.g3dHeadKernel, bias: true)
    }

    /// v_c `[1, C, D, H, W]` from the warped source volume.
    func callAsFunction(_ f: ModelForward, _ volume: Tensor) throws -> Tensor {
        let cfg = f.config
        var x = volume
        var features: [Tensor] = []
        for (i, block) in down.enumerated() {
            x = try block(f, resample3d(f, x, cfg.g3dDownPreScale[i]))
            features.append(x)
            if i + 1 < down.count { x = try pool3d(f, x, cfg.g3dDownPostPool[i]) }
        }
        var y = try f.parameter(input)
        for (i, (skipBlock, block)) in zip(skip, up).enumerated() {
            y = try resample3d(f, y, cfg.g3dUpPreScale[i])
            let joined = try f.engine.add(y, skipBlock(f, features[features.count - 1 - i]))
            y = try pool3d(f, block(f, joined), cfg.g3dUpPostPool[i])
        }
        return try head(f, headNorm(f, y, relu: true))
    }

    func flops(_ cfg: ModelConfig) -> Double {
        var total = 0.0
        var shape = [cfg.volumeDepth, cfg.volumeSize, cfg.volumeSize]
        var featurePoints: [Int] = []
        for (i, block) in down.enumerated() {
            shape = zip(shape, cfg.g3dDownPreScale[i]).map { $0 * $1 }
            total += block.flops(points: shape.reduce(1, *))
            featurePoints.append(shape.reduce(1, *))
            shape = zip(shape, cfg.g3dDownPostPool[i]).map { $0 / $1 }
        }
        shape = Array(repeating: cfg.g3dInputSize, count: 3)
        for (i, (skipBlock, block)) in zip(skip, up).enumerated() {
            shape = zip(shape, cfg.g3dUpPreScale[i]).map { $0 * $1 }
            total += skipBlock.flops(points: featurePoints[featurePoints.count - 1 - i]) + block.flops(points: shape.reduce(1, *))
            shape = zip(shape, cfg.g3dUpPostPool[i]).map { $0 / $1 }
        }
        return total + head.flops(points: shape.reduce(1, *))
    }
}

/// The projection (1×1 conv, no bias, C·D → G) and G2D (`network.py G2D`): same-resolution
/// ResBlocks, then [nearest ×2 →] ResBlocks, GN → ReLU → conv (bias) → sigmoid.
struct G2D {
    let projection: Conv
    let blocks: [ResBlock]
    let up: [(block: ResBlock, upsample: Bool)]
    let headNorm: GroupNorm
    let head: Conv

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        projection = Conv(c, "g2d.projection", dims: 2, cfg.projectionChannels, cfg.g2dChannels, kernel: 1, bias: false)
        blocks = (0..<cfg.g2dSameBlocks).map {
            ResBlock(c, "g2d.blocks.\($0)", dims: 2, cfg.g2dChannels, cfg.g2dChannels, conv1Bias: true, norm: cfg.groupNorm)
        }
        up = cfg.g2dUpBlocks.enumerated().map { i, b in
            (ResBlock(c, "g2d.up.\(i)", dims: 2, b.cin, b.cout, conv1Bias: true, norm: cfg.groupNorm), b.upsample)
        }
        let last = cfg.g2dUpBlocks.last?.cout ?? cfg.g2dChannels
        headNorm = GroupNorm(c, "g2d.head_norm", last, cfg.groupNorm)
        head = Conv(c, "g2d.head", dims: 2, last, 3, kernel: cfg.g2dHeadKernel, bias: true)
    }

    /// `[1, C, D, H, W]` viewed `[1, C·D, H, W]` (channel c·D + d), then the 1×1 projection.
    func project(_ f: ModelForward, _ volume: Tensor) throws -> Tensor {
        let s = volume.shape
        return try projection(f, volume.reshaped([s[0], s[1] * s[2], s[3], s[4]]))
    }

    /// The image `[1, 3, S, S]` in [0, 1] from the projected features.
    func decode(_ f: ModelForward, _ features: Tensor) throws -> Tensor {
        var x = features
        for block in blocks { x = try block(f, x) }
        for (block, upsample) in up {
            if upsample { x = try f.engine.upsampleNearest2d(x, scale: 2) }
            x = try block(f, x)
        }
        return try f.engine.activation(head(f, f.engine.relu(headNorm(f, x))), .sigmoid)
    }

    func projectionFlops(_ cfg: ModelConfig) -> Double { projection.flops(points: cfg.volumeSize * cfg.volumeSize) }

    func decodeFlops(_ cfg: ModelConfig) -> Double {
        var n = cfg.volumeSize
        var total = blocks.reduce(0) { $0 + $1.flops(points: n * n) }
        for (block, upsample) in up {
            if upsample { n *= 2 }
            total += block.flops(points: n * n)
        }
        return total + head.flops(points: n * n)
    }
}
