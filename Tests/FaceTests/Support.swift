import Face
import Foundation
import Kernels
import Media
import Runtime
import TestHelpers

/// Engines, the bundled portrait and small image helpers for the face-detection tests.
enum Support {
    static let cpu = SharedEngines.cpu
    /// The OpenCL engine (PoCL here), or nil without a device.
    static var opencl: Engine? { SharedEngines.opencl }
    /// A missing OpenCL device fails the OpenCL tests unless `PORTRAIT_ALLOW_NO_OPENCL=1`.
    static var openclRequired: Bool { SharedEngines.openclRequired }

    static let root = FixturePaths.root
    static let fixtures = FixturePaths.folder("face")

    /// The bundled 512² astronaut portrait.
    static func astronaut() throws -> RGBImage {
        try PNGCodec.read(root.appendingPathComponent("assets/astronaut-512.png").path)
    }

    /// `[1, 3, H, W]` in [0, 1].
    static func tensor(_ image: RGBImage) -> Tensor {
        Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW())
    }

    /// `image` pasted with its top-left corner at (x, y) on a mid-grey canvas.
    static func pasted(_ image: RGBImage, x: Int, y: Int, width: Int, height: Int) throws -> RGBImage {
        try pasted(image, x: x, y: y, onto: try RGBImage(width: width, height: height, fill: (0.5, 0.5, 0.5)))
    }

    /// `image` pasted with its top-left corner at (x, y) on `canvas`.
    static func pasted(_ image: RGBImage, x: Int, y: Int, onto canvas: RGBImage) throws -> RGBImage {
        var canvas = canvas
        let (width, height) = (canvas.width, canvas.height)
        for row in 0..<image.height where row + y < height {
            for col in 0..<image.width where col + x < width {
                for c in 0..<3 {
                    canvas.pixels[((row + y) * width + col + x) * 3 + c] = image.pixels[(row * image.width + col) * 3 + c]
                }
            }
        }
        return canvas
    }

    /// The detector, once per engine.
    static let cpuDetector: FaceDetector? = try? FaceDetector(engine: cpu)
    static let openclDetector: FaceDetector? = opencl.flatMap { try? FaceDetector(engine: $0) }
}
