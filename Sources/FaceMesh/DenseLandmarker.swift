import Foundation
import CFaceMeshWeights
import Kernels
import Runtime

/// Settings of `DenseLandmarker`, MediaPipe's defaults (the legacy `solutions` API with
/// `min_detection_confidence = 0.5`, the graphs' face-presence threshold 0.5).
public struct DenseLandmarkOptions: Sendable, Equatable {
    /// BlazeFace detections scoring below this are dropped (MediaPipe: 0.5).
    public var minDetectionScore: Float
    /// Faces whose FaceMesh presence (sigmoid of the face flag) is below this are dropped
    /// (MediaPipe's `ThresholdingCalculator`: 0.5): the check that rejects false detections.
    public var minPresence: Float
    /// At most this many faces, best detection first (MediaPipe's `max_num_faces`; its default is 1).
    public var maxFaces: Int
    /// Run the iris network on both eyes (the 71 + 5 points per eye); off leaves them empty.
    public var refineEyes: Bool

    /// Creates options.
    public init(minDetectionScore: Float = 0.5, minPresence: Float = 0.5, maxFaces: Int = 8, refineEyes: Bool = true) {
        self.minDetectionScore = minDetectionScore; self.minPresence = minPresence
        self.maxFaces = maxFaces; self.refineEyes = refineEyes
    }

    func validate() throws {
        guard (0...1).contains(minDetectionScore), (0...1).contains(minPresence), maxFaces >= 1 else {
            throw FaceMeshError.badOption("the detection score (\(minDetectionScore)) and presence (\(minPresence)) thresholds must lie in [0, 1] and the face limit (\(maxFaces)) be ≥ 1")
        }
    }
}

/// MediaPipe's face pipeline on an `Engine` (CPU or OpenCL): BlazeFace short-range finds the
/// faces, FaceMesh gives 468 points on each face's rotated region, and the iris network refines
/// each eye (71 contour + 5 iris points), as the `face_landmark_front_cpu` and
/// `iris_landmark_left_and_right` graphs of mediapipe 0.10.21 run them. Weights are embedded
/// (Sources/CFaceMeshWeights, Apache-2.0). See docs/face-landmarks.md.
public final class DenseLandmarker: @unchecked Sendable {
    /// The engine the networks run on.
    public let engine: Engine
    let blazeFace: TFLiteGraph, faceMesh: TFLiteGraph, iris: TFLiteGraph

    /// FaceMesh's input side, its region's enlargement of the detection box.
    static let meshSide = 192, meshScale: Float = 1.5
    /// The iris network's input side, its region's enlargement of the eye-corner span.
    static let irisSide = 64, irisScale: Float = 2.3
    /// FaceMesh points at the corners of each eye: the subject's right eye (MediaPipe's "left",
    /// not mirrored), then the subject's left eye (MediaPipe's "right", mirrored for the network).
    static let eyeCorners = [(33, 133), (362, 263)]

    /// One of the three networks, for `runNetwork`.
    public enum Network: Sendable, CaseIterable {
        /// BlazeFace short-range (input `[1, 3, 128, 128]` in [−1, 1]).
        case blazeFace
        /// FaceMesh (input `[1, 3, 192, 192]` in [0, 1]).
        case faceMesh
        /// Iris (input `[1, 3, 64, 64]` in [0, 1]).
        case iris
    }

    /// One network's raw outputs for an input of its shape (`inputShape`): each TFLite output by
    /// name, its values flat in TFLite's (NHWC) order. For checks against the original.
    public func runNetwork(_ network: Network, input: Tensor) throws -> [(name: String, values: [Float])] {
        let graph = self.graph(network)
        return zip(graph.table.outputs, try graph.run(input)).map { ($0.name, $1) }
    }

    /// The input shape `[1, 3, side, side]` of `network`.
    public func inputShape(_ network: Network) -> [Int] { graph(network).inputShape }

    func graph(_ network: Network) -> TFLiteGraph {
        switch network {
        case .blazeFace: return blazeFace
        case .faceMesh: return faceMesh
        case .iris: return iris
        }
    }

    /// Loads the three embedded networks onto `engine`.
    public init(engine: Engine) throws {
        self.engine = engine
        blazeFace = try TFLiteGraph(safetensors: Self.embedded(facemesh_weights_blazeface), label: "blazeface-short-range.safetensors", engine: engine)
        faceMesh = try TFLiteGraph(safetensors: Self.embedded(facemesh_weights_facemesh), label: "facemesh.safetensors", engine: engine)
        iris = try TFLiteGraph(safetensors: Self.embedded(facemesh_weights_iris), label: "iris.safetensors", engine: engine)
    }

