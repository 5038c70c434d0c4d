import Face
import Foundation
import Kernels
import Media
import Runtime
import Testing

/// Our detector against the official libfacedetection C++ run on the same committed images
/// (Tests/Fixtures/face/libfacedetection.json, from the library built and run outside this repository; docs/face-detection.md).
struct OfficialDetectorTests {
    struct Fixture: Decodable {
        struct Face: Decodable { let score: Float; let box: [Int]; let landmarks: [[Int]] }
        let images: [String: [Face]]
    }

    static func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Support.fixtures.appendingPathComponent("libfacedetection.json")))
    }

    @Test("the same faces as libfacedetection: scores within 1e-3, truncated coordinates within 1 px", arguments: ["cpu", "opencl"])
    func matchesLibfacedetection(_ backend: String) throws {
        let detector: FaceDetector
        if backend == "cpu" {
            detector = try #require(Support.cpuDetector)
        } else {
            guard let gpu = Support.openclDetector else {
                #expect(!Support.openclRequired, "no OpenCL device (set PORTRAIT_ALLOW_NO_OPENCL=1 to skip)")
                return
            }
            detector = gpu
        }
        let fixture = try Self.fixture()
        #expect(fixture.images.count == 3)
        for (path, expected) in fixture.images.sorted(by: { $0.key < $1.key }) {
            let image = try PNGCodec.read(Support.root.appendingPathComponent(path).path)
            let found = try detector.candidates(Support.tensor(image), options: .libfacedetection)
            #expect(found.count == expected.count, "\(path): \(found.count) faces, libfacedetection \(expected.count)")
            for (ours, theirs) in zip(found, expected) {
                // libfacedetection truncates x, y and xmax − xmin, ymax − ymin to int.
                let box = [Int(ours.x), Int(ours.y), Int(ours.width), Int(ours.height)]
                let marks = ours.landmarks.flatMap { [Int($0.x), Int($0.y)] }
                let worst = zip(box + marks, theirs.box + theirs.landmarks.flatMap { $0 }).map { abs($0 - $1) }.max() ?? 0
                print("\(backend) \(path): score \(ours.score) vs \(theirs.score), box \(box) vs \(theirs.box), max |Δ| \(worst) px")
                #expect(abs(ours.score - theirs.score) < 1e-3, "\(path): score \(ours.score) vs \(theirs.score)")
                #expect(worst <= 1, "\(path): box \(box) landmarks \(marks) vs \(theirs.box) \(theirs.landmarks)")
            }
        }
    }

    @Test("detection time at 512² (printed for docs/face-detection.md)")
    func timing() throws {
        let image = Support.tensor(try Support.astronaut())
        for (name, detector) in [("cpu", Support.cpuDetector), ("opencl", Support.openclDetector)] {
            guard let detector else { continue }
            _ = try detector.detect(image)
            var times: [Double] = []
            for _ in 0..<5 {
                let start = Date()
                let faces = try detector.detect(image)
                times.append(Date().timeIntervalSince(start) * 1000)
                #expect(faces.count == 1)
            }
            print("timing \(name) 512²: median \(String(format: "%.1f", times.sorted()[2])) ms, min \(String(format: "%.1f", times.min()!)) ms (\(detector.engine.name))")
        }
    }
}

