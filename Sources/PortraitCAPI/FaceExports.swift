import Face
import Foundation
import Kernels
import Media
import NetworkCore
import PortraitKit
import Runtime

// include/portraitcl.h: faces, framing and the device comparison.

@_cdecl("pcl_find_faces")
public func pcl_find_faces(_ engine: OpaquePointer?, _ rgb: UnsafePointer<UInt8>?, _ width: Int32, _ height: Int32,
                           _ faces: UnsafeMutableRawPointer?, _ capacity: Int32, _ count: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let handle = object(engine, as: EngineHandle.self) else {
        ThreadError.slot.set("engine is NULL")
        return Status.invalidArgument.rawValue
    }
    return guarded(handle.error) {
        let rgb = try required(rgb, "rgb"), count = try required(count, "count")
        guard width > 0, height > 0 else { throw APIError(.invalidArgument, "the picture is \(width)×\(height); give positive sides") }
        guard capacity >= 0, capacity == 0 || faces != nil else { throw APIError(.invalidArgument, "faces is NULL with capacity \(capacity)") }
        let image = try RGBImage(width: Int(width), height: Int(height), rgbBytes: Array(UnsafeBufferPointer(start: rgb, count: Int(width) * Int(height) * 3)))
        let found = try FaceDetector(engine: handle.engine).detect(Tensor(shape: [1, 3, image.height, image.width], values: image.planarCHW(range: .unit)))
        count.pointee = Int32(found.count)
        guard let faces else { return }
        // pcl_face: x, y, width, height, score, landmarks[10]: fifteen floats.
        for (index, face) in found.prefix(Int(capacity)).enumerated() {
            let marks = face.landmarks.prefix(5).flatMap { [$0.x, $0.y] }
            let values = [face.x, face.y, face.width, face.height, face.score] + marks + [Float](repeating: 0, count: 10 - marks.count)
            for (field, value) in values.enumerated() {
                faces.storeBytes(of: value, toByteOffset: (index * 15 + field) * MemoryLayout<Float>.stride, as: Float.self)
            }
        }
    }
}

/// A `DetectedFace` from a `pcl_face` (fifteen floats).
private func detectedFace(_ face: UnsafeRawPointer) -> DetectedFace {
    let v = (0..<15).map { face.load(fromByteOffset: $0 * MemoryLayout<Float>.stride, as: Float.self) }
    return DetectedFace(x: v[0], y: v[1], width: v[2], height: v[3], score: v[4],
                        landmarks: (0..<5).map { SIMD2(v[5 + 2 * $0], v[6 + 2 * $0]) })
}

@_cdecl("pcl_face_crop")
public func pcl_face_crop(_ model: OpaquePointer?, _ face: UnsafeRawPointer?, _ width: Int32, _ height: Int32, _ x: UnsafeMutablePointer<Int32>?,
                          _ y: UnsafeMutablePointer<Int32>?, _ size: UnsafeMutablePointer<Int32>?) -> Int32 {
    guard let handle = object(model, as: ModelHandle.self) else {
        ThreadError.slot.set("model is NULL")
        return Status.invalidArgument.rawValue
    }
    return guarded(handle.error) {
        let detected = detectedFace(try required(face, "face"))
        let x = try required(x, "x"), y = try required(y, "y"), size = try required(size, "size")
        let frame = handle.family.officialFaceCrop == .livePortrait ? FaceFrame.livePortrait(for: detected) : FaceFrame.emoPortraits(for: detected)
        guard let crop = SquareCrop.around(centerX: frame.centerX, centerY: frame.centerY, side: frame.side, width: Int(width), height: Int(height)) else {
            throw APIError(.invalidArgument, "the face's crop (centre \(frame.centerX), \(frame.centerY), side \(frame.side)) misses the \(width)×\(height) picture")
        }
        x.pointee = Int32(clamping: crop.x); y.pointee = Int32(clamping: crop.y); size.pointee = Int32(clamping: crop.size)
    }
}

@_cdecl("pcl_crop_rgb8")
public func pcl_crop_rgb8(_ model: OpaquePointer?, _ rgb: UnsafePointer<UInt8>?, _ width: Int32, _ height: Int32,
                          _ x: Int32, _ y: Int32, _ size: Int32, _ out: UnsafeMutablePointer<UInt8>?) -> Int32 {
    guard let handle = object(model, as: ModelHandle.self) else {
        ThreadError.slot.set("model is NULL")
        return Status.invalidArgument.rawValue
    }
    return guarded(handle.error) {
        let rgb = try required(rgb, "rgb")
        guard width > 0, height > 0, size > 0 else { throw APIError(.invalidArgument, "the picture is \(width)×\(height) and the crop side \(size); give positive sides") }
        let image = try RGBImage(width: Int(width), height: Int(height), rgbBytes: Array(UnsafeBufferPointer(start: rgb, count: Int(width) * Int(height) * 3)))
        let crop = SquareCrop(x: Int(x), y: Int(y), size: Int(size))
        guard crop.visiblePart(width: image.width, height: image.height) != nil else {
            throw APIError(.invalidArgument, "the crop \(x),\(y),\(size) (x,y,size) lies wholly outside the \(width)×\(height) picture")
        }
        let filter: ResizeFilter = handle.model.officialResize == .opencv ? .opencv : .bicubic
        let framed = try image.framed(size: handle.model.inputSize, crop: crop, filter: filter)
        try Pictures.write(framed, rgb: out)
    }
}

@_cdecl("pcl_compare_devices")
public func pcl_compare_devices(_ deviceA: UnsafePointer<CChar>?, _ deviceB: UnsafePointer<CChar>?, _ config: UnsafePointer<CChar>?, _ seed: UInt64,
                                _ source: UnsafePointer<Float>?, _ driver: UnsafePointer<Float>?, _ side: Int32,
                                _ maxDifference: UnsafeMutablePointer<Double>?, _ psnr: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded(ThreadError.slot) {
        let config = try string(config, "config")
        let maxDifference = try required(maxDifference, "max_abs_difference"), psnr = try required(psnr, "psnr_db")
        var images: [[Float]] = []
        for device in [try string(deviceA, "device_a"), try string(deviceB, "device_b")] {
            let session = try PortraitSession(config: config, weights: .random(seed: seed), engine: try makeEngine(device))
            let size = session.model.inputSize
            let sourceTensor = try Pictures.tensor(planes: source, width: side, height: side, size: size, role: "source picture")
            try session.setSource(image: sourceTensor)
            let driverTensor = try Pictures.tensor(planes: driver, width: side, height: side, size: size, role: "driving picture")
            images.append(try Pictures.image(try session.render(driver: driverTensor), engine: session.engine).planarCHW(range: .unit))
        }
        let comparison = Comparison(actual: images[1], reference: images[0], tolerance: Tolerance(absolute: 0, relative: 0))
        maxDifference.pointee = Double(comparison.maxAbsoluteError)
        psnr.pointee = comparison.psnr(peak: 1)
    }
}
