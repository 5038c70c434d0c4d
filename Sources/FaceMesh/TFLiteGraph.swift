import Foundation
import Kernels
import Runtime

/// A TFLite network converted by reference/convert_mediapipe.py, run layer by layer on an
/// `Engine`: the layer table (safetensors metadata `graph`) lists the operators in TFLite's order
/// with their weights (already in the engine's layout) and explicit paddings. Convolutions,
/// depthwise convolutions, ReLU, PReLU, additions, max pools and zero padding run on the engine;
/// the final reshapes and concatenations of the heads (a few thousand values) run on the host,
/// in TFLite's NHWC order.
struct TFLiteGraph {
    /// One operator of the layer table.
    struct Layer: Decodable {
        let op: String
        let inputs: [Int]
        let output: Int
        let shape: [Int]
        let weight: String?, bias: String?, alpha: String?
        let stride: [Int]?, padding: [Int]?, kernel: [Int]?, pads: [Int]?
        let axis: Int?
        let activation: String?
    }
    /// A graph input or output.
    struct Port: Decodable {
        let id: Int
        let name: String
        let shape: [Int]
    }
    /// The whole table.
    struct Table: Decodable {
        let source: String
        let inputs: [Port]
        let outputs: [Port]
        let layers: [Layer]
    }

    /// A value between layers: on the engine (NCHW) or, after a reshape, flat on the host in NHWC order.
    enum Value {
        case tensor(Tensor)
        case host([Float], shape: [Int])
    }

    let engine: Engine
    let table: Table
    let weights: [String: Tensor]
    /// For each value id, the index of the last layer that reads it (values are dropped after).
    let lastUse: [Int: Int]

    /// Loads the network from the converter's safetensors bytes; `label` names it in errors.
    init(safetensors bytes: Data, label: String, engine: Engine) throws {
        let file = try SafeTensorsFile(data: bytes, path: "<embedded \(label)>")
        guard let text = file.metadata["graph"], let json = text.data(using: .utf8) else {
            throw FaceMeshError.badWeights("\(label) has no layer table (metadata 'graph')")
        }
        let table: Table
        do { table = try JSONDecoder().decode(Table.self, from: json) } catch {
            throw FaceMeshError.badWeights("\(label)'s layer table does not parse: \(error)")
        }
        guard table.inputs.count == 1, table.inputs[0].shape.count == 4 else {
            throw FaceMeshError.badWeights("\(label) must have one NCHW image input, has \(table.inputs.map(\.shape))")
        }
        var weights: [String: Tensor] = [:]
        for (name, tensor) in try file.allTensors() { weights[name] = try engine.resident(tensor) }
        var lastUse: [Int: Int] = [:]
        for (index, layer) in table.layers.enumerated() {
            for id in layer.inputs { lastUse[id] = index }
            for name in [layer.weight, layer.bias, layer.alpha].compactMap({ $0 }) where weights[name] == nil {
                throw FaceMeshError.badWeights("\(label) layer \(index) (\(layer.op)) names a missing tensor '\(name)'")
            }
        }
        for port in table.outputs { lastUse[port.id] = table.layers.count }
        self.engine = engine; self.table = table; self.weights = weights; self.lastUse = lastUse
    }

    /// The input's `[1, C, H, W]` shape.
    var inputShape: [Int] { table.inputs[0].shape }

    /// Runs the network on `input` (`[1, C, H, W]`, host or resident) and returns each output's
    /// values on the host, flat in TFLite's (NHWC) order, in the table's output order.
    func run(_ input: Tensor) throws -> [[Float]] {
        guard input.shape == inputShape else {
            throw FaceMeshError.badImage("\(table.source) takes \(inputShape), got \(input.shapeDescription)")
        }
        var values: [Int: Value] = [table.inputs[0].id: .tensor(try engine.resident(input))]
        for (index, layer) in table.layers.enumerated() {
            let inputs = try layer.inputs.map { id -> Value in
                guard let v = values[id] else { throw FaceMeshError.badWeights("\(table.source) layer \(index) reads value \(id) before it is made") }
                return v
            }
            values[layer.output] = try apply(layer, inputs, index: index)
            for id in layer.inputs where lastUse[id] == index { values[id] = nil }
        }
        return try table.outputs.map { port in
            guard let v = values[port.id] else { throw FaceMeshError.badWeights("\(table.source) never makes output \(port.name)") }
            return try flat(v)
        }
    }

    func tensor(_ v: Value, _ index: Int) throws -> Tensor {
        guard case .tensor(let t) = v else { throw FaceMeshError.badWeights("\(table.source) layer \(index) takes an engine tensor after a reshape") }
        return t
    }

