import Kernels
import NetworkCore
import Runtime

/// ψ̂'s AdaIN slices, resident on the engine: (mean, std) `[1, C]` per block and index.
struct FewShotStyle {
    let slices: [String: [(mean: Tensor, std: Tensor)]]

    /// Cuts host ψ̂ into the widths' slices and makes them resident.
    init(psi: [Float], widths: FewShotWidths, engine: Engine) throws {
        var slices: [String: [(mean: Tensor, std: Tensor)]] = [:]
        for (block, list) in widths.styleSlices {
            slices[block] = try list.map { s in
                (try engine.resident(Tensor(shape: [1, s.channels], values: Array(psi[s.mean..<(s.mean + s.channels)]))),
                 try engine.resident(Tensor(shape: [1, s.channels], values: Array(psi[s.std..<(s.std + s.channels)]))))
            }
        }
        self.slices = slices
    }

    func slice(_ block: String, _ index: Int) throws -> (mean: Tensor, std: Tensor) {
        guard let list = slices[block], index < list.count else { throw NetworkError.missingParameter("psi slice \(block).\(index)") }
        return list[index]
    }
}

extension FewShotForward {
    /// Per-frame identity vectors `[K, E]` of network-orientation images and landmark images
    /// `[K, 3, S, S]`: six downsampling blocks (self-attention after the third), adaptive max
    /// pooling to 1×1, LeakyReLU. (The paper says sum pooling; the public code max-pools.)
    func embed(images: Tensor, landmarks: Tensor) throws -> Tensor {
        try stage("embedder") {
            var x = try engine.concatenate([images, landmarks], dim: 1)
            for i in 1...6 {
                x = try resDown("embedder.resDown\(i)", x)
                try record("embedder.down\(i)", x)
                if i == 3 {
                    x = try selfAttention("embedder.self_att", x)
                    try record("embedder.attention", x)
                }
            }
            let pooled = try engine.maxPool2d(x, kernel: x.shape[2], stride: x.shape[2], padding: 0)
            let vectors = try leaky(try pooled.reshaped([x.shape[0], x.shape[1]]))
            try record("embedder.vectors", vectors)
            return vectors
        }
    }

    /// The generated `[N, 3, S, S]` image in [0, 1] for network-orientation landmark images.
    func generate(landmarks: Tensor, style: FewShotStyle) throws -> Tensor {
        try stage("generator") {
            var x = landmarks
            for i in 1...4 {
                x = try resDown("generator.resDown\(i)", x)
                x = try engine.groupNorm(x, groups: x.shape[1], weight: try parameter("generator.in\(i).weight"),
                                         bias: try parameter("generator.in\(i).bias"), eps: 1e-5)
                try record("generator.down\(i)", x)
                if i == 3 {
                    x = try selfAttention("generator.self_att_Down", x)
                    try record("generator.attention_down", x)
                }
            }
            for i in 1...layout.widths.resBlocks {
                x = try resBlock(i, x, style)
                try record("generator.res\(i)", x)
            }
            for i in 1...4 {
                x = try resUp(i, x, style)
                try record("generator.up\(i)", x)
                if i == 2 {
                    x = try selfAttention("generator.self_att_Up", x)
                    try record("generator.attention_up", x)
                }
            }
            let image = try conv("generator.conv2d", try leaky(try adain(x, style, "last", 0)), activation: .sigmoid)
            try record("image", image)
            return image
        }
    }
}
