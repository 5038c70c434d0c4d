#if canImport(Media)
import Foundation
import Media

/// A source picture or a source video: `render` with LivePortrait animates a source video
/// (`SourceVideoRender`); everywhere else a video given as `--source` is refused before any work,
/// instead of silently animating its first frame.
enum StillSource {
    /// Whether `path` decodes to more than one frame (a video, an animated GIF); nil when it is not.
    static func videoDescription(_ path: String) -> String? {
        guard !ImageReader.isPicture(atPath: path) else { return nil }  // a still-picture format holds one picture
        guard let reader = try? VideoReader(path: path), (try? reader.next()) != nil, (try? reader.next()) != nil else { return nil }
        let frames = reader.frameCountEstimate.map { "about \($0) frames" } ?? "several frames"
        return "\(frames) at \(String(format: "%.3g", reader.frameRate.framesPerSecond)) fps"
    }

    /// Throws when `path` is a video, saying what it is and what to do.
    static func requirePicture(_ path: String) throws {
        guard let what = videoDescription(path) else { return }
        throw MediaError.invalidArgument("""
            \(path) is a video (\(what)); a source here is one picture. MegaPortraits/EMOPortraits encodes one picture into \
            its avatar (no video-to-video mode); LivePortrait animates a source video with `render` only (no saved avatar or \
            comparison of one). Take one frame as the source, e.g. `ffmpeg -i \(path) -frames:v 1 source.png`
            """)
    }
}
#endif
