import Kernels
import NetworkCore
import Runtime

/// The five LivePortrait networks built from a config, with the parameters they declare (the
/// names of `reference/liveportrait/convert.py`, docs/liveportrait.md §7.2). Holds names, not
/// tensors: `LivePortraitNetwork` binds it to weights.
struct LivePortraitLayout {
    let config: LivePortraitConfig
    let appearance: AppearanceExtractor
    let motion: MotionExtractor
    let warping: WarpingModule
    let decoder: SpadeDecoder
    let mlps: RetargetingMLPs
    /// The declared parameters and constants.
    let parameters: ParameterCollector
    /// Parameters in declaration order.
    var specs: [ParameterSpec] { parameters.specs }

    init(_ config: LivePortraitConfig) {
        let c = ParameterCollector()
        self.config = config
        appearance = AppearanceExtractor(c, config)
        motion = MotionExtractor(c, config)
        warping = WarpingModule(c, config)
        decoder = SpadeDecoder(c, config)
        mlps = RetargetingMLPs(c, config)
        parameters = c
    }
}
