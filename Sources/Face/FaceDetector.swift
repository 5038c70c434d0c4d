import Foundation
import Kernels
import Runtime
import YuNetWeights

/// Finds faces with YuNet (libfacedetection's trained detector) on an `Engine`, CPU or OpenCL.
///
/// As libfacedetection: the image is zero-padded on the right and bottom to multiples of 32 (no
/// resize, so boxes come back in the given image's pixels), scores are √(σ(class)·σ(objectness)),
/// boxes are decoded from anchor-free priors at strides 8, 16 and 32 (centre = prior + offset·s,
/// size = exp(·)·s), candidates are sorted by score and thinned by non-maximum suppression.
/// The faces are then returned largest box first.
public final class FaceDetector: @unchecked Sendable {
    /// The engine the network runs on.
    public let engine: Engine
    private let network: YuNet

    /// Uses the YuNet weights embedded in the binary (libfacedetection, BSD-3-Clause).
    public convenience init(engine: Engine) throws {
        let file = try SafeTensorsFile(data: Data(YuNetWeights.safetensors), path: "<embedded yunet-libfacedetection.safetensors>")
        try self.init(tensors: try file.allTensors(), engine: engine)
    }

    /// Uses libfacedetection's arrays given as host tensors (names and shapes as in
    /// `src/facedetectcnn-data.cpp`); throws `FaceError` for a missing or misshaped one.
    public init(tensors: [String: Tensor], engine: Engine) throws {
        self.engine = engine
        network = try YuNet(tensors: tensors, engine: engine)
    }

    /// The faces in an RGB image `[3, H, W]` or `[1, 3, H, W]` with values in [0, 1] (host or
    /// resident on this engine), largest box first, in the image's pixels. Any size ≥ 1×1 works
    /// (the astronaut's face is found from a 64 px image, ~25 px face, upwards); very small faces
    /// are missed, as with the original, since the finest level has stride 8.
    public func detect(_ image: Tensor, options: FaceDetectionOptions = FaceDetectionOptions()) throws -> [DetectedFace] {
        let byScore = try candidates(image, options: options)
        return byScore.enumerated().sorted { a, b in
            a.element.area != b.element.area ? a.element.area > b.element.area : a.offset < b.offset
        }.map(\.element)
    }

    /// The faces after NMS in libfacedetection's order (best score first).
    public func candidates(_ image: Tensor, options: FaceDetectionOptions = FaceDetectionOptions()) throws -> [DetectedFace] {
        try options.validate()
        let input = try Self.padded(try engine.host(image))
        let heads = try network.heads(try engine.resident(input))
        var all: [DetectedFace] = []
        for (level, head) in heads.enumerated() {
            let values = try engine.values(head)
            all += Self.decode(values, rows: head.shape[2], columns: head.shape[3], stride: YuNet.strides[level],
                               threshold: options.scoreThreshold)
        }
        return Self.suppress(all, options: options)
    }

    /// Zero-pads `[3, H, W]` / `[1, 3, H, W]` on the right and bottom to multiples of 32.
    static func padded(_ image: Tensor) throws -> Tensor {
        let shape = image.rank == 4 && image.shape[0] == 1 ? Array(image.shape.dropFirst()) : image.shape
        guard shape.count == 3, shape[0] == 3, shape[1] >= 1, shape[2] >= 1, let v = image.hostValues else {
            throw FaceError.badImage("the image must be RGB [3, H, W] or [1, 3, H, W] with H, W ≥ 1, got \(image.shapeDescription)")
        }
        let (h, w) = (shape[1], shape[2])
        let (hp, wp) = ((h + 31) / 32 * 32, (w + 31) / 32 * 32)
        if hp == h && wp == w { return try image.reshaped([1, 3, h, w]) }
        var out = [Float](repeating: 0, count: 3 * hp * wp)
        for c in 0..<3 {
            for y in 0..<h {
                let src = (c * h + y) * w, dst = (c * hp + y) * wp
                out.replaceSubrange(dst..<(dst + w), with: v[src..<(src + w)])
            }
        }
        return Tensor(shape: [1, 3, hp, wp], values: out)
    }

    /// libfacedetection's sigmoid, with its input clamped to ±88.376.
    static func sigmoid(_ v: Float) -> Float {
        1 / (1 + exp(-min(max(v, -88.3762626647949), 88.3762626647949)))
    }

    /// Decodes one level's `[16, rows, columns]` head values (class, box 4, landmarks 10,
    /// objectness) into faces scoring at least `threshold`, cells in row-major order.
    static func decode(_ v: [Float], rows: Int, columns: Int, stride: Int, threshold: Float) -> [DetectedFace] {
        let plane = rows * columns, s = Float(stride)
        var faces: [DetectedFace] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let cell = r * columns + c
                func channel(_ k: Int) -> Float { v[k * plane + cell] }
                let score = (sigmoid(channel(0)) * sigmoid(channel(15))).squareRoot()
                guard score >= threshold else { continue }
                let (px, py) = (Float(c * stride), Float(r * stride))
                let cx = channel(1) * s + px, cy = channel(2) * s + py
                let w = exp(channel(3)) * s, h = exp(channel(4)) * s
                let marks = (0..<5).map { SIMD2(channel(5 + 2 * $0) * s + px, channel(6 + 2 * $0) * s + py) }
                let (x0, y0, x1, y1) = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                faces.append(DetectedFace(x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: score, landmarks: marks))
            }
        }
        return faces
    }

    /// `faces` thinned as `candidates` thins the decoded boxes: best score first, overlapping and
    /// nested boxes suppressed (see `FaceDetectionOptions`). Throws for options out of range.
    public static func suppressing(_ faces: [DetectedFace], options: FaceDetectionOptions) throws -> [DetectedFace] {
        try options.validate()
        return suppress(faces, options: options)
    }

    /// Stable sort by score, keep `candidateLimit`, greedy NMS (a box is dropped when its IoU with a
    /// kept one exceeds `overlapThreshold`, or, below a nesting threshold of 1, when it shares more
    /// than `nestingThreshold` of the smaller box with a kept one), keep `faceLimit`.
    static func suppress(_ faces: [DetectedFace], options: FaceDetectionOptions) -> [DetectedFace] {
        let sorted = faces.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element).prefix(options.candidateLimit)
        var kept: [DetectedFace] = []
        let nesting = options.nestingThreshold < 1
        for face in sorted where kept.allSatisfy({
            face.overlap($0) <= options.overlapThreshold && !(nesting && face.nesting($0) > options.nestingThreshold)
        }) {
            kept.append(face)
        }
        return Array(kept.prefix(options.faceLimit))
    }
}
