import Kernels
import Media
import Runtime

/// The C API's pictures as tensors and back, through the same conversions as the CLI
/// (`RGBImage`: bytes scaled by 1/255, outputs clamped to [0, 1], 8-bit rounding as its PNGs).
enum Pictures {
    /// An input-size square picture of 8-bit interleaved RGB as `[1, 3, S, S]`.
    static func tensor(rgb: UnsafePointer<UInt8>?, width: Int32, height: Int32, size: Int, role: String) throws -> Tensor {
        let rgb = try required(rgb, role)
        try check(width: width, height: height, size: size, role: role)
        let count = Int(width) * Int(height) * 3
        let image = try RGBImage(width: Int(width), height: Int(height), rgbBytes: Array(UnsafeBufferPointer(start: rgb, count: count)))
        return Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW(range: .unit))
    }

    /// An input-size square picture of planar float RGB in [0, 1] as `[1, 3, S, S]`.
    static func tensor(planes: UnsafePointer<Float>?, width: Int32, height: Int32, size: Int, role: String) throws -> Tensor {
        let planes = try required(planes, role)
        try check(width: width, height: height, size: size, role: role)
        let count = Int(width) * Int(height) * 3
        let values = Array(UnsafeBufferPointer(start: planes, count: count))
        guard values.allSatisfy({ $0.isFinite }) else { throw APIError(.invalidArgument, "the \(role) holds a value that is not finite; give values in [0, 1]") }
        return Tensor(shape: [1, 3, Int(height), Int(width)], values: values)
    }

    /// A rendered `[1, 3, O, O]` tensor as an image (values clamped to [0, 1], as the CLI writes it).
    static func image(_ rendered: Tensor, engine: Engine) throws -> RGBImage {
        let host = try engine.host(rendered)
        guard let values = host.hostValues, rendered.rank == 4 else { throw APIError(.internalError, "a rendered image did not reach the host") }
        return try RGBImage(planarCHW: values.map { min(max($0, 0), 1) }, width: rendered.shape[3], height: rendered.shape[2], range: .unit)
    }

    /// Writes `image` as planar floats into `out` (3·H·W values).
    static func write(_ image: RGBImage, planes out: UnsafeMutablePointer<Float>?) throws {
        let out = try required(out, "out_planes")
        let values = image.planarCHW(range: .unit)
        for (index, value) in values.enumerated() { out[index] = value }
    }

    /// Writes `image` as 8-bit interleaved RGB into `out` (H·W·3 bytes).
    static func write(_ image: RGBImage, rgb out: UnsafeMutablePointer<UInt8>?) throws {
        let out = try required(out, "out_rgb")
        let bytes = image.rgbBytes()
        for (index, byte) in bytes.enumerated() { out[index] = byte }
    }

    private static func check(width: Int32, height: Int32, size: Int, role: String) throws {
        guard Int(width) == size, Int(height) == size else {
            throw APIError(.invalidArgument, "the \(role) is \(width)×\(height); this model reads \(size)×\(size) pictures: crop and resize it first (pcl_crop_rgb8)")
        }
    }
}
