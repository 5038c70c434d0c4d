import Disclosure
import Runtime
import Testing

/// The payload's error protection: convolutional code + Viterbi, and the CRC that rejects noise.
struct CodingTests {
    @Test func viterbiCorrectsScatteredErrorsAndSoftNoise() {
        var g = SeededGenerator(seed: 5)
        let bits = (0..<56).map { _ in UInt8(g.next() & 1) }
        let coded = ConvolutionalCode.encode(bits)
        #expect(coded.count == ConvolutionalCode.codedCount(56) && coded.count == 124)
        var soft = coded.map { $0 == 1 ? Float(1) : -1 }
        for i in stride(from: 3, to: soft.count, by: 11) { soft[i] = -soft[i] }      // 12 hard errors, spread out
        for i in soft.indices { soft[i] += 0.6 * g.uniform(-1, 1) }                 // and noise on every bit
        #expect(ConvolutionalCode.decode(soft: soft, count: 56) == bits)
        // Uncoded, the same flips would have been 12 wrong bits; a burst the code cannot fix stays wrong.
        var burst = coded.map { $0 == 1 ? Float(1) : -1 }
        for i in 40..<60 { burst[i] = -burst[i] }
        #expect(ConvolutionalCode.decode(soft: burst, count: 56) != bits)
    }

    @Test func payloadsDescribeThemselvesAndDrawFreshRenderIDs() {
        let p = WatermarkPayload(toolID: 1, renderID: 0x00AB_CDEF)
        #expect(p.description == "tool 01 render 00abcdef")
        let ids = Set((0..<8).map { _ in WatermarkPayload.random().renderID })
        #expect(ids.count > 1)
    }
}
