#if canImport(Media)
import ArgumentParser
import Disclosure
import Foundation
import Media

/// `portrait verify FILE`: does a picture or video say it is synthetic? Reads the label in the
/// file's metadata and searches sampled frames for the invisible watermark.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an image or video for PortraitCL's AI-generated watermark and metadata label.",
        discussion: """
        Exit status: 0 when the watermark is found, 1 when it is not (whatever the metadata says: \
        labels are easily stripped or forged, the mark is the evidence), 2 when the file cannot be \
        read. Videos are sampled: up to --frames frames spread over the file are folded together.
        """)

    @Argument(help: "An image (PNG/JPEG) or a video (MP4, MOV, MKV, WebM...).")
    var file: String

    @Option(help: "Most video frames to examine, spread evenly over the video.")
    var frames = 32

    @Flag(help: "Print the verdict as JSON.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(frames) else { throw ValidationError("--frames must be 1…1000") }
    }

    func run() throws {
        let (detection, tags, kind) = try reportingErrors { try examine() }
        let labelled = DisclosureLabel.declaresAIGenerated(tags)
        if json {
            var object: [String: Any] = [
                "file": file, "kind": kind, "watermark_found": detection.found, "metadata_says_ai_generated": labelled,
                "metadata": tags, "sync_score": rounded(detection.syncScore), "bit_agreement": rounded(detection.bitAgreement),
                "confidence": rounded(confidence(detection)), "period_px": rounded(detection.period), "frames_examined": detection.frames,
            ]
            if detection.found, let p = detection.payload {
                object["payload"] = ["tool_id": Int(p.toolID), "render_id": p.renderIDHex]
            }
            print(try jsonString(object))
        } else {
            if detection.found, let p = detection.payload {
                print(String(format: "%@: synthetic: watermark found, payload %@, confidence %.2f (sync %.1fσ, %.0f %% of code bits agree, period %.1f px, %d frame%@)",
                             file, p.description, confidence(detection), detection.syncScore, 100 * detection.bitAgreement,
                             detection.period, detection.frames, detection.frames == 1 ? "" : "s"))
            } else {
                print(String(format: "%@: no mark found (best sync %.1fσ, threshold %.1fσ; %d frame%@ examined)", file,
                             detection.syncScore, WatermarkDetector.syncThreshold, detection.frames, detection.frames == 1 ? "" : "s"))
            }
            if tags.isEmpty {
                print("metadata: no tags")
            } else {
                print("metadata: \(labelled ? "labelled AI-generated" : "no AI-generated label")")
                for key in ["generator", "model", "weights_fingerprint", "creation_time", "watermark"] {
                    if let v = tags[key] { print("  \(key): \(v)") }
                }
            }
        }
        if !detection.found { throw ExitCode(1) }
    }

    /// The detection, the file's tags and its kind (`image` or `video`).
    private func examine() throws -> (WatermarkDetection, [String: String], String) {
        guard FileManager.default.isReadableFile(atPath: file) else { throw MediaError.fileNotFound(path: file) }
        let head = FileHandle(forReadingAtPath: file).map { h in defer { try? h.close() }; return h.readData(ofLength: 16) } ?? Data()
        let detector = WatermarkDetector()
        switch ImageReader.kind(of: head) {
        case .png:
            // one read: the pixels and the text chunks come from the same bytes
            guard let data = FileManager.default.contents(atPath: file) else { throw MediaError.fileNotFound(path: file) }
            detector.add(try Self.luma(try PNGCodec.decode(data, path: file)))
            return (detector.detect(), try MediaTags.pngText(data), "image")
        case .jpeg:
            detector.add(try Self.luma(try ImageReader.read(file)))
            return (detector.detect(), [:], "image")
        case .other:
            let reader = try VideoReader(path: file)
            let step = max(1, (reader.frameCountEstimate ?? frames) / frames)
            var index = 0
            while detector.frameCount < frames, let frame = try reader.next() {
                if index % step == 0 { detector.add(try Self.luma(frame)) }
                index += 1
            }
            guard detector.frameCount > 0 else { throw MediaError.noFrames(path: file) }
            return (detector.detect(), try MediaTags.container(file), "video")
        }
    }

    /// A 0…1 figure for humans: how far the sync peak clears the threshold, scaled by how well
    /// the received bits fit the decoded payload.
    private func confidence(_ d: WatermarkDetection) -> Double {
        guard d.found else { return 0 }
        let margin = min(1, max(0, (d.syncScore - WatermarkDetector.syncThreshold) / 4))
        return min(1, 0.5 + 0.5 * margin) * d.bitAgreement
    }

    private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// The luma of a decoded image; throws when the decoder gave no pixels (an empty picture).
    static func luma(_ image: RGBImage) throws -> LumaFrame {
        guard let frame = LumaFrame(width: image.width, height: image.height, rgb: image.pixels) else {
            throw MediaError.invalidArgument("a decoded picture is \(image.width)×\(image.height) with \(image.pixels.count) values: nothing to examine")
        }
        return frame
    }
}
#endif
