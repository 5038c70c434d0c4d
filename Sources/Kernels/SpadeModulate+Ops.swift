import Runtime

/// SPADE's whole modulation from its hidden map in one op: `act(InstanceNorm(x)·(1 + γ) + β)` with
/// `γ = conv(h, wγ, bγ)`, `β = conv(h, wβ, bβ)` ("same" padding, stride 1), InstanceNorm without
/// affine (the group norm's statistics with one channel per group) and `act` LeakyReLU or none.
/// On OpenCL under Winograd F(4×4, 3×3) or F(6×6, 3×3) the two convolutions share one input transform of `h` and
/// their output transforms run inside the modulation pass (`conv3x3_wino4_output_modulate`,
/// `conv3x3_wino6_output_modulate`), so γ
/// and β are never stored; other algorithms convolve into γ and β, then `norm_modulate_apply`.
/// Inputs: `input`, `hidden`, `gamma_weight`, `gamma_bias`, `beta_weight`, `beta_bias`.
struct SpadeModulateOp: EngineOp {
    let shape: GroupNormShape
    let outputShape: [Int]
    /// The γ (and β) convolution of the hidden map.
    let geometry: ConvolutionGeometry
    let eps: Float
    let activation: FusedActivation?
    /// Whether the CPU body convolves by Winograd F(4×4, 3×3) (as `ConvolutionOp.winogradCPU`).
    var winogradCPU = false

    /// The checked call.
    static func call(_ x: Tensor, hidden h: Tensor, gammaWeight: Tensor, gammaBias: Tensor, betaWeight: Tensor, betaBias: Tensor,
                     eps: Float, activation: FusedActivation?, winogradCPU: Bool = false) throws -> OpCall {
        let op = "spade_modulate"
        guard x.rank == 4, h.rank == 4 else {
            throw RuntimeError.shapeMismatch("\(op): input and hidden must be [N, C, H, W], got \(x.shapeDescription) and \(h.shapeDescription)")
        }
        guard betaWeight.shape == gammaWeight.shape, betaBias.shape == gammaBias.shape else {
            throw RuntimeError.shapeMismatch("\(op): beta_weight/beta_bias must have gamma_weight/gamma_bias's shapes \(gammaWeight.shapeDescription)/\(gammaBias.shapeDescription), got \(betaWeight.shapeDescription)/\(betaBias.shapeDescription)")
        }
        guard gammaWeight.rank == 4, gammaWeight.shape[2] == gammaWeight.shape[3], gammaWeight.shape[2] % 2 == 1 else {
            throw RuntimeError.shapeMismatch("\(op): gamma_weight must be [C, hidden, k, k] with k odd (\"same\" padding), got \(gammaWeight.shapeDescription)")
        }
        let pad = gammaWeight.shape[2] / 2
        let g = try ConvolutionGeometry(op: op, input: h.shape, weight: gammaWeight.shape, bias: gammaBias.shape,
                                        stride: [1, 1], padding: [pad, pad], rank: 2)
        let convolved = [g.batch, g.outputChannels] + Array(g.output.suffix(2))
        guard convolved == x.shape else {
            throw RuntimeError.shapeMismatch("\(op): the convolutions of hidden \(h.shapeDescription) give \(convolved), which must equal the input's shape \(x.shapeDescription)")
        }
        guard x.count < Int(Int32.max) else {
            throw RuntimeError.shapeMismatch("\(op): \(x.shapeDescription) has more than 2^31 elements; split the batch")
        }
        let shape = try GroupNormShape(x, groups: max(x.shape[1], 1), op: op)
        return OpCall(SpadeModulateOp(shape: shape, outputShape: x.shape, geometry: g, eps: eps, activation: activation, winogradCPU: winogradCPU),
                      [x, h, gammaWeight, gammaBias, betaWeight, betaBias])
    }

    var name: String { "spade_modulate" }
    /// Two convolutions, the normalisation and the modulation (3 FLOPs per element), the activation.
    var cost: KernelCost {
        let conv = geometry.cost(bias: true), n = Double(shape.count)
        return KernelCost(flops: 2 * conv.flops + shape.cost.flops + n * (3 + (activation?.flopsPerElement ?? 0)),
                          bytes: 2 * conv.bytes + shape.cost.bytes + n * 8)
    }
    var tolerance: Tolerance { .reduction }

    func cpu(_ inputs: [[Float]]) -> [Float] { modulated(inputs, winograd: winogradCPU && Engine.winograd4Applies(geometry)) }

    /// Direct convolutions, whatever `winogradCPU` says (the OpenCL Winograd kernels are checked
    /// against arithmetic of another kind).
    func reference(_ inputs: [[Float]]) -> [Float] { modulated(inputs, winograd: false) }

