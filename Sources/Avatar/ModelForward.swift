import Kernels
import NetworkCore
import Runtime

/// A MegaPortraits forward pass: the generic `Forward` plus the config its layers read (norm
/// groups, sizes).
final class ModelForward: Forward {
    /// The configuration of the network running.
    let config: ModelConfig

    init(engine: Engine, config: ModelConfig, parameters: [String: Tensor], recorder: StageRecorder?) {
        self.config = config
        super.init(engine: engine, parameters: parameters, recorder: recorder)
    }
}
