#if canImport(Media)
import Foundation
import Media

/// A source must be one picture: a video (or an animated GIF) given as `--source` is refused
/// before any work, instead of silently animating its first frame.
enum StillSource {
    /// Throws when `path` decodes to more than one frame, saying what it is and what to do.
    static func requirePicture(_ path: String) throws {
        let head = (FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 8) }) ?? Data()
        guard ImageReader.kind(of: head) == .other else { return }  // PNG and JPEG hold one picture
        guard let reader = try? VideoReader(path: path), (try? reader.next()) != nil, (try? reader.next()) != nil else { return }
        let frames = reader.frameCountEstimate.map { "about \($0) frames" } ?? "several frames"
        throw MediaError.invalidArgument("""
            \(path) is a video (\(frames) at \(String(format: "%.3g", reader.frameRate.framesPerSecond)) fps); a source is one picture. \
            MegaPortraits/EMOPortraits encodes one picture into its avatar, and LivePortrait's video-to-video mode (a source video \
            animated by a driving video) is not implemented yet. Take one frame as the source, e.g. `ffmpeg -i \(path) -frames:v 1 source.png`
            """)
    }
}
#endif
