import Dispatch
import Runtime

/// The pure-Swift pooling kernels: the readable references the OpenCL kernels are checked against.
enum PoolingCPU {
    /// A raw pointer handed to the worker threads of `concurrentPerform`; each worker writes
    /// a disjoint range.
    struct SharedPointer<T>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<T>
    }

    /// Runs `body(plane, src, dst)` for every plane, planes spread over the cores.
    static func forEachPlane(_ x: [Float], _ shape: PoolShape,
                             _ body: @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var y = [Float](repeating: 0, count: shape.outputCount)
        let inStride = shape.input.reduce(1, *), outStride = shape.output.reduce(1, *)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                guard let srcBase = xp.baseAddress, let dstBase = yp.baseAddress else { return }
                let src = SharedPointer(pointer: UnsafeMutablePointer(mutating: srcBase)), dst = SharedPointer(pointer: dstBase)
                let chunks = max(1, min(shape.planes, 64))
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for p in stride(from: chunk, to: shape.planes, by: chunks) {
                        body(src.pointer + p * inStride, dst.pointer + p * outStride)
                    }
                }
            }
        }
        return y
    }

    /// Non-overlapping average pooling over `[kd, kh, kw]` windows (sum in z, y, x order, then divide).
    static func avgPoolStrided(_ x: [Float], _ shape: PoolShape, kernel: [Int]) -> [Float] {
        let (H, W) = (shape.input[1], shape.input[2])
        let (Do, Ho, Wo) = (shape.output[0], shape.output[1], shape.output[2])
        let (kd, kh, kw) = (kernel[0], kernel[1], kernel[2])
        let divisor = Float(kd * kh * kw)
        return forEachPlane(x, shape) { src, dst in
            for oz in 0..<Do {
                for oy in 0..<Ho {
                    for ox in 0..<Wo {
                        var sum: Float = 0
                        for dz in 0..<kd {
                            for dy in 0..<kh {
                                let row = src + ((oz * kd + dz) * H + oy * kh + dy) * W + ox * kw
                                for dx in 0..<kw { sum += row[dx] }
                            }
                        }
                        dst[(oz * Ho + oy) * Wo + ox] = sum / divisor
                    }
                }
            }
        }
    }

    /// Max pooling with −∞ padding; NaN wins (as PyTorch's `val > max || isnan(val)`).
    static func maxPool2d(_ x: [Float], _ shape: PoolShape, kernel: [Int], stride: [Int], padding: [Int]) -> [Float] {
        let (H, W, Ho, Wo) = (shape.input[1], shape.input[2], shape.output[1], shape.output[2])
        return forEachPlane(x, shape) { src, dst in
            for oy in 0..<Ho {
                let y0 = oy * stride[0] - padding[0], y1 = min(y0 + kernel[0], H)
                for ox in 0..<Wo {
                    let x0 = ox * stride[1] - padding[1], x1 = min(x0 + kernel[1], W)
                    var m = -Float.infinity
                    for iy in max(y0, 0)..<max(y1, max(y0, 0)) {
                        for ix in max(x0, 0)..<max(x1, max(x0, 0)) {
                            let v = src[iy * W + ix]
                            if v > m || v.isNaN { m = v }
                        }
                    }
                    dst[oy * Wo + ox] = m
                }
            }
        }
    }

    /// Adaptive average pooling with PyTorch's window rule `[floor(i·n/o), ceil((i+1)·n/o))`.
    static func adaptiveAvgPool2d(_ x: [Float], _ shape: PoolShape) -> [Float] {
        let (H, W, Ho, Wo) = (shape.input[1], shape.input[2], shape.output[1], shape.output[2])
        return forEachPlane(x, shape) { src, dst in
            for oy in 0..<Ho {
                let y0 = (oy * H) / Ho, y1 = ((oy + 1) * H + Ho - 1) / Ho
                for ox in 0..<Wo {
                    let x0 = (ox * W) / Wo, x1 = ((ox + 1) * W + Wo - 1) / Wo
                    var sum: Float = 0
                    for iy in y0..<y1 {
                        for ix in x0..<x1 { sum += src[iy * W + ix] }
                    }
                    dst[oy * Wo + ox] = sum / Float(y1 - y0) / Float(x1 - x0)
                }
            }
        }
    }
}
