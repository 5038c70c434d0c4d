/// What the watermark carries: 40 bits, an 8-bit tool id and a 32-bit render id, protected by a
/// CRC-16 (so a decode of noise is rejected with probability 1 − 2⁻¹⁶) and then by a rate-½
/// convolutional code (`ConvolutionalCode`).
public struct WatermarkPayload: Hashable, Sendable, CustomStringConvertible {
    /// Which tool made the frame; `portraitTool` for this engine.
    public let toolID: UInt8
    /// A random id drawn per render, also written to the file's metadata, linking the two layers.
    public let renderID: UInt32

    /// A payload from its two fields.
    public init(toolID: UInt8 = WatermarkPayload.portraitTool, renderID: UInt32) {
        self.toolID = toolID
        self.renderID = renderID
    }

    /// The tool id of PortraitCL.
    public static let portraitTool: UInt8 = 0x01

    /// A payload with a fresh random render id.
    public static func random(toolID: UInt8 = portraitTool) -> WatermarkPayload {
        WatermarkPayload(toolID: toolID, renderID: UInt32.random(in: 0...UInt32.max))
    }

    /// `tool 01 render 1a2b3c4d`.
    public var description: String { "tool \(hex(UInt64(toolID), digits: 2)) render \(renderIDHex)" }

    /// The render id as 8 hex digits.
    public var renderIDHex: String { hex(UInt64(renderID), digits: 8) }

    /// The 124 code bits the frames carry: tool id, render id and CRC-16, convolutionally coded.
    public var codeword: [UInt8] { ConvolutionalCode.encode(protectedBitValues) }

    /// Payload bits before coding.
    static let dataBits = 40
    /// Data plus CRC bits.
    static let protectedBits = dataBits + 16

    /// The 56 protected bits, most significant first: tool id, render id, CRC-16.
    var protectedBitValues: [UInt8] {
        let data = UInt64(toolID) << 32 | UInt64(renderID)
        let word = data << 16 | UInt64(Self.crc16(data))
        return (0..<Self.protectedBits).map { UInt8((word >> UInt64(Self.protectedBits - 1 - $0)) & 1) }
    }

    /// The payload in 56 decoded bits, or nil when their CRC does not match.
    init?(protectedBits bits: [UInt8]) {
        guard bits.count == Self.protectedBits else { return nil }
        var word: UInt64 = 0
        for b in bits { word = word << 1 | UInt64(b & 1) }
        let data = word >> 16
        guard UInt16(word & 0xFFFF) == Self.crc16(data) else { return nil }
        self.init(toolID: UInt8(data >> 32), renderID: UInt32(data & 0xFFFF_FFFF))
    }

    /// CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) over the 5 data bytes.
    static func crc16(_ data: UInt64) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for i in (0..<5).reversed() {
            crc ^= UInt16((data >> UInt64(8 * i)) & 0xFF) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}

/// `value` as lower-case hex with leading zeros.
func hex(_ value: UInt64, digits: Int) -> String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}
