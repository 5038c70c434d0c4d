import FaceMesh
import Foundation
import Kernels
import Runtime
import Testing

/// Our BlazeFace + FaceMesh + iris pipeline against MediaPipe 0.10.21 itself, on the pictures
/// committed in Tests/Fixtures/facemesh and the bundled portrait (reference numbers from
/// reference/make_facemesh_fixtures.py), on the CPU and on OpenCL.
@Suite(.serialized)
struct FaceMeshParityTests {
    /// Detection boxes must overlap MediaPipe's by this IoU.
    static let minIoU: Float = 0.95
    /// Every FaceMesh point within this share of the face size of MediaPipe's.
    static let maxPointError: Float = 0.01

    static func check(_ landmarker: DenseLandmarker, label: String) throws {
        let references = try Support.references(Support.fixtures.appendingPathComponent("mediapipe-0.10.21.json"))
        #expect(references.count >= 6)
        for ref in references {
            let image = try Support.picture(Support.path(of: ref, in: Support.fixtures))
            let detections = try landmarker.detectFaces(in: image)
            let faces = try landmarker.find(in: image)
            let r = ParityReport.compare(faces, detections: detections, with: ref)
            #expect(r.detectionCounts.ours == r.detectionCounts.theirs, "\(label) \(ref.name): \(r.detectionCounts.ours) detections, MediaPipe \(r.detectionCounts.theirs)")
            #expect(r.meshCounts.ours == r.meshCounts.theirs, "\(label) \(ref.name): \(r.meshCounts.ours) meshes, MediaPipe \(r.meshCounts.theirs)")
            for iou in r.ious { #expect(iou >= minIoU, "\(label) \(ref.name): box IoU \(iou) with MediaPipe's") }
            for e in r.meshMax { #expect(e <= maxPointError, "\(label) \(ref.name): a FaceMesh point lies \(e) of the face size from MediaPipe's") }
            print("FaceMeshParity \(label) \(ref.name): IoU \(r.ious), mesh max \(r.meshMax) mean \(r.meshMean), iris centres \(r.irisCentre)")
        }
    }

    @Test("CPU: boxes IoU ≥ 0.95 and the 468 points within 1 % of the face size of MediaPipe's")
    func cpu() throws {
        try Self.check(try #require(Support.cpuLandmarker), label: "cpu")
    }

    @Test("OpenCL: boxes IoU ≥ 0.95 and the 468 points within 1 % of the face size of MediaPipe's")
    func opencl() throws {
        guard let landmarker = Support.openclLandmarker else {
            if Support.openclRequired { Issue.record("no OpenCL device: install pocl-opencl-icd (or set PORTRAIT_ALLOW_NO_OPENCL=1)") }
            return
        }
        try Self.check(landmarker, label: "opencl")
    }

    /// The whole measured set (reference/make_facemesh_fixtures.py --all-pictures DIR), when
    /// `PORTRAIT_FACEMESH_ALL=DIR` names it: prints the figures of docs/face-landmarks.md.
    @Test("all pictures (PORTRAIT_FACEMESH_ALL), when given")
    func allPictures() throws {
        guard let folder = ProcessInfo.processInfo.environment["PORTRAIT_FACEMESH_ALL"] else { return }
        let dir = URL(fileURLWithPath: folder)
        let references = try Support.references(dir.appendingPathComponent("all.json"))
        for (label, landmarker) in [("cpu", Support.cpuLandmarker), ("opencl", Support.openclLandmarker)] {
            guard let landmarker else { continue }
            var ious: [Float] = [], maxima: [Float] = [], means: [Float] = [], irises: [Float] = [], countsMatch = 0
            for ref in references {
                let image = try Support.picture(Support.path(of: ref, in: dir))
                let r = ParityReport.compare(try landmarker.find(in: image), detections: try landmarker.detectFaces(in: image), with: ref)
                ious += r.ious; maxima += r.meshMax; means += r.meshMean; irises += r.irisCentre
                if r.detectionCounts.ours == r.detectionCounts.theirs && r.meshCounts.ours == r.meshCounts.theirs { countsMatch += 1 }
                print("FaceMeshAll \(label) \(ref.name): detections \(r.detectionCounts) meshes \(r.meshCounts) IoU \(r.ious) max \(r.meshMax) iris \(r.irisCentre)")
            }
            print("FaceMeshAll \(label): \(references.count) pictures, counts equal on \(countsMatch); \(ious.count) boxes, min IoU \(ious.min() ?? 0); \(maxima.count) meshes, worst point \(maxima.max() ?? 0), worst mean \(means.max() ?? 0) of the face size; iris centres vs the attention model: worst \(irises.max() ?? 0), mean \(irises.reduce(0, +) / Float(max(irises.count, 1)))")
        }
    }
}
