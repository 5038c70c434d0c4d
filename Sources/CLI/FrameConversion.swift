#if canImport(Media)
import Avatar
import Foundation
import Kernels
import Media
import Runtime

/// Turns media frames into network tensors and back. The CLI is the only place that knows both.
enum FrameConversion {
    /// Smallest short side accepted for a source or driver image.
    static let minimumSide = 64

    /// `image` as a `[1, 3, H, W]` host tensor with values in [0, 1].
    static func tensor(_ image: RGBImage) -> Tensor {
        Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW(range: .unit))
    }

    /// A `[1, 3, H, W]` tensor (any engine) as an image, values clamped to [0, 1].
    static func image(_ tensor: Tensor, engine: Engine) throws -> RGBImage {
        let host = try engine.host(tensor)
        guard let hostValues = host.hostValues else { throw RuntimeError.shapeMismatch("a rendered image did not reach the host") }
        let values = hostValues.map { min(max($0, 0), 1) }
        return try RGBImage(planarCHW: values, width: tensor.shape[3], height: tensor.shape[2], range: .unit)
    }

    /// Refuses an image smaller than `minimumSide` on its short side, naming `path` and `role`.
    static func checkSize(_ image: RGBImage, path: String, role: String, size: Int) throws {
        guard min(image.width, image.height) >= minimumSide else {
            throw MediaError.invalidArgument("\(path): the \(role) is \(image.width)×\(image.height); need at least \(minimumSide) px on the short side (the model works at \(size)×\(size))")
        }
    }

    /// Frames one decoded image for the model: the largest centred square (or `crop`, black where it
    /// reaches beyond the picture) resized to
    /// `size`² with `filter` (bicubic + clip by default, as the official inference). Images
    /// smaller than `minimumSide` are refused.
    static func frame(_ image: RGBImage, path: String, role: String, size: Int, crop: SquareCrop?,
                      filter: ResizeFilter = .bicubic) throws -> RGBImage {
        try checkSize(image, path: path, role: role, size: size)
        if let crop, crop.visiblePart(width: image.width, height: image.height) == nil {
            throw MediaError.invalidArgument("\(path): the \(role) crop \(crop) (x,y,size) lies wholly outside the \(image.width)×\(image.height) picture; give --\(role)-crop a square that overlaps it")
        }
        // LivePortrait's no-crop source: the official size limit first (resize_to_limit), then the whole picture.
        if filter == .opencv && crop == nil && role == "source" {
            return try image.framedLikeOpenCV(size: size, crop: nil, limitSide: RGBImage.liveportraitSourceMaxSide)
        }
        return try image.framed(size: size, crop: crop, filter: filter)
    }
}

/// Parses `--crop x,y,size`.
func parseCrop(_ text: String?) throws -> SquareCrop? {
    guard let text else { return nil }
    let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 3, let x = parts[0], let y = parts[1], let s = parts[2], s > 0 else {
        throw MediaError.invalidArgument("--crop expects x,y,size in pixels (e.g. 120,40,600), got '\(text)'")
    }
    return SquareCrop(x: x, y: y, size: s)
}
#endif