    private func modulated(_ inputs: [[Float]], winograd: Bool) -> [Float] {
        let (x, h) = (inputs[0], inputs[1])
        func convolve(_ w: [Float], _ b: [Float]) -> [Float] {
            winograd ? Engine.convolutionWinograd4CPU(geometry, input: h, weight: w, bias: b)
                : Engine.convolutionCPU(geometry, input: h, weight: w, bias: b)
        }
        let (gamma, beta) = (convolve(inputs[2], inputs[3]), convolve(inputs[4], inputs[5]))
        let params = NormalizationCPU.groupParams(x, shape, gamma: nil, beta: nil, perSample: false, eps: eps)
        let normalised = NormalizationCPU.apply(x, params: params, spatial: shape.spatial, paramRows: shape.batch * shape.channels)
        var y = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count { y[i] = normalised[i] * (1 + gamma[i]) + beta[i] }
        return activation?.apply(y) ?? y
    }

    func openCL(_ l: OpenCLLaunch) throws {
        let (e, cl) = (l.engine, l.context)
        guard let params = try e.groupNormParams(cl, l.inputs[0], shape, NormAffine(gamma: nil, beta: nil, perSample: false), eps: eps) else { return }
        // The hidden map resident once, so both convolutions see one buffer (and share its transform).
        let h = Tensor(shape: l.inputs[1].shape, buffer: try l.input(1))
        let (wg, bg, wb, bb) = (l.inputs[2], try l.input(3), l.inputs[4], try l.input(5))
        let n = Double(shape.count), variant = activation?.buildOptions ?? ""
        let convCost = geometry.cost(bias: true)
        if e.usesWinograd6(geometry, outputs: 2 * geometry.outputChannels) {
            let (mg, mb, layout) = try e.reusingConvolutionInputs([h]) { () throws -> (DeviceBuffer, DeviceBuffer, Winograd6Layout) in
                let (mg, layout) = try e.winograd6Products(cl, geometry, input: h, weight: wg, cost: convCost)
                let (mb, _) = try e.winograd6Products(cl, geometry, input: h, weight: wb, cost: convCost)
                return (mg, mb, layout)
            }
            let out = geometry.output
            let global = [layout.chunks, shape.channels, shape.batch]
            try cl.launch("conv3x3_wino6_output_modulate", variant: variant, global: global,
                          local: try e.laneGroup(cl, kernel: "conv3x3_wino6_output_modulate", variant: variant, narrow: [1, 8, 1], global: global),
                          arguments: [.buffer(mg), .buffer(mb), .buffer(bg), .buffer(bb), .buffer(try l.input(0)), .buffer(params), .buffer(l.outputBuffer),
                                      .i(shape.channels), .i(out[1]), .i(out[2]), .i(layout.th), .i(layout.tw), .i(layout.slots), .i(shape.batch)],
                          cost: KernelCost(flops: n * 5, bytes: Double(2 * Winograd6Layout.points * shape.batch * shape.channels * layout.slots) * 4 + n * 8))
            return
        }
        if e.usesWinograd4(geometry) {
            let (mg, mb, layout) = try e.reusingConvolutionInputs([h]) { () throws -> (DeviceBuffer, DeviceBuffer, Winograd4Layout) in
                let (mg, layout) = try e.winograd4Products(cl, geometry, input: h, weight: wg, cost: convCost)
                let (mb, _) = try e.winograd4Products(cl, geometry, input: h, weight: wb, cost: convCost)
                return (mg, mb, layout)
            }
            let out = geometry.output
            let global = [layout.th * layout.tw8 / 8, shape.channels, shape.batch]
            try cl.launch("conv3x3_wino4_output_modulate", variant: variant, global: global,
                          local: try e.laneGroup(cl, kernel: "conv3x3_wino4_output_modulate", variant: variant, narrow: [1, 8, 1], global: global),
                          arguments: [.buffer(mg), .buffer(mb), .buffer(bg), .buffer(bb), .buffer(try l.input(0)), .buffer(params), .buffer(l.outputBuffer),
                                      .i(shape.channels), .i(out[1]), .i(out[2]), .i(layout.th), .i(layout.tw), .i(layout.tw8), .i(layout.slots), .i(shape.batch)],
                          cost: KernelCost(flops: n * 5, bytes: Double(2 * 36 * shape.batch * shape.channels * layout.slots) * 4 + n * 8))
            return
        }
        let gamma = try e.deviceOutput(cl, outputShape), beta = try e.deviceOutput(cl, outputShape)
        try e.convolutionOpenCL(cl, geometry, input: h, weight: wg, bias: l.inputs[3], cost: convCost, output: gamma)
        try e.convolutionOpenCL(cl, geometry, input: h, weight: wb, bias: l.inputs[5], cost: convCost, output: beta)
        let rows = shape.batch * shape.channels
        try cl.launch("norm_modulate_apply", variant: variant, global: [shape.spatial, rows], local: Engine.normApplyLocal(spatial: shape.spatial),
                      arguments: [.buffer(try l.input(0)), .buffer(gamma.deviceBuffer!), .buffer(beta.deviceBuffer!), .buffer(params), .buffer(l.outputBuffer),
                                  .i(shape.spatial), .i(rows)],
                      cost: KernelCost(flops: n * 5, bytes: n * 16))
    }
}

