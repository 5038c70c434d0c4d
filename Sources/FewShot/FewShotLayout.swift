import Kernels
import NetworkCore
import Runtime

/// The parameters of a few-shot talking-heads network (docs/fewshot.md, docs/weights.md):
/// every convolution (spectral norm folded by the converter), the three self-attention gammas,
/// the generator's four instance-norm affines and the projection matrix P. Names are the public
/// implementation's module paths under `embedder.` / `generator.`.
struct FewShotLayout {
    let widths: FewShotWidths
    /// Declared parameters (shapes checked against the weights file).
    let collector = ParameterCollector()
    /// Convolutions by name (`embedder.resDown1.conv_l1`...).
    private(set) var convs: [String: Conv] = [:]
    /// The self-attention blocks' prefixes.
    static let attentionBlocks = ["embedder.self_att", "generator.self_att_Down", "generator.self_att_Up"]

    init(_ widths: FewShotWidths) {
        self.widths = widths
        func conv(_ name: String, _ cin: Int, _ cout: Int, _ k: Int) {
            convs[name] = Conv(collector, name, dims: 2, cin, cout, kernel: k, bias: true, gain: 1)
        }
        func down(_ p: String, _ cin: Int, _ cout: Int, _ k: Int = 3) {
            conv(p + ".conv_l1", cin, cout, 1); conv(p + ".conv_r1", cin, cout, k); conv(p + ".conv_r2", cout, cout, k)
        }
        func attention(_ p: String, _ c: Int) {
            conv(p + ".conv_f", c, c / 8, 1); conv(p + ".conv_g", c, c / 8, 1); conv(p + ".conv_h", c, c, 1)
        }
        var cin = 6
        for (i, c) in widths.embedder.enumerated() {
            down("embedder.resDown\(i + 1)", cin, c)
            if i == 2 { attention("embedder.self_att", c) }
            cin = c
        }
        cin = 3
        for (i, c) in widths.down.enumerated() {
            down("generator.resDown\(i + 1)", cin, c, i == 0 ? widths.firstKernel : 3)
            if i == 2 { attention("generator.self_att_Down", c) }
            cin = c
        }
        let c = widths.down.last ?? 0
        for i in 0..<widths.resBlocks {
            conv("generator.res\(i + 1).conv1", c, c, 3); conv("generator.res\(i + 1).conv2", c, c, 3)
        }
        for (i, (a, b)) in widths.upPairs.enumerated() {
            down("generator.resUp\(i + 1)", a, b)
            if i == 1 { attention("generator.self_att_Up", b) }
        }
        conv("generator.conv2d", widths.up.last ?? 0, 3, 3)
        for p in Self.attentionBlocks { _ = collector.declare(p + ".gamma", [1], .uniform(bound: 0.5)) }
        for (i, c) in widths.down.enumerated() {
            _ = collector.declare("generator.in\(i + 1).weight", [c], .onePlusUniform(bound: 0.3))
            _ = collector.declare("generator.in\(i + 1).bias", [c], .uniform(bound: 0.3))
        }
        _ = collector.declare("generator.p", [widths.psiLength, widths.embedding], .uniform(bound: 1))
    }

    /// The convolution `name` (declared above; a miss is an internal inconsistency).
    func conv(_ name: String) throws -> Conv {
        guard let c = convs[name] else { throw NetworkError.missingParameter(name + ".weight") }
        return c
    }

    /// Throws for the first missing, misshaped or unexpected tensor of `tensors`.
    func validate(_ tensors: [String: Tensor]) throws {
        var expected: [String: [Int]] = [:]
        for spec in collector.specs { expected[spec.name] = spec.shape }
        for spec in collector.specs {
            guard let t = tensors[spec.name] else { throw FewShotError.missingTensor(name: spec.name, expectedShape: spec.shape) }
            guard t.shape == spec.shape else { throw FewShotError.wrongShape(name: spec.name, expected: spec.shape, found: t.shape) }
        }
        if let extra = tensors.keys.sorted().first(where: { expected[$0] == nil }) { throw FewShotError.unexpectedTensor(name: extra) }
    }
}
