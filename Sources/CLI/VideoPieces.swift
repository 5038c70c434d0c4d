#if canImport(Media)
import Foundation
import Media

/// A video render written as keyframe-aligned pieces in a work folder beside the output
/// (`.OUT.mp4.pieces/`), joined by `SegmentMerger` when the render completes. Each piece holds
/// the frames `[first, end)` of one keyframe interval, encoded on its own (as `VideoWriter` with
/// `keyframeInterval` encodes one file), so the joined video decodes to exactly the frames of one
/// writer given them all. A piece is written to a temporary, renamed to `piece-FIRST.mp4` when
/// its encoder finished, then to `frames-FIRST-END.mp4`: a file of that last name is a whole
/// piece, which a resumed render (`render --resume`) keeps instead of rendering its frames again.
final class VideoPieces {
    /// The work folder.
    let folder: String
    private let frameRate: FrameRate
    private let options: VideoWriter.Options
    private let interval: Int
    private var writer: VideoWriter?
    private var writerFirst = 0

    /// The work folder of a video output `path`: `.NAME.pieces` in the same folder.
    static func folder(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).pieces").path
    }

    /// Pieces in `folder` of `interval` frames each, encoded with `options` (tags and CRF; the
    /// interval is applied per piece).
    init(folder: String, frameRate: FrameRate, options: VideoWriter.Options, interval: Int) {
        self.folder = folder
        self.frameRate = frameRate
        self.options = options
        self.interval = interval
    }

    /// The whole pieces in the folder, as frame ranges in order (files of other names, such as
    /// an unfinished piece's temporary, are not pieces).
    static func completed(in folder: String, interval: Int) -> [Range<Int>] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> Range<Int>? in
            guard name.hasPrefix("frames-"), name.hasSuffix(".mp4") else { return nil }
            let fields = name.dropFirst(7).dropLast(4).split(separator: "-").compactMap { Int($0) }
            guard fields.count == 2, fields[0] >= 0, fields[0] < fields[1], fields[0] % interval == 0 else { return nil }
            return fields[0]..<fields[1]
        }.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Encodes frame number `index` (0-based in the render); a piece starts at a multiple of the
    /// interval and ends after its last frame or at `finish`.
    func write(_ image: RGBImage, index: Int) throws {
        let piece: VideoWriter
        if let writer {
            piece = writer
        } else {
            guard index % interval == 0 else {
                throw MediaError.invalidArgument("internal error: a video piece would start at frame \(index), not on a multiple of \(interval) (please report this)")
            }
            piece = try VideoWriter(path: (folder as NSString).appendingPathComponent(String(format: "piece-%07d.mp4", index)),
                                    width: image.width, height: image.height, frameRate: frameRate, options: options)
            writer = piece
            writerFirst = index
        }
        try piece.write(image)
        if (index + 1) % interval == 0 { try closePiece() }
    }

    /// Closes the open piece, if any, making it whole.
    func closePiece() throws {
        guard let open = writer else { return }
        writer = nil
        try open.finish()
        let end = writerFirst + open.framesWritten
        let whole = (folder as NSString).appendingPathComponent(String(format: "frames-%07d-%07d.mp4", writerFirst, end))
        guard rename(open.path, whole) == 0 else {
            throw MediaError.cannotWrite(path: whole, reason: String(cString: strerror(errno)))
        }
    }

    /// Abandons the open piece (its temporary is removed); whole pieces stay.
    func cancelPiece() {
        writer?.cancel()
        writer = nil
    }

    /// Closes the last piece and joins every piece into `path` with `audioSource`'s audio and
    /// `metadata` as tags. Throws unless the pieces hold exactly frames `0..<frames`.
    func merge(into path: String, frames: Int, audioSource: String?, metadata: [String: String]) throws {
        try closePiece()
        let pieces = Self.completed(in: folder, interval: interval)
        var next = 0
        for piece in pieces where piece.lowerBound == next { next = piece.upperBound }
        guard next == frames, pieces.count == (frames + interval - 1) / interval else {
            throw MediaError.invalidArgument("the pieces in \(folder) hold frames 0..<\(next), not the \(frames) rendered; remove the folder and render again (please report this)")
        }
        let paths = pieces.map { (folder as NSString).appendingPathComponent(String(format: "frames-%07d-%07d.mp4", $0.lowerBound, $0.upperBound)) }
        _ = try SegmentMerger.merge(paths, into: path, audioSource: audioSource, metadata: metadata)
    }
}
#endif