extension Engine {
    /// SPADE's modulation from its hidden map `h` (`util.py SPADE` after `mlp_shared`):
    /// `act(InstanceNorm2d(affine=False, eps)(x)·(1 + conv2d(h, gammaWeight, gammaBias)) +
    /// conv2d(h, betaWeight, betaBias))`, the convolutions stride 1 with "same" padding (odd square
    /// kernels), `act` = `activation` (LeakyReLU with `negativeSlope`, or nil for none). Equals
    /// `activation(instanceNormModulate(x, gamma: conv2d(h, …), beta: conv2d(h, …)))` within the
    /// convolution tolerance; on OpenCL the Winograd path never stores γ and β (`SpadeModulateOp`).
    public func spadeModulate(_ x: Tensor, hidden h: Tensor, gammaWeight: Tensor, gammaBias: Tensor, betaWeight: Tensor, betaBias: Tensor,
                              eps: Float = 1e-5, activation: Activation? = nil, negativeSlope: Float = 0.01) throws -> Tensor {
        try run(SpadeModulateOp.call(x, hidden: h, gammaWeight: gammaWeight, gammaBias: gammaBias, betaWeight: betaWeight, betaBias: betaBias,
                                     eps: eps, activation: FusedActivation(activation, negativeSlope: negativeSlope),
                                     winogradCPU: variants.convolutionAlgorithm == .winograd4))
    }
}

/// Catalog entry for `spade_modulate` (LivePortrait's SPADE decoder).
enum SpadeModulateOps {
    static func spadeCase(_ label: String, input: [Int], hidden: Int, kernel: Int = 3, leaky: Bool) -> OpCase {
        let c = input[1]
        let w = ConvolutionOps.weight([c, hidden, kernel, kernel]).shape
        let bound = 0.3 / Float(hidden * kernel * kernel).squareRoot()
        return OpCase(label, tensors: [("input", input, -2...5), ("hidden", [input[0], hidden, input[2], input[3]], 0...2),
                                       ("gamma_weight", w, -bound...bound), ("gamma_bias", [c], -0.1...0.1),
                                       ("beta_weight", w, -bound...bound), ("beta_bias", [c], -0.1...0.1)],
                      parameters: leaky ? ["activation": "leaky_relu", "negative_slope": "0.2"] : [:])
    }

    static var definitions: [OpDefinition] {
        let name = "spade_modulate"
        return [OpDefinition(
            name: name, inputs: ["input", "hidden", "gamma_weight", "gamma_bias", "beta_weight", "beta_bias"],
            parameters: ["eps", "activation", "negative_slope"],
            tolerance: .reduction,
            cases: [
                spadeCase("odd 2x5x7x9 hidden 3 leaky", input: [2, 5, 7, 9], hidden: 3, leaky: true),
                spadeCase("odd 1x4x9x40 hidden 6 (whole and edge 32-wide runs)", input: [1, 4, 9, 40], hidden: 6, leaky: false),
                spadeCase("odd 1x3x13x50 hidden 4 (Winograd 6x6 whole 48-wide rows, chunks across tile rows)", input: [1, 3, 13, 50], hidden: 4, leaky: true),
                spadeCase("odd 1x3x5x6 hidden 2 k1 (no Winograd)", input: [1, 3, 5, 6], hidden: 2, kernel: 1, leaky: true),
                // Under 1024 values in all: the quick Oclgrind sweep of `make test` runs it under conv.winograd=6 too.
                spadeCase("odd 1x2x6x8 hidden 2 (small enough for the quick lint sweep)", input: [1, 2, 6, 8], hidden: 2, leaky: true),
                spadeCase("lp/4 SPADE 1x64x32x32 hidden 32", input: [1, 64, 32, 32], hidden: 32, leaky: true),
            ],
            profileCases: [spadeCase("lp SPADE up_1 1x256x256x256 hidden 128", input: [1, 256, 256, 256], hidden: 128, leaky: true)],
            declare: { a in
                let activation = try a.choice("activation", ["none", "leaky_relu"], default: "none", op: name)
                return try SpadeModulateOp.call(
                    try a.tensor("input", op: name), hidden: try a.tensor("hidden", op: name),
                    gammaWeight: try a.tensor("gamma_weight", op: name), gammaBias: try a.tensor("gamma_bias", op: name),
                    betaWeight: try a.tensor("beta_weight", op: name), betaBias: try a.tensor("beta_bias", op: name),
                    eps: try a.float("eps", default: 1e-5, op: name),
                    activation: FusedActivation(activation == "leaky_relu" ? .leakyReLU : nil,
                                                negativeSlope: try a.float("negative_slope", default: 0.01, op: name)))
            })]
    }
}
