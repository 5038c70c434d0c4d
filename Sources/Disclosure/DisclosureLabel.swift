import Foundation

/// The machine-readable label every rendered file carries (MP4 container tags, PNG text chunks):
/// that it is AI-generated, by which tool, model config and weights, when, and which watermark
/// payload its frames carry. Nothing personal: no paths, user or host names.
public struct DisclosureLabel: Sendable {
    /// Tool name and version, e.g. `PortraitCL portrait 0.1.0`.
    public var generator: String
    /// The model config's name (`megaportraits-512`, `tiny`...).
    public var model: String
    /// `Weights.fingerprint` of the weights used (random weights: `random-seed-N:<fingerprint>`).
    public var weightsFingerprint: String
    /// When the render started.
    public var created: Date
    /// The watermark payload, or nil when the frames are unmarked (`--no-watermark`).
    public var payload: WatermarkPayload?

    /// A label from its fields.
    public init(generator: String, model: String, weightsFingerprint: String, created: Date = Date(), payload: WatermarkPayload?) {
        self.generator = generator
        self.model = model
        self.weightsFingerprint = weightsFingerprint
        self.created = created
        self.payload = payload
    }

    /// The IPTC digital source type for media made by a trained model.
    public static let digitalSourceType = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    /// The tag that says a file is AI-generated.
    public static let aiGeneratedKey = "ai_generated"

    /// The tags, as written to files (keys are lower-case ASCII; `creation_time` is ISO 8601 UTC).
    public var tags: [String: String] {
        let time = ISO8601DateFormatter()
        time.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        time.timeZone = TimeZone(identifier: "UTC")
        let mark = payload.map { "\(WatermarkLayout.scheme) \($0)" } ?? "none (rendered with --no-watermark)"
        return [
            Self.aiGeneratedKey: "true",
            "digital_source_type": Self.digitalSourceType,
            "generator": generator,
            "model": model,
            "weights_fingerprint": weightsFingerprint,
            "creation_time": time.string(from: created),
            "watermark": mark,
            "comment": "AI-generated (synthetic) media: a portrait animated by \(generator). Check with `portrait verify FILE`.",
        ]
    }

    /// Whether a set of tags read from a file declares it AI-generated.
    public static func declaresAIGenerated(_ tags: [String: String]) -> Bool {
        tags[aiGeneratedKey]?.lowercased() == "true" || tags["digital_source_type"] == digitalSourceType
    }
}
