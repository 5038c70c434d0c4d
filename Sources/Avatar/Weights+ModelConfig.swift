import Foundation
import NetworkCore

/// MegaPortraits' config as a `NetworkConfiguration`: its parameters come from the network layout.
extension ModelConfig: NetworkConfiguration {
    public var parameterSpecs: [ParameterSpec] { NetworkLayout(self).specs }

    public static var weightsFormatTag: String { Weights.formatTag }
}
