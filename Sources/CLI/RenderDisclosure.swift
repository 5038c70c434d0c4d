#if canImport(Media)
import Avatar
import Disclosure
import Foundation
import Kernels
import Runtime

/// What `render` does to say its output is synthetic: a watermark on every frame (unless
/// `--no-watermark`) and the disclosure label for the file's metadata (always).
struct RenderDisclosure {
    /// The tool name and version written into labels.
    static let generator = "PortraitCL portrait \(Portrait.version)"
    /// The metadata tags for the output file.
    let tags: [String: String]
    /// The watermark's render id (8 hex digits), nil with `--no-watermark`.
    let renderIDHex: String?
    /// The label's creation time.
    let created: Date
    private let embedder: WatermarkEmbedder?

    /// The disclosure for one render on `network`, with `renderID` (a plan's or a resumed
    /// render's) or `fixedRenderID` or a random id, created at `created` (a resumed render's) or
    /// `SOURCE_DATE_EPOCH` or now; with `watermark` false, prints the one-line warning that the
    /// frames are unmarked.
    init(watermark: Bool, network: any PortraitModel, model: ModelOptions, engine: Engine, renderID: UInt32? = nil, created: Date? = nil) {
        let payload = watermark ? (renderID ?? Self.fixedRenderID).map { WatermarkPayload(renderID: $0) } ?? .random() : nil
        embedder = payload.map { WatermarkEmbedder(payload: $0, engine: engine) }
        let weights = model.randomSeed.map { "random-seed-\($0):\(network.weightsFingerprint)" } ?? network.weightsFingerprint
        self.created = created ?? Self.sourceDateEpoch ?? Date()
        renderIDHex = payload?.renderIDHex
        tags = DisclosureLabel(generator: Self.generator, model: network.configName, weightsFingerprint: weights,
                               created: self.created, payload: payload).tags
        if let payload {
            printError("portrait: output is watermarked as AI-generated (render \(payload.renderIDHex)); check with `portrait verify FILE`")
        } else {
            printError("portrait: warning: --no-watermark: the frames carry no invisible mark (only the file's metadata says they are AI-generated, and re-encoding drops it)")
        }
    }

    /// `PORTRAIT_RENDER_ID` (8 hex digits) fixes the render id, for reproducible outputs and tests;
    /// unset (the normal case), each render draws a fresh random id.
    static var fixedRenderID: UInt32? {
        ProcessInfo.processInfo.environment["PORTRAIT_RENDER_ID"].flatMap { UInt32($0, radix: 16) }
    }

    /// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) fixes the
    /// label's creation time, so two renders of the same command can be byte-identical.
    static var sourceDateEpoch: Date? {
        ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
    }

    /// `frame` with the watermark added (unchanged with `--no-watermark`).
    func mark(_ frame: Tensor) throws -> Tensor {
        guard let embedder else { return frame }
        return try embedder.mark(frame)
    }
}
#endif
