import Disclosure
import Foundation
import Kernels
import Media
import Runtime
import Testing

/// The full robustness table and the embedding cost, printed as Markdown for docs/disclosure.md.
/// Slow (minutes): runs only with PORTRAIT_WATERMARK_BENCH=1 (Benchmarks/watermark_robustness.sh).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["PORTRAIT_WATERMARK_BENCH"] == "1"))
struct WatermarkBenchmark {
    static let attacks: [Attack] = [
        .h264(crf: 18), .h264(crf: 23), .h264(crf: 28), .h264(crf: 32), .vp9(crf: 31), .vp9(crf: 40),
        .scale(0.5), .scale(0.75), .crop(edge: .left, fraction: 0.1), .crop(edge: .right, fraction: 0.1),
        .crop(edge: .top, fraction: 0.1), .crop(edge: .bottom, fraction: 0.1),
        .brightness(0.1), .brightness(-0.1), .contrast(1.1), .contrast(0.9),
    ]

    /// Clips: the portrait (a photograph, slowly moving window) and a synthetic moving face-like blob.
    static func clips(frames: Int) throws -> [(String, [RGBImage])] {
        [("portrait", try Harness.sourceFrames(count: frames, size: 512)),
         ("blob", (0..<frames).map { Content.picture(kind: 1, seed: 3, width: 512, height: 512, phase: $0) })]
    }

    static func row(_ name: String, _ d: WatermarkDetection, _ p: WatermarkPayload, marked: Bool = true) -> String {
        let truth = p.codeword
        let raw = d.softBits.isEmpty ? 0 : Double(zip(truth, d.softBits).filter { ($0.0 == 1) == ($0.1 > 0) }.count) / Double(truth.count)
        let verdict = marked ? (d.found && d.payload == p ? "yes" : "**no**") : (d.found ? "**false positive**" : "none found (correct)")
        return String(format: "| %@ | %@ | %.0f / 40 | %.1f %% | %.1f |", name, verdict,
                      Harness.payloadBitAccuracy(d, p) * 40, 100 * raw, d.syncScore)
    }

    @Test func robustnessTable() throws {
        defer { Harness.removeTemporaries() }
        let payload = WatermarkPayload(renderID: 0x1234_ABCD)
        for (name, frames) in try Self.clips(frames: 25) {
            let marked = try Harness.mark(frames, payload: payload)
            let psnr = zip(frames, marked).map { Harness.psnr($0.0, $0.1) }.reduce(0, +) / Double(frames.count)
            print(String(format: "\n%@ clip, 512², 25 frames (1 s), marked PSNR %.2f dB\n", name, psnr))
            print("| attack (then H.264 CRF 23 unless a codec is named) | payload decoded | payload bits | raw code bits | sync σ |")
            print("|---|---|---|---|---|")
            let path = try Harness.writeVideo(marked)
            print(Self.row("none (render output, H.264 CRF 18)", try Harness.detect(video: path), payload))
            for attack in Self.attacks { print(Self.row("\(attack)", try Harness.detect(video: try attack.apply(to: path)), payload)) }
            let short = try Harness.writeVideo(Array(marked.prefix(10)))
            print(Self.row("0.4 s clip (10 frames), H.264 CRF 28", try Harness.detect(video: try Attack.h264(crf: 28).apply(to: short)), payload))
            let still = WatermarkDetector(); still.add(Harness.luma(marked[0]))
            print(Self.row("one frame as PNG", still.detect(), payload))
            print(Self.row("unmarked clip", try Harness.detect(video: try Harness.writeVideo(frames)), payload, marked: false))
        }
    }

    /// Wall time of `mark` per frame: reading the frame back (OpenCL), the visibility mask and
    /// the addition on the host; 64² and 512² model outputs and a 1920×1080 pasted-back picture.
    @Test func embeddingCost() throws {
        var engines: [(String, Engine)] = [("cpu", .cpu())]
        if let device = DeviceChoice.preferredDevice(among: OpenCLDevice.all()) { engines.append(("opencl", try .opencl(device))) }
        for (name, engine) in engines {
            for (w, h) in [(64, 64), (512, 512), (1920, 1080)] {
                let embedder = WatermarkEmbedder(payload: WatermarkPayload(renderID: 1), engine: engine)
                let image = try engine.resident(Tensor.random([1, 3, h, w], seed: 1, range: 0...1))
                _ = try embedder.mark(image)
                var times: [Double] = []
                for _ in 0..<(w * h > 1_000_000 ? 5 : 20) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = try embedder.mark(image)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
                times.sort()
                print(String(format: "embed %@ %d×%d: median %.2f ms per frame (read-back, mask and mark)", name, w, h, times[times.count / 2]))
            }
        }
    }
}
