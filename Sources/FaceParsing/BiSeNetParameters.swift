import Kernels
import NetworkCore
import Runtime

/// BiSeNet's convolutions as NetworkCore layers (`Conv`, declared in a `ParameterCollector` with
/// their strides), so its weights are checked (`Weights.validate(against:)`) and uploaded
/// (`ParameterCollector.upload`) as every network's are.
struct BiSeNetParameters {
    /// Every convolution by tensor-name prefix (`resnet.layer2.0.conv1`).
    let convolutions: [String: Conv]
    /// What declared them: the specs to check weights against, and the upload.
    let collector: ParameterCollector

    init(_ widths: BiSeNetWidths) {
        let collector = ParameterCollector()
        var convolutions: [String: Conv] = [:]
        for conv in widths.convolutions {
            convolutions[conv.name] = Conv(collector, conv.name, dims: 2, conv.shape[1], conv.shape[0], kernel: conv.shape[2],
                                           stride: Self.stride(of: conv.name), bias: conv.hasBias)
        }
        self.convolutions = convolutions
        self.collector = collector
    }

    /// The stride of a convolution: 2 for the stem and for the first block's conv1 and
    /// downsample of ResNet layers 2-4 (the official `BasicBlock` strides), else 1.
    static func stride(of name: String) -> Int {
        if name == "resnet.conv1" { return 2 }
        for layer in 2...4 where name == "resnet.layer\(layer).0.conv1" || name == "resnet.layer\(layer).0.downsample" { return 2 }
        return 1
    }

    /// Checks `tensors` with NetworkCore's weight check; the first problem is thrown as the
    /// `FaceParsingError` that names it.
    func validate(_ tensors: [String: Tensor]) throws {
        do {
            try Weights(tensors: tensors).validate(against: collector.specs, configName: "BiSeNet")
        } catch WeightsError.mismatch(_, _, let problems) {
            switch problems.first {
            case .missing(let name, let shape)?: throw FaceParsingError.missingTensor(name: name, expectedShape: shape)
            case .wrongShape(let name, let expected, let found)?: throw FaceParsingError.wrongShape(name: name, expected: expected, found: found)
            case .unexpected(let name, _)?: throw FaceParsingError.unexpectedTensor(name: name)
            case .notFinite(let name)?: throw FaceParsingError.badInput("the weight '\(name)' holds NaN or infinite values")
            case .unsupportedDType(let name, let dtype)?: throw FaceParsingError.badInput("the weight '\(name)' has dtype \(dtype)")
            case nil: throw FaceParsingError.badInput("the weights do not fit the layout")
            }
        }
    }

    /// The checked tensors resident on `engine`.
    func upload(_ tensors: [String: Tensor], to engine: Engine) throws -> [String: Tensor] {
        try collector.upload(Weights(tensors: tensors), to: engine)
    }
}
