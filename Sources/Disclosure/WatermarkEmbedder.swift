import Kernels
import Runtime

/// Adds the keyed watermark for one payload to rendered frames, its strength shaped pixel by pixel
/// by how visible a change is there (`VisibilityMask`): at most one 8-bit level on flat regions,
/// up to `VisibilityMask.maximumAmplitude` in busy texture. The frame's luma decides the shape, so
/// the mark is added on the host (the frame is read back from the engine once; `render` reads it
/// back right after anyway). The tile is built once per frame size and reused. Deterministic: the
/// same frame and payload always give the same output.
public final class WatermarkEmbedder {
    /// The payload every frame carries.
    public let payload: WatermarkPayload
    /// The engine the frames come from.
    public let engine: Engine
    private let layout: WatermarkLayout
    private var cached: (shortSide: Int, tile: [Float], period: Int)?

    /// An embedder for `payload` under `key`, for frames on `engine`.
    public init(payload: WatermarkPayload, key: WatermarkKey = .portraitDefault, engine: Engine) {
        self.payload = payload
        self.engine = engine
        self.layout = WatermarkLayout(key: key)
    }

    /// `image` (`[N, 3, H, W]`, values in [0, 1]) with the mark added to its luma, as a host
    /// tensor: the same offset on R, G and B (BT.601/709 luma weights sum to 1, so chroma is
    /// unchanged). Values may leave [0, 1] by up to `VisibilityMask.maximumAmplitude` / 255 and
    /// are expected to be clamped when converted to 8 bits.
    public func mark(_ image: Tensor) throws -> Tensor {
        guard image.rank == 4, image.shape[1] == 3 else {
            throw RuntimeError.shapeMismatch("watermark: expected an RGB image [N, 3, H, W], got \(image.shapeDescription)")
        }
        let (batch, h, w) = (image.shape[0], image.shape[2], image.shape[3])
        let shortSide = min(h, w)
        if cached?.shortSide != shortSide {
            let (tile, period) = try layout.unitTile(for: payload, shortSide: shortSide)
            cached = (shortSide, tile, period)
        }
        guard let (_, tile, period) = cached else { return image }
        var values = try engine.values(image)
        let plane = h * w
        for n in 0..<batch {
            let base = n * 3 * plane
            var luma = [Float](repeating: 0, count: plane)
            for i in 0..<plane {
                let y = 0.2126 * values[base + i] + 0.7152 * values[base + plane + i] + 0.0722 * values[base + 2 * plane + i]
                luma[i] = 255 * y
            }
            let amplitude = VisibilityMask.amplitude(luma: luma, width: w, height: h)
            values.withUnsafeMutableBufferPointer { buffer in
                guard let start = buffer.baseAddress else { return }
                let item = SharedFloats(pointer: start + base)
                ParallelRows.forEach(h) { rows in
                    for y in rows {
                        let tileRow = (y % period) * period
                        for x in 0..<w {
                            let i = y * w + x
                            let d = amplitude[i] / 255 * tile[tileRow + x % period]
                            item.pointer[i] += d
                            item.pointer[plane + i] += d
                            item.pointer[2 * plane + i] += d
                        }
                    }
                }
            }
        }
        return Tensor(shape: image.shape, values: values)
    }
}
