import Foundation
import Testing
import Media
import Kernels
import Runtime
import Disclosure

struct QuickTests {
    @Test func cleanRoundTrip() throws {
        let payload = WatermarkPayload(renderID: 0xDEADBEEF)
        let engine = Engine.cpu()
        let e = WatermarkEmbedder(payload: payload, engine: engine)
        for kind in 0..<Content.kinds {
            let img = Content.picture(kind: kind, seed: 1, width: 256, height: 256)
            let t = Tensor(shape: [1, 3, 256, 256], values: img.planarCHW())
            let marked = try RGBImage(planarCHW: try engine.values(try e.mark(t)).map { min(max($0, 0), 1) }, width: 256, height: 256)
            let d = WatermarkDetector()
            d.add(luma(marked))
            let r = d.detect()
            let u = WatermarkDetector(); u.add(luma(img)); let ur = u.detect()
            print("kind \(kind): found \(r.found) \(r.payload?.description ?? "-") z \(r.syncScore) agree \(r.bitAgreement) P \(r.period) | unmarked z \(ur.syncScore) \(ur.found)")
        }
    }
}

func luma(_ img: RGBImage) -> LumaFrame {
    var v = [Float](repeating: 0, count: img.width * img.height)
    for i in v.indices { v[i] = 255 * (0.2126 * img.pixels[3 * i] + 0.7152 * img.pixels[3 * i + 1] + 0.0722 * img.pixels[3 * i + 2]) }
    return LumaFrame(width: img.width, height: img.height, values: v)!
}
