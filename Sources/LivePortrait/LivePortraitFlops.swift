import NetworkCore

extension LivePortraitNetwork {
    /// The per-stage FLOP table of `config` with the default options (2 × the multiply-accumulates
    /// of convolutions and linear layers, as `reference/liveportrait/flops.py`), in execution
    /// order: `avatar/motion`, `avatar/appearance` once per source, then per frame `frame/motion`,
    /// `frame/keypoints` (the stitching MLP), `frame/warping`, `frame/decoder`.
    public static func flopTable(config: LivePortraitConfig) -> [StageFlops] {
        let l = LivePortraitLayout(config)
        let motion = l.motion.flops(config)
        return [
            StageFlops(stage: "avatar/motion", perFrame: false, flops: motion),
            StageFlops(stage: "avatar/appearance", perFrame: false, flops: l.appearance.flops(config)),
            StageFlops(stage: "frame/motion", perFrame: true, flops: motion),
            StageFlops(stage: "frame/keypoints", perFrame: true, flops: l.mlps.stitching.flops),
            StageFlops(stage: "frame/warping", perFrame: true, flops: l.warping.flops(config)),
            StageFlops(stage: "frame/decoder", perFrame: true, flops: l.decoder.flops(config)),
        ]
    }

    /// This network's per-stage FLOP table (see `flopTable(config:)`).
    public var flopTable: [StageFlops] { Self.flopTable(config: config) }

    /// Total FLOPs per source (`perFrame == false`) or per frame.
    public static func totalFlops(config: LivePortraitConfig, perFrame: Bool) -> Double {
        flopTable(config: config).filter { $0.perFrame == perFrame }.reduce(0) { $0 + $1.flops }
    }
}
