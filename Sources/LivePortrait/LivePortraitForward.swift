import Kernels
import NetworkCore
import Runtime

/// A LivePortrait forward pass: the generic `Forward` plus the config its layers read.
final class LivePortraitForward: Forward {
    /// The configuration of the network running.
    let config: LivePortraitConfig

    init(engine: Engine, config: LivePortraitConfig, parameters: [String: Tensor], recorder: StageRecorder?) {
        self.config = config
        super.init(engine: engine, parameters: parameters, recorder: recorder)
    }
}
