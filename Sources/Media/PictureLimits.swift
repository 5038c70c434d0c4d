/// The largest picture this build decodes, so a few hundred bytes that claim a huge frame (a
/// JPEG header is enough) cannot make a reader allocate gigabytes or decode for minutes.
public enum PictureLimits {
    /// Most pixels of one decoded picture or video frame: 2^25 (33.5 MP, an 8K UHD frame
    /// 7680×4320 fits). Its float RGB copy is 400 MB.
    public static let maximumPixels = 1 << 25
    /// Longest side, in pixels.
    public static let maximumSide = 1 << 15

    /// Throws `tooLarge` when a `width`×`height` picture exceeds the limits.
    static func check(width: Int, height: Int, path: String) throws(MediaError) {
        guard width <= maximumSide, height <= maximumSide, width * height <= maximumPixels else {
            throw .tooLarge(path: path, width: width, height: height)
        }
    }
}
