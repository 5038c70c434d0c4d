import Kernels
import NetworkCore
import Runtime

/// The YuNet network of libfacedetection written against `Engine`: a 3×3/2 stem over the RGB
/// image, depthwise-separable blocks (1×1 pointwise without ReLU, then 3×3 depthwise with ReLU)
/// and 2×2 max pools down to strides 8, 16 and 32, a top-down pyramid (nearest ×2 upsample + add)
/// and, per level, one fused head giving 16 channels per cell: class (1), box (4), landmarks (10)
/// and objectness (1).
struct YuNet {
    /// One separable unit: pointwise `[Cout, Cin, 1, 1]` + bias, depthwise `[Cout, 1, 3, 3]` + bias.
    struct Separable {
        let pointwise: Tensor, pointwiseBias: Tensor
        let depthwise: Tensor, depthwiseBias: Tensor
    }

    /// The strides of the three output levels.
    static let strides = [8, 16, 32]
    /// Channels of the fused head: class, box (4), landmarks (10), objectness.
    static let headChannels = 16

    let engine: Engine
    let stem: Tensor, stemBias: Tensor
    /// backbone model0's separable unit, then two units each for model1...model5.
    let backbone: [Separable]
    /// neck lateral convs for strides 8, 16, 32.
    let lateral: [Separable]
    /// fused heads for strides 8, 16, 32.
    let heads: [Separable]

    /// Builds the network from libfacedetection's arrays (host tensors), checked first with
    /// NetworkCore's weight check (`YuNetArrays.validate`).
    init(tensors: [String: Tensor], engine: Engine) throws {
        try YuNetArrays.validate(tensors)
        self.engine = engine
        func fetch(_ name: String, _ shape: [Int]) throws -> [Float] {
            guard let t = tensors[name] else { throw FaceError.missingTensor(name: name, expectedShape: shape) }
            guard t.shape == shape else { throw FaceError.wrongShape(name: name, expected: shape, found: t.shape) }
            guard let v = t.hostValues else { throw FaceError.badImage("weight '\(name)' must be a host tensor") }
            return v
        }
        // Pointwise weights are [Cout][Cin] as in PyTorch. Depthwise arrays, though declared
        // [C, 1, 3, 3], are read tap-major by libfacedetection ([9][C]); transpose to [C][9].
        func pointwise(_ base: String, _ cin: Int, _ cout: Int) throws -> ([Float], [Float]) {
            (try fetch(base + "_weight", [cout, cin, 1, 1]), try fetch(base + "_bias", [cout]))
        }
        func depthwise(_ base: String, _ c: Int) throws -> ([Float], [Float]) {
            let flat = try fetch(base + "_weight", [c, 1, 3, 3])
            var w = [Float](repeating: 0, count: 9 * c)
            for tap in 0..<9 { for ch in 0..<c { w[ch * 9 + tap] = flat[tap * c + ch] } }
            return (w, try fetch(base + "_bias", [c]))
        }
        func separable(_ unit: YuNetArrays.Separable) throws -> Separable {
            let (p, pb) = try pointwise(unit.pointwise, unit.inputs, unit.outputs), (d, db) = try depthwise(unit.depthwise, unit.outputs)
            let cin = unit.inputs, cout = unit.outputs
            return Separable(pointwise: try engine.resident(Tensor(shape: [cout, cin, 1, 1], values: p)),
                             pointwiseBias: try engine.resident(Tensor(shape: [cout], values: pb)),
                             depthwise: try engine.resident(Tensor(shape: [cout, 1, 3, 3], values: d)),
                             depthwiseBias: try engine.resident(Tensor(shape: [cout], values: db)))
        }
        // The stem: 32 inputs = a 3×3 patch of BGR bytes ((ky·3 + kx)·3 + colour) + 5 zeros.
        // As a conv2d over an RGB image in [0, 1]: weight[o][rgb][ky][kx], scaled by 255.
        let (s, sb) = try pointwise(YuNetArrays.stem, 32, 16)
        var stemWeight = [Float](repeating: 0, count: 16 * 27)
        for o in 0..<16 { for tap in 0..<9 { for rgb in 0..<3 {
            stemWeight[(o * 3 + rgb) * 9 + tap] = 255 * s[o * 32 + tap * 3 + (2 - rgb)]
        } } }
        stem = try engine.resident(Tensor(shape: [16, 3, 3, 3], values: stemWeight))
        stemBias = try engine.resident(Tensor(shape: [16], values: sb))
        backbone = try YuNetArrays.backbone.map(separable)
        lateral = try YuNetArrays.lateral.map(separable)
        // The four heads of a level share their input: stack them into one 64 → 16 unit (the
        // depthwise step is per channel, so stacking changes nothing).
        heads = try (0..<3).map { level in
            var p: [Float] = [], pb: [Float] = [], d: [Float] = [], db: [Float] = []
            for head in YuNetArrays.heads(level: level) {
                let (w, b) = try pointwise(head.pointwise, head.inputs, head.outputs), (dw, dwb) = try depthwise(head.depthwise, head.outputs)
                p += w; pb += b; d += dw; db += dwb
            }
            return Separable(pointwise: try engine.resident(Tensor(shape: [16, 64, 1, 1], values: p)),
                             pointwiseBias: try engine.resident(Tensor(shape: [16], values: pb)),
                             depthwise: try engine.resident(Tensor(shape: [16, 1, 3, 3], values: d)),
                             depthwiseBias: try engine.resident(Tensor(shape: [16], values: db)))
        }
    }

    /// Pointwise then depthwise, ReLU after the depthwise step when `relu`.
    func run(_ unit: Separable, _ x: Tensor, relu: Bool) throws -> Tensor {
        let p = try engine.conv2d(x, weight: unit.pointwise, bias: unit.pointwiseBias)
        let d = try engine.depthwiseConv2d(p, weight: unit.depthwise, bias: unit.depthwiseBias, stride: [1, 1], padding: [1, 1])
        return relu ? try engine.relu(d) : d
    }

    func pool(_ x: Tensor) throws -> Tensor { try engine.maxPool2d(x, kernel: 2, stride: 2, padding: 0) }

    /// The raw head outputs `[1, 16, H/s, W/s]` for s = 8, 16, 32, from an RGB image
    /// `[1, 3, H, W]` in [0, 1] whose sides are multiples of 32.
    func heads(_ image: Tensor) throws -> [Tensor] {
        var x = try engine.relu(try engine.conv2d(image, weight: stem, bias: stemBias, stride: 2, padding: 1))
        x = try pool(try run(backbone[0], x, relu: true))
        for i in [1, 3] { x = try run(backbone[i + 1], try run(backbone[i], x, relu: true), relu: true) }
        var levels: [Tensor] = []
        for (n, i) in [5, 7, 9].enumerated() {
            x = try pool(n == 0 ? x : levels[n - 1])
            levels.append(try run(backbone[i + 1], try run(backbone[i], x, relu: true), relu: true))
        }
        var top = try run(lateral[2], levels[2], relu: true)
        var outputs = [try run(heads[2], top, relu: false)]
        for level in [1, 0] {
            top = try run(lateral[level], try engine.add(try engine.upsampleNearest2d(top, scale: 2), levels[level]), relu: true)
            outputs.insert(try run(heads[level], top, relu: false), at: 0)
        }
        return outputs
    }
}
