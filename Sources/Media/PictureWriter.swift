import Foundation

/// Writes a picture as PNG or JPEG, by the file name's extension.
public enum PictureWriter {
    /// The picture formats `write` chooses from, by lower-cased extension.
    public static let extensions = ["png", "jpg", "jpeg"]

    /// Whether `path`'s extension names a format `write` writes.
    public static func canWrite(_ path: String) -> Bool {
        extensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// Writes `rgb` to `path`: JPEG for `.jpg`/`.jpeg`, PNG for `.png`; another extension is an error.
    public static func write(_ rgb: RGBImage, to path: String) throws(MediaError) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "png": try PNGCodec.write(rgb, to: path)
        case "jpg", "jpeg": try JPEGCodec.write(rgb, to: path)
        case let other:
            throw .invalidArgument("\(path): cannot write a picture with extension '\(other)'; use .png or .jpg")
        }
    }
}