    func weight(_ name: String?, _ index: Int) throws -> Tensor {
        guard let name, let w = weights[name] else { throw FaceMeshError.badWeights("\(table.source) layer \(index) lacks a weight") }
        return w
    }

    /// The value's numbers in NHWC order (an NCHW tensor is transposed).
    func flat(_ v: Value) throws -> [Float] {
        switch v {
        case .host(let values, _): return values
        case .tensor(let t):
            let x = try engine.values(t)
            guard t.rank == 4 else { return x }
            let (n, c, h, w) = (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
            if c == 1 || h * w == 1 { return x }
            var out = [Float](repeating: 0, count: x.count)
            for b in 0..<n { for ch in 0..<c { for p in 0..<(h * w) { out[(b * h * w + p) * c + ch] = x[(b * c + ch) * h * w + p] } } }
            return out
        }
    }

    /// Zero-pads `x` by `[top, bottom, left, right]` when that is asymmetric, returning the
    /// (possibly padded) input and the symmetric padding left for the convolution itself.
    func padded(_ x: Tensor, _ p: [Int]) throws -> (Tensor, [Int]) {
        if p[0] == p[1] && p[2] == p[3] { return (x, [p[0], p[2]]) }
        return (try engine.pad(x, [p[2], p[3], p[0], p[1]]), [0, 0])
    }

    func apply(_ layer: Layer, _ inputs: [Value], index: Int) throws -> Value {
        switch layer.op {
        case "conv2d", "depthwise_conv2d":
            let (x, padding) = try padded(try tensor(inputs[0], index), layer.padding ?? [0, 0, 0, 0])
            let stride = layer.stride ?? [1, 1]
            let bias = try layer.bias.map { try weight($0, index) }
            var y: Tensor
            if layer.op == "conv2d" {
                y = try engine.conv2d(x, weight: try weight(layer.weight, index), bias: bias, strides: stride, paddings: padding,
                                      activation: layer.activation == "relu" ? .relu : nil)
            } else {
                y = try engine.depthwiseConv2d(x, weight: try weight(layer.weight, index), bias: bias, stride: stride, padding: padding)
                if layer.activation == "relu" { y = try engine.relu(y) }
            }
            return .tensor(y)
        case "relu": return .tensor(try engine.relu(try tensor(inputs[0], index)))
        case "prelu": return .tensor(try engine.prelu(try tensor(inputs[0], index), weight: try weight(layer.alpha, index)))
        case "add": return .tensor(try engine.add(try tensor(inputs[0], index), try tensor(inputs[1], index)))
        case "pad":
            guard let p = layer.pads, p.count == 6 else { throw FaceMeshError.badWeights("\(table.source) layer \(index): pad needs 6 amounts") }
            return .tensor(try engine.pad(try tensor(inputs[0], index), [p[4], p[5], p[2], p[3], p[0], p[1]]))
        case "max_pool2d":
            guard let k = layer.kernel, let s = layer.stride, k[0] == k[1], s[0] == s[1] else {
                throw FaceMeshError.badWeights("\(table.source) layer \(index): only square max pools are supported")
            }
            return .tensor(try engine.maxPool2d(try tensor(inputs[0], index), kernel: k[0], stride: s[0], padding: 0))
        case "reshape":
            let values = try flat(inputs[0])
            guard values.count == layer.shape.reduce(1, *) else {
                throw FaceMeshError.badWeights("\(table.source) layer \(index): reshape of \(values.count) values to \(layer.shape)")
            }
            return .host(values, shape: layer.shape)
        case "concatenation":
            return .host(try concatenate(inputs, axis: layer.axis ?? 0, shape: layer.shape, index: index), shape: layer.shape)
        default:
            throw FaceMeshError.badWeights("\(table.source) layer \(index): operator '\(layer.op)' is not supported")
        }
    }

    /// Host concatenation of flat NHWC values along `axis`.
    func concatenate(_ inputs: [Value], axis: Int, shape: [Int], index: Int) throws -> [Float] {
        let parts = try inputs.map { v -> ([Float], [Int]) in
            guard case .host(let x, let s) = v else { throw FaceMeshError.badWeights("\(table.source) layer \(index): concatenation of engine tensors") }
            return (x, s)
        }
        let axis = axis < 0 ? axis + shape.count : axis
        let outer = shape[..<axis].reduce(1, *)
        var out: [Float] = []
        out.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for (x, s) in parts {
                let run = s[axis...].reduce(1, *)
                out += x[(o * run)..<((o + 1) * run)]
            }
        }
        return out
    }
}
