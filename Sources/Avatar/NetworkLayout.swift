import Kernels
import NetworkCore
import Runtime

/// Every sub-network of G_base built from a config (`network.py MegaPortraits.__init__`), with the
/// parameter specs they declare. Holds names, not tensors: the `Network` binds it to weights.
struct NetworkLayout {
    let config: ModelConfig
    let appearance: Appearance
    let identity: Identity
    let pose: Pose
    let expression: Expression
    let embedding: Embedding
    let warpSource: WarpGenerator
    let warpDriver: WarpGenerator
    let g3d: G3D
    let g2d: G2D
    /// The declared parameters, derived tensors and constants.
    let parameters: ParameterCollector
    /// Parameters in declaration order (the weight-format names).
    var specs: [ParameterSpec] { parameters.specs }

    init(_ config: ModelConfig) {
        let c = ParameterCollector()
        self.config = config
        appearance = Appearance(c, config)
        identity = Identity(c, config)
        pose = Pose(c, config)
        expression = Expression(c, config)
        embedding = Embedding(c, config)
        warpSource = WarpGenerator(c, "warp_source", config)
        warpDriver = WarpGenerator(c, "warp_driver", config)
        g3d = G3D(c, config)
        g2d = G2D(c, config)
        parameters = c
    }
}
