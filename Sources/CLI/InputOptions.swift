#if canImport(Media)
import ArgumentParser
import Face
import FaceParsing
import Foundation
import Kernels
import Media
import NetworkCore
import Runtime

/// `--source-mask`, `--face-parsing`, `--resize`: how the source and driver pictures become model inputs.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("source-mask"),
            help: "Grey PNG mask of the source (white keeps a pixel), the source's size or the model's; the official inference masks the source with a face-parsing mask before every encoder.")
    var sourceMask: String?

    @Option(name: .customLong("face-parsing"),
            help: "BiSeNet face-parsing weights (reference/convert_face_parsing.py): compute the source mask as the official inference does (face, ears, neck, hair, hat). Combined with --source-mask, the two masks multiply.")
    var faceParsing: String?

    @Option(help: "Override the network's own resampling of the framed crop (default: the official code's: bicubic for MegaPortraits, opencv for LivePortrait): bicubic (PyTorch bicubic + clip), area (area/bilinear) or opencv (8-bit OpenCV, LivePortrait's cropper).")
    var resize: ResizeFilter?

    /// The resampling for `network`: `--resize` when given, else the network's official one.
    func filter(for network: any PortraitModel) -> ResizeFilter {
        if let resize { return resize }
        switch network.officialResize {
        case .pytorchBicubic: return .bicubic
        case .opencv: return .opencv
        }
    }

    /// The source mask for the framed `source` `[1, 3, S, S]`: `--source-mask` (see
    /// `fileMask`), the face-parsing mask of `source` computed on `engine` with
    /// `--face-parsing` (the official labels; BiSeNet's mask is 0/1, so the official 0.6 threshold
    /// changes nothing), their product when both are given, or nil. A network that reads no mask
    /// (`accepted` false) gets nil, and either option is then an error.
    func sourceMask(accepted: Bool, for source: Tensor, engine: Engine, sourceWidth: Int, sourceHeight: Int, crop: SquareCrop?) throws -> Tensor? {
        guard accepted else {
            if sourceMask != nil || faceParsing != nil {
                throw ValidationError("--source-mask and --face-parsing apply to MegaPortraits/EMOPortraits; this network reads the whole crop")
            }
            return nil
        }
        let size = source.shape[3]
        let file = try fileMask(size: size, sourceWidth: sourceWidth, sourceHeight: sourceHeight, crop: crop)
        guard let faceParsing else { return file }
        let parsed = try engine.host(try FaceParser(weights: faceParsing, engine: engine).mask(for: source))
        guard let file else { return parsed }
        let a = try engine.values(parsed), b = try engine.values(file)
        return Tensor(shape: parsed.shape, values: zip(a, b).map { $0 * $1 })
    }

    /// The source mask as a `[1, 1, S, S]` tensor in [0, 1] (mean of the three channels), framed
    /// as the source was (`crop`, then resized to `size`) when it has the source's dimensions,
    /// used as it is when it is already `size × size`; nil without `--source-mask`.
    private func fileMask(size: Int, sourceWidth: Int, sourceHeight: Int, crop: SquareCrop?) throws -> Tensor? {
        guard let path = sourceMask else { return nil }
        let image = try ImageReader.read(path)
        let framed: RGBImage
        if image.width == sourceWidth && image.height == sourceHeight {
            framed = try image.framed(size: size, crop: crop, filter: resize ?? .bicubic)
        } else if image.width == size && image.height == size {
            framed = image
        } else {
            throw MediaError.invalidArgument("\(path): the source mask is \(image.width)×\(image.height); it must have the source's size (\(sourceWidth)×\(sourceHeight)) or the model's (\(size)×\(size))")
        }
        var values = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let p = framed[x, y]
                values[y * size + x] = min(max((p.red + p.green + p.blue) / 3, 0), 1)
            }
        }
        return Tensor(shape: [1, 1, size, size], values: values)
    }
}

extension ResizeFilter: ExpressibleByArgument {}

/// A source picture read for the model: the original, the region the model sees and that
/// region framed at the model's size.
struct SourcePicture {
    /// The picture as read.
    let original: RGBImage
    /// The square given to the model (`--crop`/`--source-crop x,y,size`, the face's with auto
    /// framing; it may reach beyond the picture), nil for the centred square.
    let crop: SquareCrop?
    /// The crop resized to the model's size.
    let framed: RGBImage
    /// Whether the model saw the whole picture squeezed to its square (LivePortrait's official
    /// no-crop framing), so nothing can be pasted back.
    let wholePictureSqueezed: Bool
    /// LivePortrait's source crop cut rotated, as the official cropper cuts it (the head's roll
    /// turned away; `crop` is then the axis-aligned square of the same centre and side, for
    /// reports); the paste-back goes through its inverse. Nil for an axis-aligned crop.
    let rotated: LivePortraitCrop?

    /// Reads `path` and frames it as `framing` says: `.auto` finds face `framing.face` with
    /// `locator` (needed then); see `FrameConversion.frame`.
    init(path: String, size: Int, framing: RoleFraming, locator: FaceLocator?, filter: ResizeFilter) throws {
        try StillSource.requirePicture(path)
        original = try ImageReader.read(path)
        var rotated: LivePortraitCrop?
        switch framing.choice {
        case .none: crop = nil
        case .fixed(let box): crop = box
        case .auto:
            guard let locator else { throw ValidationError("auto framing of the source needs the face detector") }
            crop = try locator.crop(original, path: path, framing: framing)
            if filter == .opencv { rotated = locator.lastRotatedCrop }
        }
        self.rotated = rotated
        if let rotated {
            try FrameConversion.checkSize(original, path: path, role: "source", size: size)
            framed = try original.framedLikeOpenCV(size: size, cropMatrix: rotated.cropMatrix(outputSide: 2 * size))
        } else {
            framed = try FrameConversion.frame(original, path: path, role: "source", size: size, crop: crop, filter: filter)
        }
        wholePictureSqueezed = crop == nil && filter == .opencv
    }

    /// The original picture's width in pixels.
    var width: Int { original.width }
    /// The original picture's height in pixels.
    var height: Int { original.height }
    /// The region of the original that the model sees.
    var region: SquareCrop { crop ?? SquareCrop.centered(width: width, height: height) }
    /// Whether the model's square is not exactly the whole picture (it sees less of it, or the
    /// square reaches beyond it), so that pasting the result back into the picture makes sense;
    /// never when the whole picture was squeezed to the square.
    var isLargerThanCrop: Bool { !wholePictureSqueezed && (region != SquareCrop(x: 0, y: 0, size: width) || width != height) }
}
#endif
