import Foundation
import Runtime

/// How much device memory a config needs, estimated from the config alone: its parameters twice
/// (as uploaded, and the copy the OpenCL convolution kernels repack them into), the avatar state
/// kept between frames, and a working set of four of its largest activation (an op's input,
/// output, residual branch and one temporary live at once). An estimate, not a bound: on the
/// tiny config it is 15 % under the measured need (docs/robustness.md), and drivers add their own.
public struct DeviceMemoryEstimate: Sendable, Equatable {
    /// Bytes of the network's parameters, float32, with their repacked copy.
    public let parameterBytes: Int
    /// Bytes of the avatar state (canonical volume, e_s, z).
    public let avatarBytes: Int
    /// Bytes of the per-op working set.
    public let activationBytes: Int
    /// The sum.
    public var totalBytes: Int { parameterBytes + avatarBytes + activationBytes }

    /// The estimate for `config` (counted in floating point: no config can overflow it).
    public init(config c: ModelConfig) {
        func floats(_ factors: Int...) -> Double { factors.reduce(4.0) { $0 * Double($1) } }
        func bytes(_ value: Double) -> Int { value < 9e18 ? Int(value) : Int.max / 4 }
        parameterBytes = bytes(2 * NetworkLayout(c).specs.reduce(0.0) { $0 + $1.shape.reduce(4.0) { $0 * Double($1) } })
        avatarBytes = bytes(floats(c.volumeChannels, c.volumeDepth, c.volumeSize, c.volumeSize)
            + floats(c.embedChannels, c.embedSize, c.embedSize) + floats(c.zChannels))
        let (s, v) = (c.imageSize, c.volumeSize)
        var sizes = [floats(c.appearanceStemChannels, s, s), floats(c.projectionChannels, v, v), floats(c.g2dChannels, v, v)]
        sizes += c.appearanceBlockChannels.enumerated().map { k, ch in floats(ch, s >> k, s >> k) }
        sizes += c.g2dUpChannels.enumerated().map { k, ch in floats(ch, v << (k + 1), v << (k + 1)) }
        var (d, h) = (Double(c.embedSize), Double(c.embedSize))
        for (ch, (scale, pool)) in zip(c.warpBlockChannels, zip(c.warpPreScale, c.warpPostPool)) {
            (d, h) = (d * Double(scale[0]), h * Double(scale[1]))
            sizes.append(floats(ch) * d * h * h)
            (d, h) = ((d / Double(pool[0])).rounded(.down), (h / Double(pool[1])).rounded(.down))
        }
        var shape = [c.volumeDepth, v, v].map(Double.init)
        for (ch, (scale, pool)) in zip(c.g3dDownChannels, zip(c.g3dDownPreScale, c.g3dDownPostPool)) {
            shape = zip(shape, scale).map { $0 * Double($1) }
            sizes.append(floats(ch) * shape.reduce(1, *))
            shape = zip(shape, pool).map { ($0 / Double($1)).rounded(.down) }
        }
        activationBytes = bytes(4 * (sizes.max() ?? 0))
    }

    /// `bytes` in kB, MB or GB, one decimal.
    public static func format(_ bytes: Int) -> String {
        let kb = Double(bytes) / 1024
        if kb < 1024 { return String(format: "%.1f kB", kb) }
        return kb < 1024 * 1024 ? String(format: "%.1f MB", kb / 1024) : String(format: "%.1f GB", kb / 1024 / 1024)
    }
}

extension Network {
    /// Runs `body`, turning an out-of-memory OpenCL failure into `AvatarError.outOfDeviceMemory`
    /// naming the config and the memory it needs.
    static func explainingDeviceMemory<T>(_ config: ModelConfig, device: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as OpenCLError where [-4, -5, -6].contains(error.code) {
            throw AvatarError.outOfDeviceMemory(config: config.name, device: device,
                                                estimate: DeviceMemoryEstimate(config: config), cause: "\(error.call): \(error.name)")
        }
    }
}
