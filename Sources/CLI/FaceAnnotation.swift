#if canImport(Media)
import Face
import Media

/// The picture `portrait faces -o` writes: each face's box, its landmarks and its number (the
/// index `--face`, `--source-face` and `--driver-face` take) drawn on the picture.
enum FaceAnnotation {
    /// Green for face 0 (the largest, the default), yellow for the others.
    static let firstColour: (Float, Float, Float) = (0, 1, 0)
    /// The colour of every face but the first.
    static let otherColour: (Float, Float, Float) = (1, 1, 0)

    /// `picture` with each box outlined, its landmarks marked in red and its number written in
    /// the box's colour on a black label just above the box's top-left corner (inside the box when
    /// there is no room above).
    static func annotated(_ picture: RGBImage, _ faces: [DetectedFace]) -> RGBImage {
        var canvas = Canvas(image: picture)
        let thickness = max(1, min(picture.width, picture.height) / 256)
        for (n, face) in faces.enumerated() {
            let colour = n == 0 ? firstColour : otherColour
            let (x0, y0) = (Int(face.x.rounded()), Int(face.y.rounded()))
            let (x1, y1) = (Int((face.x + face.width).rounded()), Int((face.y + face.height).rounded()))
            for t in 0..<thickness {
                for x in x0...max(x0, x1) { canvas.paint(x, y0 + t, colour); canvas.paint(x, y1 - t, colour) }
                for y in y0...max(y0, y1) { canvas.paint(x0 + t, y, colour); canvas.paint(x1 - t, y, colour) }
            }
            let radius = 1 + thickness
            for p in face.landmarks {
                let (cx, cy) = (Int(p.x.rounded()), Int(p.y.rounded()))
                for dy in -radius...radius { for dx in -radius...radius where dx * dx + dy * dy <= radius * radius {
                    canvas.paint(cx + dx, cy + dy, (1, 0, 0))
                } }
            }
            // Digits of 3×5 cells, a cell a 30th of the box's height (at least 2 px).
            let cell = max(2, Int(face.height.rounded()) / 30)
            let label = String(n)
            let labelHeight = (Glyphs.height + 2) * cell
            let top = y0 - labelHeight >= 0 ? y0 - labelHeight : y0 + thickness
            canvas.write(label, x: max(0, x0), y: max(0, top), cell: cell, colour: colour)
        }
        return canvas.image
    }

    /// An image that can be painted pixel by pixel, ignoring pixels outside it.
    struct Canvas {
        var image: RGBImage

        mutating func paint(_ x: Int, _ y: Int, _ colour: (Float, Float, Float)) {
            guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
            let i = (y * image.width + x) * 3
            image.pixels[i] = colour.0; image.pixels[i + 1] = colour.1; image.pixels[i + 2] = colour.2
        }

        /// `text` (digits) in `colour` on a black label whose top-left corner is (`x`, `y`),
        /// each glyph cell `cell` pixels square, one cell of margin around.
        mutating func write(_ text: String, x: Int, y: Int, cell: Int, colour: (Float, Float, Float)) {
            let digits = text.compactMap { Glyphs.rows(for: $0) }
            let width = (digits.count * (Glyphs.width + 1) + 1) * cell, height = (Glyphs.height + 2) * cell
            for dy in 0..<height { for dx in 0..<width { paint(x + dx, y + dy, (0, 0, 0)) } }
            for (k, rows) in digits.enumerated() {
                let left = x + (1 + k * (Glyphs.width + 1)) * cell
                for (r, bits) in rows.enumerated() {
                    for c in 0..<Glyphs.width where bits & (1 << (Glyphs.width - 1 - c)) != 0 {
                        for py in 0..<cell { for px in 0..<cell { paint(left + c * cell + px, y + (1 + r) * cell + py, colour) } }
                    }
                }
            }
        }
    }

    /// A 3×5 pixel font for the digits 0-9: five rows per glyph, the top bit the left column.
    enum Glyphs {
        static let width = 3
        static let height = 5
        private static let digits: [[UInt8]] = [
            [0b111, 0b101, 0b101, 0b101, 0b111], [0b010, 0b110, 0b010, 0b010, 0b111],
            [0b111, 0b001, 0b111, 0b100, 0b111], [0b111, 0b001, 0b111, 0b001, 0b111],
            [0b101, 0b101, 0b111, 0b001, 0b001], [0b111, 0b100, 0b111, 0b001, 0b111],
            [0b111, 0b100, 0b111, 0b101, 0b111], [0b111, 0b001, 0b010, 0b010, 0b010],
            [0b111, 0b101, 0b111, 0b101, 0b111], [0b111, 0b101, 0b111, 0b001, 0b111],
        ]

        /// The rows of `character`'s glyph, nil for anything but a digit.
        static func rows(for character: Character) -> [UInt8]? {
            character.wholeNumberValue.flatMap { (0...9).contains($0) ? digits[$0] : nil }
        }
    }
}
#endif
