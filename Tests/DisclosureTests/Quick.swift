import Foundation
import Testing
import Media
import Kernels
import Runtime
import Disclosure

struct QuickTests {
    @Test(arguments: [256, 512]) func attacks(size: Int) throws {
        let payload = WatermarkPayload(renderID: 0xDEADBEEF)
        let src = try Harness.sourceFrames(count: 25, size: size)
        let marked = try Harness.mark(src, payload: payload)
        print("size \(size) PSNR \(Harness.psnr(src[0], marked[0]))")
        let path = try Harness.writeVideo(marked)
        let clean = try Harness.writeVideo(src)
        let attacks: [Attack] = [.h264(crf: 18), .h264(crf: 32), .vp9(crf: 40), .scale(0.5), .crop(edge: .left, fraction: 0.1), .crop(edge: .top, fraction: 0.1), .brightness(0.1), .contrast(0.9)]
        var r = try Harness.detect(video: path)
        print("none: \(r.found) z \(r.syncScore) agree \(r.bitAgreement) P \(r.period)")
        r = try Harness.detect(video: clean)
        print("unmarked: \(r.found) z \(r.syncScore) agree \(r.bitAgreement) P \(r.period)")
        for a in attacks {
            let t0 = Date()
            let out = try a.apply(to: path)
            let t1 = Date()
            let r = try Harness.detect(video: out)
            print("\(a): \(r.found) \(r.payload?.description ?? "-") z \(r.syncScore) agree \(r.bitAgreement) P \(r.period) attack \(t1.timeIntervalSince(t0)) detect \(Date().timeIntervalSince(t1))")
        }
    }
}
