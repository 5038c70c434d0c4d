/// Image and video input/output (PNG through libpng, video through libav*).
public enum MediaModule {
    /// The module's version string.
    public static let version = "0.1.0"
}
