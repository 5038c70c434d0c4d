import Foundation
import Kernels
import Runtime
import Testing
import FaceMesh

/// The three converted networks against the original .tflite files run by LiteRT on the same
/// analytic input (reference/make_facemesh_network_fixtures.py), CPU and OpenCL: checks the
/// converter's layouts, TFLite's SAME padding, PReLU, the channel padding and the head order.
@Suite(.serialized)
struct NetworkParityTests {
    /// The input the fixture script feeds: 0.5 + 0.45·sin(0.05·(c + 1)·x + 0.07·y + 0.9·c), 2v − 1 when signed.
    static func analytic(side: Int, signed: Bool) -> Tensor {
        var v = [Float](repeating: 0, count: 3 * side * side)
        for c in 0..<3 { for y in 0..<side { for x in 0..<side {
            let value = Float(0.5 + 0.45 * sin(0.05 * Double(c + 1) * Double(x) + 0.07 * Double(y) + 0.9 * Double(c)))
            v[(c * side + y) * side + x] = signed ? 2 * value - 1 : value
        } } }
        return Tensor(shape: [1, 3, side, side], values: v)
    }

    static func check(_ landmarker: DenseLandmarker, label: String) throws {
        let file = try SafeTensorsFile(path: Support.fixtures.appendingPathComponent("networks.safetensors").path)
        // Tolerance per network, in output units (input pixels for the landmarks): BlazeFace and
        // FaceMesh run TFLite's own float16 weights; the iris weights are rounded from float32.
        for (name, network, signed, tolerance) in [("blazeface", DenseLandmarker.Network.blazeFace, true, Float(0.01)),
                                                   ("facemesh", .faceMesh, false, Float(0.01)),
                                                   ("iris", .iris, false, Float(0.05))] {
            let outputs = try landmarker.runNetwork(network, input: analytic(side: landmarker.inputShape(network)[2], signed: signed))
            #expect(outputs.count == 2)
            for (portName, ours) in outputs {
                let theirs = try #require(try file.tensor("\(name).\(portName)").hostValues)
                #expect(ours.count == theirs.count)
                let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst <= tolerance, "\(label) \(name).\(portName): largest difference \(worst) from TFLite's")
                print("NetworkParity \(label) \(name).\(portName): largest difference \(worst) (values up to \(theirs.map(abs).max() ?? 0))")
            }
        }
    }

    @Test("CPU: BlazeFace, FaceMesh and iris outputs equal TFLite's on the same input")
    func cpu() throws { try Self.check(try #require(Support.cpuLandmarker), label: "cpu") }

    @Test("OpenCL: BlazeFace, FaceMesh and iris outputs equal TFLite's on the same input")
    func opencl() throws {
        guard let landmarker = Support.openclLandmarker else {
            if Support.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
            return
        }
        try Self.check(landmarker, label: "opencl")
    }
}
