import NetworkCore
import Runtime

/// libfacedetection's YuNet arrays by name and shape (`src/facedetectcnn-data.cpp`), declared
/// once as NetworkCore parameter specs, so the weights are checked as every network's are
/// (`Weights.validate(against:)`: every missing, misshaped, non-finite or unexpected array).
enum YuNetArrays {
    /// One depthwise-separable unit's arrays: pointwise `<pointwise>_weight` `[cout, cin, 1, 1]`
    /// and `_bias` `[cout]`, depthwise `<depthwise>_weight` `[cout, 1, 3, 3]` and `_bias` `[cout]`.
    struct Separable {
        let pointwise: String, depthwise: String
        let inputs: Int, outputs: Int
    }

    /// The stem: a pointwise array over 32 inputs (a 3×3 BGR patch + 5 zeros) to 16 channels.
    static let stem = "backbone__model0_pw"

    /// The backbone's separable units: model0's, then two each for model1...model5.
    static let backbone: [Separable] = {
        let widths = [(16, 16), (16, 32), (32, 32), (32, 64), (64, 64), (64, 64), (64, 64), (64, 64), (64, 64), (64, 64)]
        var units = [Separable(pointwise: "backbone__model0_dp_pw", depthwise: "backbone__model0_dp_dw", inputs: 16, outputs: 16)]
        for m in 1...5 {
            for d in 1...2 {
                let (cin, cout) = widths[2 * (m - 1) + d - 1]
                units.append(Separable(pointwise: "backbone__model\(m)_dp\(d)_pw", depthwise: "backbone__model\(m)_dp\(d)_dw", inputs: cin, outputs: cout))
            }
        }
        return units
    }()

    /// The neck's lateral units for strides 8, 16, 32.
    static let lateral: [Separable] = (0..<3).map {
        Separable(pointwise: "neck__lateral_convs__\($0)_pw", depthwise: "neck__lateral_convs__\($0)_dw", inputs: 64, outputs: 64)
    }

    /// The four heads of one level (class 1, box 4, landmarks 10, objectness 1), in the fused
    /// head's channel order.
    static func heads(level: Int) -> [Separable] {
        [("cls", 1), ("bbox", 4), ("kps", 10), ("obj", 1)].map { head, width in
            let base = "bbox_head__multi_level_\(head)__\(level)"
            return Separable(pointwise: base + "_pw", depthwise: base + "_dw", inputs: 64, outputs: width)
        }
    }

    /// Every array with its shape.
    static var specs: [ParameterSpec] {
        let collector = ParameterCollector()
        collector.declare(stem + "_weight", [16, 32, 1, 1], .fanIn(gain: 3, scale: 1))
        collector.declare(stem + "_bias", [16], .uniform(bound: 0.05))
        for unit in backbone + lateral + (0..<3).flatMap(heads(level:)) {
            collector.declare(unit.pointwise + "_weight", [unit.outputs, unit.inputs, 1, 1], .fanIn(gain: 3, scale: 1))
            collector.declare(unit.pointwise + "_bias", [unit.outputs], .uniform(bound: 0.05))
            collector.declare(unit.depthwise + "_weight", [unit.outputs, 1, 3, 3], .fanIn(gain: 3, scale: 1))
            collector.declare(unit.depthwise + "_bias", [unit.outputs], .uniform(bound: 0.05))
        }
        return collector.specs
    }

    /// Checks `tensors` against `specs`; the first problem is thrown as the `FaceError` naming it.
    static func validate(_ tensors: [String: Tensor]) throws {
        do {
            try Weights(tensors: tensors).validate(against: specs, configName: "YuNet")
        } catch WeightsError.mismatch(_, _, let problems) {
            switch problems.first {
            case .missing(let name, let shape)?: throw FaceError.missingTensor(name: name, expectedShape: shape)
            case .wrongShape(let name, let expected, let found)?: throw FaceError.wrongShape(name: name, expected: expected, found: found)
            case let problem?: throw FaceError.badWeights("\(problem)")
            case nil: throw FaceError.badWeights("the arrays do not fit YuNet's layout")
            }
        }
    }
}
