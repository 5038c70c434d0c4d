import Kernels
import Runtime

extension PortraitModel {
    /// One picture per source state (a one-shot network).
    public var maxSourcePictures: Int { 1 }

    /// A one-shot network's source state of exactly one picture; several are refused (a one-shot
    /// network cannot average pictures, and silently keeping one would hide the others).
    public func makeSource(_ images: [Tensor], mask: Tensor?, recorder: StageRecorder?) throws -> any PortraitSource {
        guard images.count == 1, let image = images.first else {
            throw SeveralSourcesRefused(network: configName, given: images.count, allowed: maxSourcePictures)
        }
        return try makeSource(image, mask: mask, recorder: recorder)
    }
}

/// The error for a number of source pictures a network cannot take (several for a one-shot
/// network, none at all, or more than a few-shot network's limit).
public struct SeveralSourcesRefused: Error, CustomStringConvertible, Equatable {
    /// The network's config name.
    public let network: String
    /// How many pictures were given.
    public let given: Int
    /// How many it takes at most.
    public let allowed: Int

    /// An error for `given` pictures where `network` takes 1...`allowed`.
    public init(network: String, given: Int, allowed: Int) {
        self.network = network; self.given = given; self.allowed = allowed
    }

    /// The message.
    public var description: String {
        if given < 1 { return "\(network): no source picture given; give one with --source" }
        if allowed == 1 {
            return "\(network) is a one-shot network: it takes exactly one source picture, got \(given) (--source given \(given) times); give one --source, or use --model fewshot to combine several pictures of one person"
        }
        return "\(network) combines at most \(allowed) source pictures, got \(given); give fewer --source pictures"
    }
}
