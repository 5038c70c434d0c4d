import Kernels
import Runtime

/// Adds the keyed watermark for one payload to rendered frames on an `Engine` (CPU or OpenCL),
/// before they leave the device. Patterns are built once per frame size and reused.
public final class WatermarkEmbedder {
    /// The payload every frame carries.
    public let payload: WatermarkPayload
    /// The engine the frames live on.
    public let engine: Engine
    private let layout: WatermarkLayout
    private var cached: (shortSide: Int, pattern: LumaPattern, strength: Float, cells: Tensor)?

    /// An embedder for `payload` under `key` on `engine`.
    public init(payload: WatermarkPayload, key: WatermarkKey = .portraitDefault, engine: Engine) {
        self.payload = payload
        self.engine = engine
        self.layout = WatermarkLayout(key: key)
    }

    /// `image` (`[N, 3, H, W]`, values in [0, 1]) with the mark added to its luma; values may leave
    /// [0, 1] by about 2/255 and are expected to be clamped when converted to 8 bits.
    public func mark(_ image: Tensor) throws -> Tensor {
        guard image.rank == 4 else {
            throw RuntimeError.shapeMismatch("watermark: expected an image [N, 3, H, W], got \(image.shapeDescription)")
        }
        let shortSide = min(image.shape[2], image.shape[3])
        if cached?.shortSide != shortSide {
            let (pattern, strength) = try layout.pattern(for: payload, shortSide: shortSide)
            let cells = try engine.resident(Tensor(shape: [pattern.cells.count], values: pattern.cells))
            cached = (shortSide, pattern, strength, cells)
        }
        guard let (_, pattern, strength, cells) = cached else { return image }
        return try engine.addLumaPattern(image, pattern, strength: strength, residentCells: cells)
    }
}
