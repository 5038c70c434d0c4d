import Foundation

/// The official EMOPortraits inference crop (`notebooks/infer.py`), computed from a MediaPipe
/// (BlazeFace short-range) face box exactly as the official code computes it: no fitted constants.
///
/// `forward` widens MediaPipe's relative box `(xmin, ymin, w, h)` on a `W × H` picture to
/// `[W·xmin, 0.9·H·ymin, W·(xmin + w), min(H·(ymin + 1.2·h), H − 1)]`; `crop_image` takes the
/// centre `((x0 + x1) // 2, (y0 + y1) // 2)` and the side `(x1 − x0) + (y1 − y0)`, rounds the
/// side half-to-even (Python's `round`) and down to even, and `remove_overflow` shrinks the side
/// symmetrically about the centre until the square fits in the picture (side truncated, then down
/// to even). The crop is then `[cy − side/2, cy + side/2) × [cx − side/2, cx + side/2)`, always
/// inside the picture.
public enum EMOPortraitsCrop {
    /// The official crop for the face box `x, y, width, height` in pixels of a `pictureWidth ×
    /// pictureHeight` picture (MediaPipe's relative box times the picture's size), as a frame
    /// with whole-pixel centre and even side (`SquareCrop.around` cuts it to the same pixels).
    /// Throws `FaceError.badLandmarks` for a box that is empty, not finite, or whose crop does not
    /// fit the picture at any size (a box wholly outside it).
    public static func frame(boxX: Double, boxY: Double, boxWidth: Double, boxHeight: Double,
                             pictureWidth: Int, pictureHeight: Int) throws -> FaceFrame {
        let w = Double(pictureWidth), h = Double(pictureHeight)
        guard [boxX, boxY, boxWidth, boxHeight].allSatisfy(\.isFinite), boxWidth > 0, boxHeight > 0,
              pictureWidth > 0, pictureHeight > 0 else {
            throw FaceError.badLandmarks("the EMOPortraits crop needs a non-empty face box on a non-empty picture, got box \(boxX),\(boxY) \(boxWidth)×\(boxHeight) on \(pictureWidth)×\(pictureHeight)")
        }
        // MediaPipe's relative box, as infer.py reads it, then its widened face box.
        let xmin = boxX / w, ymin = boxY / h, rw = boxWidth / w, rh = boxHeight / h
        let face = [w * xmin, h * ymin * 0.9, w * (xmin + rw), min(h * (ymin + rh * 1.2), h - 1)]
        let cx = ((face[2] + face[0]) / 2).rounded(.down), cy = ((face[3] + face[1]) / 2).rounded(.down)
        var side = Int((face[2] - face[0] + face[3] - face[1]).rounded(.toNearestOrEven))
        side -= side % 2
        side = removeOverflow(centerX: cx, centerY: cy, side: side, width: w, height: h)
        guard side >= 2 else {
            throw FaceError.badLandmarks("the EMOPortraits crop of the face box \(boxX),\(boxY) \(boxWidth)×\(boxHeight) does not fit the \(pictureWidth)×\(pictureHeight) picture")
        }
        return FaceFrame(centerX: cx, centerY: cy, side: Double(side))
    }

    /// `remove_overflow`: the side after shrinking the square about its centre by the largest
    /// amount it sticks out of the picture on any side, truncated, then down to even.
    static func removeOverflow(centerX cx: Double, centerY cy: Double, side: Int, width w: Double, height h: Double) -> Int {
        let half = Double(side) / 2
        var box = [cx - half, cy - half, cx + half, cy + half]
        let shift = max(box[0] >= 0 ? 0 : -box[0], box[1] >= 0 ? 0 : -box[1],
                        box[2] <= w ? 0 : box[2] - w, box[3] <= h ? 0 : box[3] - h)
        box[0] += shift; box[1] += shift; box[2] -= shift; box[3] -= shift
        var fitted = Int(((box[2] - box[0] + box[3] - box[1]) / 2).rounded(.towardZero))
        fitted -= fitted % 2
        return fitted
    }
}
