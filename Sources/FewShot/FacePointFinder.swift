import Face
import FaceMesh
import Kernels
import Runtime

/// Finds the 68 dlib-order face landmarks the few-shot network draws its landmark images from,
/// in a square picture the network reads.
public protocol FacePointFinder: AnyObject {
    /// The 68 points of the largest face in `image` `[1, 3, S, S]` (RGB in [0, 1]), in its pixels
    /// (x right, y down, (0, 0) the picture's top-left corner); throws `FewShotError.noFace`
    /// naming `role` when there is none.
    func points68(in image: Tensor, role: String) throws -> [SIMD2<Float>]
}

/// The engine's dense-landmark model (MediaPipe BlazeFace + FaceMesh) through the standard
/// 468 → 68 correspondence (`MeshLandmarks68`): the largest face's points. Its networks load on
/// first use.
public final class MeshFacePoints: FacePointFinder {
    private let engine: Engine
    private var landmarker: DenseLandmarker?

    /// A finder running on `engine`.
    public init(engine: Engine) { self.engine = engine }

    public func points68(in image: Tensor, role: String) throws -> [SIMD2<Float>] {
        let finder = try landmarker ?? DenseLandmarker(engine: engine)
        landmarker = finder
        let faces = try finder.find(in: try engine.host(image), options: DenseLandmarkOptions(refineEyes: false))
        guard let face = faces.max(by: { $0.detection.width * $0.detection.height < $1.detection.width * $1.detection.height }) else {
            throw FewShotError.noFace(role: role)
        }
        return try MeshLandmarks68.points(from: face.points.map { SIMD2($0.x, $0.y) })
    }
}

/// A fixed frontal face (the landmark layout of the parity fixture `landmarks-1`, scaled to the
/// picture), whatever the picture shows: a stand-in for timing and CPU/OpenCL agreement checks
/// on synthetic pictures that hold no face (`portrait profile`, `compare` without pictures).
public final class TemplateFacePoints: FacePointFinder {
    /// The template's points on a 256² canvas.
    static let points256: [(Float, Float)] = [
        (41, 128), (41, 133), (42, 155), (50, 174), (60, 191), (72, 203), (89, 214), (107, 219), (125, 221), (145, 219), (165, 215),
        (175, 202), (193, 191), (204, 175), (214, 154), (214, 136), (214, 132), (60, 39), (73, 37), (84, 34), (98, 36), (110, 42),
        (145, 41), (158, 39), (170, 34), (183, 37), (195, 41), (129, 60), (126, 72), (127, 86), (126, 97), (110, 117), (118, 117),
        (125, 115), (137, 115), (143, 119), (77, 69), (83, 61), (97, 62), (106, 68), (95, 72), (85, 74), (149, 68), (158, 64),
        (172, 64), (178, 68), (173, 71), (157, 74), (95, 152), (100, 146), (112, 142), (128, 140), (140, 139), (155, 145), (155, 152),
        (152, 159), (141, 162), (126, 164), (110, 163), (103, 155), (104, 152), (117, 147), (125, 148), (139, 148), (145, 152),
        (140, 155), (126, 155), (113, 153),
    ]

    /// The stand-in.
    public init() {}

    public func points68(in image: Tensor, role: String) throws -> [SIMD2<Float>] {
        let scale = Float(image.shape.last ?? 256) / 256
        return Self.points256.map { SIMD2(($0.0 + 0.5) * scale, ($0.1 + 0.5) * scale) }
    }
}
