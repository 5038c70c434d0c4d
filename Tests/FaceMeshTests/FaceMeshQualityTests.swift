import Face
import FaceMesh
import Foundation
import Kernels
import Media
import Runtime
import Testing

/// Detector quality: FaceMesh's presence score against YuNet's false faces, and (with
/// `PORTRAIT_FACEMESH_QUALITY=DIR` from reference/face_landmarks_eval.py) false positives and
/// recall on the measured set.
@Suite(.serialized)
struct FaceMeshQualityTests {
    static let nonHuman = Support.root.appendingPathComponent("Tests/Fixtures/face/non-human")

    /// RGB `[1, 3, H, W]` of a committed JPEG/PNG.
    static func picture(_ url: URL) throws -> Tensor {
        let image = try ImageReader.read(url.path)
        return Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW())
    }

    @Test("the cat and the coffee cup: YuNet reports faces at libfacedetection's settings, FaceMesh's presence rejects every one, BlazeFace finds none")
    func presenceRejectsYuNetsFalseFaces() throws {
        let landmarker = try #require(Support.cpuLandmarker)
        let yunet = try FaceDetector(engine: Support.cpu)
        var yunetFaces = 0
        for name in ["chelsea-0.75.jpg", "coffee-0.75.jpg"] {
            let image = try Self.picture(Self.nonHuman.appendingPathComponent(name))
            for face in try yunet.detect(image, options: .libfacedetection) {
                yunetFaces += 1
                let p = try landmarker.presence(of: face, in: image)
                #expect(p < 0.5, "\(name): YuNet's box \(face.box) (score \(face.score)) has FaceMesh presence \(p)")
            }
            #expect(try landmarker.find(in: image).isEmpty, "\(name): the MediaPipe pipeline reports a face")
        }
        #expect(yunetFaces >= 1, "YuNet no longer reports a false face here: the check tests nothing")
    }

    @Test("a real face keeps a high presence, through YuNet's box as through BlazeFace's")
    func presenceKeepsRealFaces() throws {
        let landmarker = try #require(Support.cpuLandmarker)
        let image = try Support.picture(Support.root.appendingPathComponent("assets/astronaut-512.png").path)
        let face = try #require(try FaceDetector(engine: Support.cpu).detect(image).first)
        #expect(try landmarker.presence(of: face, in: image) > 0.9)
        let found = try landmarker.find(in: image)
        #expect(found.count == 1 && found[0].presence > 0.9)
    }

    /// The measured set, when given: prints the figures of docs/face-landmarks.md.
    @Test("false positives and recall on reference/face_landmarks_eval.py's set (PORTRAIT_FACEMESH_QUALITY), when given")
    func measuredSet() throws {
        guard let folder = ProcessInfo.processInfo.environment["PORTRAIT_FACEMESH_QUALITY"] else { return }
        struct Entry: Decodable { let file: String; let name: String; let faces: Int }
        let dir = URL(fileURLWithPath: folder)
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
        let landmarker = try #require(Support.cpuLandmarker)
        let yunet = try FaceDetector(engine: Support.cpu)
        var blazeFalse = 0, meshFalse = 0, yunetFalse = 0, yunetCheckedFalse = 0, negatives = 0
        var blazeFound = 0, meshFound = 0, yunetFound = 0, yunetCheckedFound = 0, wanted = 0, blazeExtra = 0, meshExtra = 0, yunetExtra = 0
        var falseNames: Set<String> = [], yunetCheckedNames: Set<String> = []
        var byName: [String: (wanted: Int, blaze: Int, mesh: Int, yunet: Int, checked: Int)] = [:]
        for e in entries {
            let image = try Support.picture(dir.appendingPathComponent(e.file).path)
            let boxes = try landmarker.detectFaces(in: image)
            let faces = try landmarker.find(in: image)
            let yunetFaces = try yunet.detect(image)
            let checked = try yunetFaces.filter { try landmarker.presence(of: $0, in: image) >= 0.5 }
            if e.faces == 0 {
                negatives += 1
                if !boxes.isEmpty { blazeFalse += 1 }
                if !faces.isEmpty { meshFalse += 1; falseNames.insert(e.name) }
                if !yunetFaces.isEmpty { yunetFalse += 1 }
                if !checked.isEmpty { yunetCheckedFalse += 1; yunetCheckedNames.insert(e.name) }
            } else {
                wanted += e.faces
                blazeFound += min(e.faces, boxes.count); meshFound += min(e.faces, faces.count)
                yunetFound += min(e.faces, yunetFaces.count); yunetCheckedFound += min(e.faces, checked.count)
                blazeExtra += max(0, boxes.count - e.faces); meshExtra += max(0, faces.count - e.faces)
                yunetExtra += max(0, yunetFaces.count - e.faces)
                let group = e.name.hasPrefix("lfw-face") ? "lfw-face grids" : e.name
                let old = byName[group] ?? (0, 0, 0, 0, 0)
                byName[group] = (old.wanted + e.faces, old.blaze + min(e.faces, boxes.count), old.mesh + min(e.faces, faces.count),
                                 old.yunet + min(e.faces, yunetFaces.count), old.checked + min(e.faces, checked.count))
            }
        }
        print("FaceMeshQuality: non-human pictures with a face: BlazeFace \(blazeFalse)/\(negatives), BlazeFace+FaceMesh \(meshFalse)/\(negatives) \(falseNames.sorted()), YuNet (0.6) \(yunetFalse)/\(negatives), YuNet+presence \(yunetCheckedFalse)/\(negatives) \(yunetCheckedNames.sorted())")
        for (name, n) in byName.sorted(by: { $0.key < $1.key }) {
            print("FaceMeshQuality: \(name): faces \(n.wanted), BlazeFace \(n.blaze), +FaceMesh \(n.mesh), YuNet \(n.yunet), YuNet+presence \(n.checked)")
        }
        print("FaceMeshQuality: human faces found: BlazeFace \(blazeFound)/\(wanted), BlazeFace+FaceMesh \(meshFound)/\(wanted), YuNet \(yunetFound)/\(wanted), YuNet+presence \(yunetCheckedFound)/\(wanted); extra boxes on human pictures: BlazeFace \(blazeExtra), +FaceMesh \(meshExtra), YuNet \(yunetExtra)")
    }
}

