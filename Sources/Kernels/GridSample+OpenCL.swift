import Runtime

extension Engine {
    /// Channel count from which the 3-D OpenCL grid sample goes through a channels-last copy of
    /// the input (see `gridSample`). Below it the NCDHW kernel is used directly.
    static let channelsLastGridSampleThreshold = 8

    /// The OpenCL grid sample: the NCDHW/NCHW kernels for 2-D and few channels, the channels-last
    /// path (transpose + float4 gather) for 3-D volumes with many channels. Every kernel takes a
    /// `shared` flag: grid n reads input item 0 when one input serves all grids.
    func gridSampleOpenCL(_ cl: OpenCLContext, _ input: Tensor, grid: Tensor, geometry g: GridSampleGeometry,
                          mode: GridSampleMode, padding: GridPadding, alignCorners: Bool, cost: KernelCost, output out: Tensor) throws {
        let (di, hi, wi) = (g.input[0], g.input[1], g.input[2])
        let common: [KernelArgument] = [.int(padding.code), .i(alignCorners ? 1 : 0), .int(mode.code), .i(g.sharesInput ? 1 : 0)]
        if !g.volumetric {
            try cl.launch("grid_sample_2d", global: [g.outputVoxels, g.batch], local: [64, 1],
                          arguments: [.buffer(buffer(input)), .buffer(buffer(grid)), .buffer(out.deviceBuffer!),
                                      .i(g.channels), .i(hi), .i(wi), .i(g.outputVoxels)] + common,
                          cost: cost)
        } else if g.channels < Self.channelsLastGridSampleThreshold {
            try cl.launch("grid_sample_3d", global: [g.outputVoxels, g.batch], local: [64, 1],
                          arguments: [.buffer(buffer(input)), .buffer(buffer(grid)), .buffer(out.deviceBuffer!),
                                      .i(g.channels), .i(di), .i(hi), .i(wi), .i(g.outputVoxels)] + common,
                          cost: cost)
        } else {
            let padded = (g.channels + 3) / 4 * 4
            let voxels = g.inputVoxels
            // A shared input (batch 1, N grids) is transposed once.
            let channelsLast = try cl.makeBuffer(byteCount: g.inputBatch * (voxels + 1) * padded * 4)
            let moved = Double(g.inputBatch * g.channels * voxels) * 4
            try cl.launch("gs_to_channels_last", global: [voxels / 4 + 1, padded / 4, g.inputBatch], local: [64, 1, 1],
                          arguments: [.buffer(buffer(input)), .buffer(channelsLast), .i(g.channels), .i(padded), .i(voxels)],
                          cost: KernelCost(flops: 0, bytes: 2 * moved))
            // Channels per work-item (`grid3d.block`): all on CPUs (fastest on PoCL), 16 on GPUs.
            let block = min(variants.gridSampleChannelBlock ?? padded, padded)
            let global = [(g.outputVoxels + 3) / 4, (padded + block - 1) / block, g.batch]
            try cl.launch("grid_sample_3d_cl", global: global, local: try laneGroup(cl, kernel: "grid_sample_3d_cl", narrow: [16, 1, 1], global: global),
                          arguments: [.buffer(channelsLast), .buffer(buffer(grid)), .buffer(out.deviceBuffer!),
                                      .i(g.channels), .i(padded), .i(di), .i(hi), .i(wi), .i(g.outputVoxels), .i(block)] + common,
                          cost: cost)
        }
    }
}