    /// The bytes of one embedded weights file (Sources/CFaceMeshWeights).
    static func embedded(_ accessor: (UnsafeMutablePointer<Int>?) -> UnsafePointer<UInt8>?) -> Data {
        var count = 0
        guard let bytes = accessor(&count) else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    /// The image as host values `[3, H, W]` in [0, 1].
    static func sampler(_ image: Tensor, engine: Engine) throws -> RegionSampler {
        let shape = image.rank == 4 && image.shape[0] == 1 ? Array(image.shape.dropFirst()) : image.shape
        guard shape.count == 3, shape[0] == 3, shape[1] >= 1, shape[2] >= 1 else {
            throw FaceMeshError.badImage("the image must be RGB [3, H, W] or [1, 3, H, W] with values in [0, 1], got \(image.shapeDescription)")
        }
        return RegionSampler(pixels: try engine.values(image), width: shape[2], height: shape[1])
    }

    /// BlazeFace's faces in an RGB image `[3, H, W]` / `[1, 3, H, W]` (values in [0, 1]), best
    /// score first, in the image's pixels: the image letterboxed to 128², decoded on the SSD
    /// anchors, merged by weighted non-maximum suppression.
    public func detectFaces(in image: Tensor, options: DenseLandmarkOptions = DenseLandmarkOptions()) throws -> [BlazeFaceDetection] {
        try options.validate()
        return try detect(try Self.sampler(image, engine: engine), options: options)
    }

    func detect(_ image: RegionSampler, options: DenseLandmarkOptions) throws -> [BlazeFaceDetection] {
        let side = Float(max(image.width, image.height))
        let region = RotatedRegion(centerX: Float(image.width) / 2, centerY: Float(image.height) / 2, width: side, height: side, rotation: 0)
        let n = BlazeFaceDecoding.inputSize
        let input = Tensor(shape: [1, 3, n, n], values: image.sample(region, side: n, border: .zero, low: -1, high: 1))
        let outputs = try blazeFace.run(input)   // regressors [896 × 16], classificators [896]
        guard outputs.count == 2, outputs[0].count == BlazeFaceDecoding.anchors.count * BlazeFaceDecoding.coordinates,
              outputs[1].count == BlazeFaceDecoding.anchors.count else {
            throw FaceMeshError.badWeights("BlazeFace gave outputs of \(outputs.map(\.count)) values, expected 14336 and 896")
        }
        let candidates = BlazeFaceDecoding.decode(regressors: outputs[0], scores: outputs[1], threshold: options.minDetectionScore)
        let kept = BlazeFaceDecoding.weightedSuppression(candidates).prefix(options.maxFaces)
        func project(_ p: SIMD2<Float>) -> SIMD2<Float> { RegionSampler.project(p.x * Float(n), p.y * Float(n), region: region, side: n) }
        return kept.map { c in
            let a = project(SIMD2(c.xmin, c.ymin)), b = project(SIMD2(c.xmax, c.ymax))
            return BlazeFaceDetection(x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y, score: c.score, keypoints: c.keypoints.map(project))
        }
    }

    /// The dense landmarks of every face in an RGB image `[3, H, W]` / `[1, 3, H, W]` (values in
    /// [0, 1]), best detection first, in the image's pixels; faces whose FaceMesh presence is
    /// below `options.minPresence` are left out.
    public func find(in image: Tensor, options: DenseLandmarkOptions = DenseLandmarkOptions()) throws -> [DenseFaceLandmarks] {
        try options.validate()
        let sampler = try Self.sampler(image, engine: engine)
        var faces: [DenseFaceLandmarks] = []
        for detection in try detect(sampler, options: options) {
            let region = Self.faceRegion(detection)
            let (presence, points) = try mesh(sampler, region: region)
            guard presence >= options.minPresence else { continue }
            var eyes: [(contour: [SIMD3<Float>], iris: [SIMD3<Float>])] = [([], []), ([], [])]
            if options.refineEyes {
                for (k, corners) in Self.eyeCorners.enumerated() {
                    eyes[k] = try eye(sampler, from: points[corners.0], to: points[corners.1], mirrored: k == 1)
                }
            }
            faces.append(DenseFaceLandmarks(detection: detection, region: region, presence: presence, points: points,
                                            rightEyeContour: eyes[0].contour, leftEyeContour: eyes[1].contour,
                                            rightIris: eyes[0].iris, leftIris: eyes[1].iris))
        }
        return faces
    }

    /// MediaPipe's face region from a detection (`face_detection_front_detection_to_roi`): the
    /// box's centre, rotated so the first two keypoints (the eyes) lie level, the longer side
    /// enlarged 1.5× and the region made square.
    public static func faceRegion(_ d: BlazeFaceDetection) -> RotatedRegion {
        let (a, b) = (d.keypoints[0], d.keypoints[1])
        let side = meshScale * max(d.width, d.height)
        return RotatedRegion(centerX: d.x + d.width / 2, centerY: d.y + d.height / 2, width: side, height: side,
                             rotation: normalizedAngle(atan2(b.y - a.y, b.x - a.x)))
    }

    /// An eye's region from its two corner points (`iris_landmark_landmarks_to_roi`): their bounding
    /// box's centre, rotated so the corners lie level, the longer side enlarged 2.3×, square.
    public static func eyeRegion(from a: SIMD3<Float>, to b: SIMD3<Float>) -> RotatedRegion {
        let side = irisScale * max(abs(b.x - a.x), abs(b.y - a.y))
        return RotatedRegion(centerX: (min(a.x, b.x) + max(a.x, b.x)) / 2, centerY: (min(a.y, b.y) + max(a.y, b.y)) / 2,
                             width: side, height: side, rotation: normalizedAngle(atan2(b.y - a.y, b.x - a.x)))
    }

    /// An angle brought into [−π, π), as MediaPipe's `NormalizeRadians`.
    public static func normalizedAngle(_ angle: Float) -> Float {
        angle - 2 * Float.pi * floor((angle + Float.pi) / (2 * Float.pi))
    }

    /// FaceMesh on `region`: the presence score and the 468 points in image pixels.
    func mesh(_ image: RegionSampler, region: RotatedRegion) throws -> (Float, [SIMD3<Float>]) {
        let n = Self.meshSide
        let input = Tensor(shape: [1, 3, n, n], values: image.sample(region, side: n, border: .replicate, low: 0, high: 1))
        let outputs = try faceMesh.run(input)   // landmarks [1404], face flag [1]
        guard outputs.count == 2, outputs[0].count == 468 * 3, outputs[1].count == 1 else {
            throw FaceMeshError.badWeights("FaceMesh gave outputs of \(outputs.map(\.count)) values, expected 1404 and 1")
        }
        let presence = 1 / (1 + exp(-outputs[1][0]))
        return (presence, Self.points(outputs[0], count: 468, region: region, side: n, mirrored: false))
    }

    /// The iris network on the eye between two corner points: 71 contour and 5 iris points.
    func eye(_ image: RegionSampler, from a: SIMD3<Float>, to b: SIMD3<Float>, mirrored: Bool) throws -> (contour: [SIMD3<Float>], iris: [SIMD3<Float>]) {
        let region = Self.eyeRegion(from: a, to: b)
        let n = Self.irisSide
        let input = Tensor(shape: [1, 3, n, n], values: image.sample(region, side: n, border: .replicate, low: 0, high: 1, mirrored: mirrored))
        let outputs = try iris.run(input)   // contour [213], iris [15]
        guard outputs.count == 2, outputs[0].count == 71 * 3, outputs[1].count == 5 * 3 else {
            throw FaceMeshError.badWeights("the iris network gave outputs of \(outputs.map(\.count)) values, expected 213 and 15")
        }
        return (Self.points(outputs[0], count: 71, region: region, side: n, mirrored: mirrored),
                Self.points(outputs[1], count: 5, region: region, side: n, mirrored: mirrored))
    }

    /// Network-input points `(x, y, z)` (input pixels) projected into the image; z scaled like x.
    static func points(_ raw: [Float], count: Int, region: RotatedRegion, side: Int, mirrored: Bool) -> [SIMD3<Float>] {
        (0..<count).map { i in
            let p = RegionSampler.project(raw[3 * i], raw[3 * i + 1], region: region, side: side, mirrored: mirrored)
            return SIMD3(p.x, p.y, raw[3 * i + 2] / Float(side) * region.width)
        }
    }
}