/// Wall time of the pipeline on a 512² portrait (`PORTRAIT_FACEMESH_TIMING=1`): prints the
/// figures of docs/face-landmarks.md (machine-dependent, so nothing is asserted).
@Suite(.serialized)
struct FaceMeshTimingTests {
    @Test("detection + landmarks time at 512² (PORTRAIT_FACEMESH_TIMING), when asked")
    func timing() throws {
        guard ProcessInfo.processInfo.environment["PORTRAIT_FACEMESH_TIMING"] != nil else { return }
        let image = try Support.picture(Support.root.appendingPathComponent("assets/astronaut-512.png").path)
        for (label, landmarker) in [("cpu", Support.cpuLandmarker), ("opencl", Support.openclLandmarker)] {
            guard let landmarker else { continue }
            _ = try landmarker.find(in: image)   // warm-up (kernel builds, weight caches)
            var detect: [Double] = [], full: [Double] = [], meshOnly: [Double] = []
            for _ in 0..<5 {
                var t = Date()
                let boxes = try landmarker.detectFaces(in: image)
                detect.append(Date().timeIntervalSince(t))
                t = Date()
                let faces = try landmarker.find(in: image)
                full.append(Date().timeIntervalSince(t))
                t = Date()
                _ = try landmarker.find(in: image, options: DenseLandmarkOptions(refineEyes: false))
                meshOnly.append(Date().timeIntervalSince(t))
                #expect(boxes.count == 1 && faces.count == 1)
            }
            func ms(_ v: [Double]) -> String { String(format: "%.1f ms", (v.min() ?? 0) * 1000) }
            print("FaceMeshTiming \(label): BlazeFace \(ms(detect)), + FaceMesh \(ms(meshOnly)), + FaceMesh + iris (find) \(ms(full)) (best of 5, 512² portrait, one face)")
        }
    }
}
