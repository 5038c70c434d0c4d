import CFFmpeg
import Foundation

/// A frame rate as an exact fraction (`30000/1001` for NTSC 29.97), as containers store it.
public struct FrameRate: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Frames per `denominator` seconds.
    public let numerator: Int32
    /// Seconds per `numerator` frames.
    public let denominator: Int32

    /// A rate of `numerator / denominator` frames per second; both must be positive.
    public init(_ numerator: Int32, _ denominator: Int32 = 1) throws(MediaError) {
        guard numerator > 0, denominator > 0 else {
            throw .invalidArgument("frame rate \(numerator)/\(denominator) must be positive, e.g. 25 or 30000/1001")
        }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// A fraction for a rate in frames per second: an NTSC rate (`30000/1001`...) when within
    /// 0.01 % of one, else the nearest fraction with terms up to 1001 when it is exact to 1e-6
    /// (25, 12.5, 400/19), else the rate rounded to 1/100 fps (`2113/100`).
    public init(framesPerSecond: Double) throws(MediaError) {
        guard framesPerSecond.isFinite, framesPerSecond >= 0.01, framesPerSecond < 10_000 else {
            throw .invalidArgument("frame rate \(framesPerSecond) must be a number from 0.01 to 10000 frames per second")
        }
        for base in [24, 30, 48, 60, 120, 240] as [Int32] {
            let ntsc = Double(base) * 1000 / 1001
            if abs(framesPerSecond / ntsc - 1) < 1e-4 { try self.init(base * 1000, 1001); return }
        }
        let q = av_d2q(framesPerSecond, 1001)
        if q.num > 0, q.den > 0, abs(Double(q.num) / Double(q.den) / framesPerSecond - 1) < 1e-6 {
            try self.init(q.num, q.den)
            return
        }
        var numerator = Int32((framesPerSecond * 100).rounded()), denominator: Int32 = 100
        var a = numerator, b = denominator
        while b != 0 { (a, b) = (b, a % b) }
        numerator /= a
        denominator /= a
        try self.init(numerator, denominator)
    }

    /// A rate as a user writes it: `30`, `29.97` or `30000/1001` (positive, at most 1000 fps).
    public init(parsing text: String) throws(MediaError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        let problem = MediaError.invalidArgument("frame rate '\(text)' is not a positive number of frames per second up to 1000; write e.g. 25, 29.97 or 30000/1001")
        if parts.count == 2 {
            guard let numerator = Int32(parts[0]), let denominator = Int32(parts[1]), numerator > 0, denominator > 0,
                  Double(numerator) / Double(denominator) <= 1000 else { throw problem }
            try self.init(numerator, denominator)
        } else {
            guard parts.count == 1, let value = Double(trimmed), value.isFinite, value > 0, value <= 1000 else { throw problem }
            try self.init(framesPerSecond: value)
        }
    }

    /// Frames per second as a floating-point number.
    public var framesPerSecond: Double { Double(numerator) / Double(denominator) }

    /// `"25"` or `"30000/1001"`.
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    var rational: AVRational { AVRational(num: numerator, den: denominator) }
}

/// Shared libav* helpers: error text and one-time library set-up.
enum FFmpeg {
    /// libav's message for an error code (`av_strerror`).
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        return string(buffer)
    }

    /// A Swift string from a NUL-terminated C buffer.
    static func string(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Quiets libav's own logging, since its errors come back as `MediaError` values. Set
    /// `PORTRAIT_MEDIA_LOG` to `error`, `warning`, `info` or `debug` to see libav's messages
    /// on stderr. Runs once.
    static let quiet: Void = {
        let levels: [String: Int32] = ["error": AV_LOG_ERROR, "warning": AV_LOG_WARNING,
                                       "info": AV_LOG_INFO, "debug": AV_LOG_DEBUG]
        let requested = ProcessInfo.processInfo.environment["PORTRAIT_MEDIA_LOG"]?.lowercased()
        av_log_set_level(requested.flatMap { levels[$0] } ?? AV_LOG_QUIET)
    }()

    /// `AVERROR(EAGAIN)`.
    static let again = cffmpeg_averror_eagain()
    /// `AVERROR_EOF`.
    static let endOfFile = cffmpeg_averror_eof()
    /// `AV_NOPTS_VALUE`: no timestamp.
    static let noTimestamp = cffmpeg_nopts_value()
}

/// The libav* library versions this build runs against (for `portrait --version` and bug reports).
public enum MediaLibraries {
    /// For example `"libavformat 59.27.100, libavcodec 59.37.100, libpng 1.6.39"`.
    public static var versions: String {
        func v(_ n: UInt32) -> String { "\(n >> 16).\((n >> 8) & 0xFF).\(n & 0xFF)" }
        return "libavformat \(v(avformat_version())), libavcodec \(v(avcodec_version())), libswscale \(v(swscale_version()))"
    }
}
