import Disclosure
import Foundation
import Media

/// How visible a change to a picture is, on the 8-bit luma the viewer sees (BT.709, levels), over
/// a rectangular region: largest change, share of pixels whose change passes Chou & Li's JND of
/// the original, SSIM (Wang et al. 2004: 11×11 Gaussian window, σ 1.5, K1 0.01, K2 0.03) and PSNR.
struct Visibility {
    /// A rectangle of pixels.
    struct Region: CustomStringConvertible {
        let name: String, x: Int, y: Int, width: Int, height: Int
        var description: String { name }
        static func whole(_ img: RGBImage, _ name: String) -> Region { Region(name: name, x: 0, y: 0, width: img.width, height: img.height) }
    }

    /// Largest luma change (levels).
    let maxChange: Float
    /// Share of pixels whose luma change exceeds the original's Chou–Li JND.
    let overJND: Double
    /// Share of pixels whose luma changed by more than one level.
    let overOneLevel: Double
    /// Mean SSIM of the luma over the region.
    let ssim: Double
    /// PSNR of the luma (dB; 99 when identical).
    let psnr: Double

    /// The figures for `marked` against `original` (one size) over `region`.
    init(original: RGBImage, marked: RGBImage, region r: Region) {
        let (w, h) = (original.width, original.height)
        let a = Self.luma(original), b = Self.luma(marked)
        let jnd = ChouLi.threshold(luma: a, width: w, height: h)
        let ssimMap = Self.ssimMap(a, b, width: w, height: h)
        var maxChange: Float = 0, over = 0, overOne = 0, ssim = 0.0, squared = 0.0
        for y in r.y..<(r.y + r.height) {
            for x in r.x..<(r.x + r.width) {
                let i = y * w + x, d = abs(b[i] - a[i])
                maxChange = max(maxChange, d)
                if d > jnd[i] { over += 1 }
                if d > 1 { overOne += 1 }
                ssim += Double(ssimMap[i])
                squared += Double(d * d)
            }
        }
        let n = Double(r.width * r.height)
        self.maxChange = maxChange
        overJND = Double(over) / n
        overOneLevel = Double(overOne) / n
        self.ssim = ssim / n
        psnr = squared == 0 ? 99 : 10 * log10(255 * 255 / (squared / n))
    }

    /// BT.709 luma of the 8-bit picture, in levels.
    static func luma(_ img: RGBImage) -> [Float] {
        let bytes = img.rgbBytes()
        return (0..<(img.width * img.height)).map { i in
            0.2126 * Float(bytes[3 * i]) + 0.7152 * Float(bytes[3 * i + 1]) + 0.0722 * Float(bytes[3 * i + 2])
        }
    }

    /// SSIM at every pixel (Gaussian-weighted local statistics, borders replicated).
    static func ssimMap(_ a: [Float], _ b: [Float], width w: Int, height h: Int) -> [Float] {
        let blur = { (p: [Float]) in gaussian(p, width: w, height: h) }
        let ma = blur(a), mb = blur(b)
        let saa = blur(a.map { $0 * $0 }), sbb = blur(b.map { $0 * $0 }), sab = blur(zip(a, b).map { $0 * $1 })
        let c1: Float = (0.01 * 255) * (0.01 * 255), c2: Float = (0.03 * 255) * (0.03 * 255)
        return (0..<(w * h)).map { i in
            let va = saa[i] - ma[i] * ma[i], vb = sbb[i] - mb[i] * mb[i], cov = sab[i] - ma[i] * mb[i]
            return (2 * ma[i] * mb[i] + c1) * (2 * cov + c2) / ((ma[i] * ma[i] + mb[i] * mb[i] + c1) * (va + vb + c2))
        }
    }

    /// 11-tap Gaussian (σ 1.5) along rows then columns, borders replicated.
    static func gaussian(_ p: [Float], width w: Int, height h: Int) -> [Float] {
        let taps = (-5...5).map { Float(exp(-Double($0 * $0) / (2 * 1.5 * 1.5))) }
        let total = taps.reduce(0, +)
        let k = taps.map { $0 / total }
        var rows = [Float](repeating: 0, count: w * h), out = rows
        for y in 0..<h {
            for x in 0..<w {
                var s: Float = 0
                for t in 0..<11 { s += k[t] * p[y * w + min(w - 1, max(0, x + t - 5))] }
                rows[y * w + x] = s
            }
        }
        for y in 0..<h {
            for x in 0..<w {
                var s: Float = 0
                for t in 0..<11 { s += k[t] * rows[min(h - 1, max(0, y + t - 5)) * w + x] }
                out[y * w + x] = s
            }
        }
        return out
    }
}
