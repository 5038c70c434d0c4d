import FaceMesh
import Foundation
import Kernels
import Media
import Runtime
import TestHelpers

/// Engines, landmarkers, pictures and MediaPipe's reference numbers for the FaceMesh tests.
enum Support {
    static let cpu = SharedEngines.cpu
    /// The OpenCL engine (PoCL here), or nil without a device.
    static var opencl: Engine? { SharedEngines.opencl }
    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { SharedEngines.openclRequired }

    static let root = FixturePaths.root
    static let fixtures = FixturePaths.folder("facemesh")

    /// The landmarker, once per engine.
    static let cpuLandmarker: DenseLandmarker? = try? DenseLandmarker(engine: cpu)
    static let openclLandmarker: DenseLandmarker? = opencl.flatMap { try? DenseLandmarker(engine: $0) }

    /// `[1, 3, H, W]` in [0, 1] of a PNG.
    static func picture(_ path: String) throws -> Tensor {
        let image = try PNGCodec.read(path)
        return Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW())
    }

    /// MediaPipe's numbers for one picture (reference/make_facemesh_fixtures.py).
    struct Reference: Decodable {
        struct Detection: Decodable {
            let box: [Float]
            let score: Float
            let keypoints: [[Float]]
        }
        let name: String
        let file: String?
        let width: Int, height: Int
        let detections: [Detection]
        let meshes: [[[Float]]]
        let irises: [[[Float]]]
    }

    struct ReferenceFile: Decodable { let pictures: [Reference] }

    static func references(_ url: URL) throws -> [Reference] {
        try JSONDecoder().decode(ReferenceFile.self, from: Data(contentsOf: url)).pictures
    }

    /// Where a reference picture lies: next to the fixture file, or the bundled portrait.
    static func path(of reference: Reference, in folder: URL) -> String {
        if let file = reference.file { return folder.appendingPathComponent(file).path }
        if reference.name == "astronaut-512" { return root.appendingPathComponent("assets/astronaut-512.png").path }
        return folder.appendingPathComponent(reference.name + ".png").path
    }
}

/// How our results compare with MediaPipe's on one picture.
struct ParityReport {
    var detectionCounts: (ours: Int, theirs: Int) = (0, 0)
    var meshCounts: (ours: Int, theirs: Int) = (0, 0)
    /// Per MediaPipe detection, the best IoU of one of ours.
    var ious: [Float] = []
    /// Per MediaPipe mesh, the largest point distance (x, y) over the face size (the larger side
    /// of MediaPipe's points' box), and the mean.
    var meshMax: [Float] = [], meshMean: [Float] = []
    /// Per MediaPipe refined mesh, the two iris centres' distance to ours over the face size.
    var irisCentre: [Float] = []

    static func compare(_ ours: [DenseFaceLandmarks], detections: [BlazeFaceDetection], with ref: Support.Reference) -> ParityReport {
        var r = ParityReport()
        r.detectionCounts = (detections.count, ref.detections.count)
        r.meshCounts = (ours.count, ref.meshes.count)
        for d in ref.detections {
            let theirs = BlazeFaceDetection(x: d.box[0], y: d.box[1], width: d.box[2], height: d.box[3], score: d.score, keypoints: [])
            r.ious.append(detections.map { $0.overlap(theirs) }.max() ?? 0)
        }
        for (k, mesh) in ref.meshes.enumerated() {
            let xs = mesh.map { $0[0] }, ys = mesh.map { $0[1] }
            let size = max((xs.max() ?? 0) - (xs.min() ?? 0), (ys.max() ?? 0) - (ys.min() ?? 0))
            let centre = SIMD2(xs.reduce(0, +), ys.reduce(0, +)) / Float(mesh.count)
            // Ours: the face whose points' centre is nearest.
            guard let face = ours.min(by: { a, b in
                distance(centroid(a.points), centre) < distance(centroid(b.points), centre)
            }) else { r.meshMax.append(.infinity); r.meshMean.append(.infinity); continue }
            let errors = zip(face.points, mesh).map { p, q in distance(SIMD2(p.x, p.y), SIMD2(q[0], q[1])) / size }
            r.meshMax.append(errors.max() ?? .infinity)
            r.meshMean.append(errors.reduce(0, +) / Float(errors.count))
            if k < ref.irises.count, face.rightIris.count == 5, face.leftIris.count == 5 {
                let iris = ref.irises[k]   // 468-472: the subject's right iris (FACEMESH_RIGHT_IRIS), 473-477: the left
                let theirsRight = SIMD2(iris[0][0], iris[0][1]), theirsLeft = SIMD2(iris[5][0], iris[5][1])
                r.irisCentre.append(distance(SIMD2(face.leftIris[0].x, face.leftIris[0].y), theirsLeft) / size)
                r.irisCentre.append(distance(SIMD2(face.rightIris[0].x, face.rightIris[0].y), theirsRight) / size)
            }
        }
        return r
    }

    static func centroid(_ p: [SIMD3<Float>]) -> SIMD2<Float> {
        p.reduce(SIMD2<Float>.zero) { $0 + SIMD2($1.x, $1.y) } / Float(max(p.count, 1))
    }

    static func distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }
}
