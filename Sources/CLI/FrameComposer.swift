#if canImport(Media)
import Kernels
import Media
import Runtime

/// Turns one rendered model frame into the frame that is written: pasted back into the source
/// picture (when `pasteInto` is set), watermarked, and with `--side-by-side` placed after the
/// driver and source panels at the result's height.
struct FrameComposer {
    /// The source picture to paste into, or nil to write the model's square.
    let pasteInto: SourcePicture?
    /// The framed source (the model's input), shown when not pasting back.
    let framedSource: RGBImage?
    /// Driver | source | result panels.
    let sideBySide: Bool
    let disclosure: RenderDisclosure
    let engine: Engine
    /// Paste back as LivePortrait's official pipeline does (its soft mask, OpenCV warps, 8-bit
    /// blend) instead of the feathered square.
    var livePortraitPaste = false
    /// Write the model's square as LivePortrait's official pipeline writes it (truncated to 8-bit
    /// levels, `RGBImage.truncatedToLevels`); off for a float output.
    var truncatesLikeLivePortrait = false

    /// The output frame for the model's `rendered` `[1, 3, S, S]` tensor and the framed driver.
    func compose(_ rendered: Tensor, driver: RGBImage?) throws -> RGBImage {
        var frame: RGBImage
        if let pasteInto {
            let face = try FrameConversion.image(rendered, engine: engine)
            let pasted = try pasteInto.original.pastingRendered(face, into: pasteInto.region, rotated: pasteInto.rotated, likeLivePortrait: livePortraitPaste)
            frame = try FrameConversion.image(try disclosure.mark(FrameConversion.tensor(pasted)), engine: engine)
        } else if truncatesLikeLivePortrait {
            let levels = try FrameConversion.image(rendered, engine: engine).truncatedToLevels()
            frame = try FrameConversion.image(try disclosure.mark(FrameConversion.tensor(levels)), engine: engine)
        } else {
            frame = try FrameConversion.image(try disclosure.mark(rendered), engine: engine)
        }
        guard sideBySide else { return frame }
        // Panels at the result's height: the full picture when pasted back, the model's square otherwise.
        return try RGBImage.sideBySide([driver, pasteInto?.original ?? framedSource].compactMap { $0 } + [frame], height: frame.height)
    }
}

/// The frames one render writes and where: the whole clip, or one shard's piece of it.
struct RenderPiece {
    /// Frames to render, by index in the driver.
    let range: Range<Int>
    /// The file to write (a shard's segment name).
    let outputPath: String
    /// Container tags that mark a shard's segment (empty otherwise).
    let tags: [String: String]

    /// The whole run (`wanted` frames at most) or shard `piece` of a `clip`-frame clip cut every
    /// `interval` frames; nil for a shard with no frames (it says so).
    static func make(piece: (index: Int, count: Int)?, output: String, wanted: Int, clip: () throws -> Int, interval: Int) throws -> RenderPiece? {
        guard let piece else { return RenderPiece(range: 0..<wanted, outputPath: output, tags: [:]) }
        let frames = min(wanted, try clip())
        let range = ShardMath.range(index: piece.index, count: piece.count, frames: frames, interval: interval)
        guard !range.isEmpty else {
            print("shard \(piece.index)/\(piece.count): no frames (the \(frames)-frame clip is cut every \(interval) frames into fewer pieces); nothing to write")
            return nil
        }
        let path = ShardMath.segmentPath(output, index: piece.index, count: piece.count)
        printError("portrait: shard \(piece.index)/\(piece.count): frames \(range.lowerBound)..<\(range.upperBound) of \(frames) → \(path)")
        return RenderPiece(range: range, outputPath: path, tags: [ShardOptions.segmentTag: "\(range.lowerBound)+\(range.count)/\(frames)"])
    }
}
#endif
