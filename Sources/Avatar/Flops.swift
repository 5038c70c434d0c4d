import NetworkCore

extension Network {
    /// The per-stage FLOP table of `config`, in execution order: the per-avatar stages
    /// (`avatar/...`) then the per-frame ones (`frame/...`).
    public static func flopTable(config: ModelConfig) -> [StageFlops] {
        let l = NetworkLayout(config)
        let c = config
        let warp = l.warpSource.flops(c)
        let avatar: [(String, Double)] = [
            ("pose", l.pose.flops(c)), ("expression", l.expression.flops(c)), ("identity", l.identity.flops(c)),
            ("appearance", l.appearance.flops2D(c)), ("appearance.3d", l.appearance.flops3D(c)),
            ("embedding", l.embedding.flops(c)), ("warp.source", warp), ("sampling", 0), ("g3d", l.g3d.flops(c)),
        ]
        let frame: [(String, Double)] = [
            ("pose", l.pose.flops(c)), ("expression", l.expression.flops(c)), ("embedding", l.embedding.flops(c)),
            ("warp.driver", l.warpDriver.flops(c)), ("sampling", 0), ("projection", l.g2d.projectionFlops(c)),
            ("g2d", l.g2d.decodeFlops(c)),
        ]
        return avatar.map { StageFlops(stage: "avatar/" + $0.0, perFrame: false, flops: $0.1) }
            + frame.map { StageFlops(stage: "frame/" + $0.0, perFrame: true, flops: $0.1) }
    }

    /// This network's per-stage FLOP table (see `flopTable(config:)`).
    public var flopTable: [StageFlops] { Self.flopTable(config: config) }

    /// FLOPs of one stage by its profiling name (`frame/g2d`), or nil for an unknown stage.
    public func flops(stage: String) -> Double? { flopTable.first { $0.stage == stage }?.flops }

    /// Total FLOPs per avatar (`perFrame == false`) or per frame.
    public static func totalFlops(config: ModelConfig, perFrame: Bool) -> Double {
        flopTable(config: config).filter { $0.perFrame == perFrame }.reduce(0) { $0 + $1.flops }
    }
}
