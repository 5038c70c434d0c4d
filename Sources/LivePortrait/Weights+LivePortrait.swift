import Foundation
import NetworkCore

extension Weights {
    /// The format tag `reference/convert.py --liveportrait` writes into the weights' metadata.
    public static let livePortraitFormatTag = "portraitcl-liveportrait-1"
}

/// LivePortrait's config as a `NetworkConfiguration`: its parameters come from the layout.
extension LivePortraitConfig: NetworkConfiguration {
    public var parameterSpecs: [ParameterSpec] { LivePortraitLayout(self).specs }

    public static var weightsFormatTag: String { Weights.livePortraitFormatTag }
}
