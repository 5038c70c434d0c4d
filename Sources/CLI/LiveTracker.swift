#if canImport(Media)
import Face
import Foundation
import Media

/// Frames each live driver picture for the model, online: the centred square, one fixed square,
/// or the face found in this very frame (YuNet or MediaPipe on the tracker's own engine), its
/// framing smoothed over the last frames only (`OnlineCropSmoother`: no look-ahead). Until the
/// first face appears frames are skipped (`nil`); when none appears within `patience` frames the
/// tracker throws `FaceError.noFace` with what to do.
final class LiveTracker {
    enum Mode {
        case centered
        case fixed(SquareCrop)
        case auto(FaceLocator, face: Int)
    }
    private let mode: Mode
    private let size: Int
    private let filter: ResizeFilter
    private let driverName: String
    private var smoother: OnlineCropSmoother
    private let patience: Int
    private var seen = 0
    /// Frames skipped because no face had been found yet.
    private(set) var framesWithoutFace = 0

    /// A tracker framing pictures to `size`² with `filter`; `window` frames of smoothing; gives up
    /// after `patience` frames without any face.
    init(mode: Mode, size: Int, filter: ResizeFilter, window: Int, patience: Int, driverName: String) {
        self.mode = mode
        self.size = size
        self.filter = filter
        self.driverName = driverName
        self.patience = max(1, patience)
        smoother = OnlineCropSmoother(window: window)
    }

    /// The framed picture for `image`, or nil when no face has been seen yet.
    func frame(_ image: RGBImage) throws -> RGBImage? {
        seen += 1
        let crop: SquareCrop?
        switch mode {
        case .centered: crop = nil
        case .fixed(let box): crop = box
        case .auto(let locator, let index):
            let faces = try locator.located(in: image)
            var framing: FaceFrame?
            if let previous = smoother.current, !faces.isEmpty {
                // Follow the face nearest to the one being followed.
                let framings = try faces.map { try locator.frame($0, width: image.width, height: image.height, role: .driver) }
                framing = framings.min { Self.distance($0, previous) < Self.distance($1, previous) }
            } else if index < faces.count {
                framing = try locator.frame(faces[index], width: image.width, height: image.height, role: .driver)
            }
            guard let smoothed = smoother.update(framing) else {
                framesWithoutFace += 1
                if seen >= patience {
                    throw FaceError.noFace("\(driverName): no face\(index > 0 ? " \(index)" : "") in the first \(seen) driver frames; face the camera, or frame the driver with --crop none or --crop x,y,size")
                }
                return nil
            }
            crop = try FaceLocator.square(smoothed, width: image.width, height: image.height, path: driverName)
        }
        return try FrameConversion.frame(image, path: driverName, role: "driver", size: size, crop: crop, filter: filter)
    }

    private static func distance(_ a: FaceFrame, _ b: FaceFrame) -> Double {
        let dx = a.centerX - b.centerX, dy = a.centerY - b.centerY
        return dx * dx + dy * dy
    }
}
#endif
