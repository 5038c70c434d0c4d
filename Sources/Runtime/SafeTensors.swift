import Foundation

/// Errors reading a safetensors file. Each message says what was expected and what was found.
public enum SafeTensorsError: Error, CustomStringConvertible, Sendable {
    /// The file could not be opened or mapped.
    case unreadable(path: String, reason: String)
    /// The header is malformed or lies about the file (sizes, offsets, JSON).
    case corrupt(path: String, reason: String)
    /// A tensor has a dtype this engine cannot convert to float32.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A requested tensor is not in the file.
    case missingTensor(path: String, name: String, available: [String])

    public var description: String {
        switch self {
        case .unreadable(let p, let r): return "\(p): cannot read safetensors file (\(r))"
        case .corrupt(let p, let r): return "\(p): not a valid safetensors file: \(r); re-export or re-download it"
        case .unsupportedDType(let p, let t, let d): return "\(p): tensor '\(t)' has dtype \(d); supported: F32, F16, BF16, F64"
        case .missingTensor(let p, let n, let a):
            let list = a.prefix(12).joined(separator: ", ") + (a.count > 12 ? ", ..." : "")
            return "\(p): no tensor named '\(n)' (file has: \(list))"
        }
    }
}

/// A safetensors file, memory-mapped; every tensor's offsets and size are checked against the
/// file before use. Values are converted to float32 on access (F16, BF16 and F64 too).
public final class SafeTensorsFile: @unchecked Sendable {
    /// One tensor's entry in the header.
    public struct Entry: Sendable {
        /// The dtype string (`F32`, `F16`, ...).
        public let dtype: String
        /// The shape.
        public let shape: [Int]
        /// Byte range within the data section.
        public let range: Range<Int>
    }

    /// Path the file was read from.
    public let path: String
    /// Tensor entries by name.
    public let entries: [String: Entry]
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    /// Tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// Maps and validates `path`.
    public convenience init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or unreadable" : "no such file"
            throw SafeTensorsError.unreadable(path: path, reason: reason)
        }
        try self.init(data: data, path: path)
    }

    /// Validates safetensors bytes already in memory (e.g. embedded in the binary); `path` only
    /// names them in error messages.
    public init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        guard data.count >= 8 else { throw SafeTensorsError.corrupt(path: path, reason: "file is \(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw SafeTensorsError.corrupt(path: path, reason: "header claims \(headerLength) bytes but the file has only \(data.count - 8) after the length field (truncated?)")
        }
        dataStart = 8 + Int(headerLength)
        let headerData = data.subdata(in: 8..<dataStart)
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let header = json as? [String: Any] else {
            throw SafeTensorsError.corrupt(path: path, reason: "header is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        let dataSize = data.count - dataStart
        for (name, value) in header {
            if name == "__metadata__" {
                if let m = value as? [String: Any] { for (k, v) in m { metadata[k] = "\(v)" } }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shapeAny = info["shape"] as? [Any], let offsAny = info["data_offsets"] as? [Any], offsAny.count == 2 else {
                throw SafeTensorsError.corrupt(path: path, reason: "entry '\(name)' lacks dtype, shape or data_offsets")
            }
            let shape = shapeAny.compactMap { ($0 as? NSNumber)?.intValue }
            let offs = offsAny.compactMap { ($0 as? NSNumber)?.intValue }
            guard shape.count == shapeAny.count, shape.allSatisfy({ $0 >= 0 }), offs.count == 2 else {
                throw SafeTensorsError.corrupt(path: path, reason: "entry '\(name)' has a non-integer shape or offset")
            }
            guard offs[0] >= 0, offs[0] <= offs[1], offs[1] <= dataSize else {
                throw SafeTensorsError.corrupt(path: path, reason: "tensor '\(name)' claims bytes \(offs[0])..<\(offs[1]) but the data section has \(dataSize) bytes")
            }
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
            }
            guard !overflow else {
                throw SafeTensorsError.corrupt(path: path, reason: "tensor '\(name)' has shape \(shape), whose element count overflows")
            }
            if let size = Self.elementSize(dtype) {
                let (bytes, tooLarge) = count.multipliedReportingOverflow(by: size)
                guard !tooLarge, bytes == offs[1] - offs[0] else {
                    throw SafeTensorsError.corrupt(path: path, reason: "tensor '\(name)' of shape \(shape) and dtype \(dtype) needs \(tooLarge ? "more than Int.max" : "\(bytes)") bytes but its offsets span \(offs[1] - offs[0])")
                }
            } else {
                // A dtype this reader does not know still has at least one bit per element.
                guard count <= (offs[1] - offs[0]) * 8 else {
                    throw SafeTensorsError.corrupt(path: path, reason: "tensor '\(name)' of shape \(shape) has \(count) elements in \(offs[1] - offs[0]) bytes")
                }
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offs[0]..<offs[1])
        }
        self.entries = entries
        self.metadata = metadata
    }

    static func elementSize(_ dtype: String) -> Int? {
        switch dtype {
        case "F32", "I32", "U32": return 4
        case "F16", "BF16", "I16", "U16": return 2
        case "F64", "I64", "U64": return 8
        case "I8", "U8", "BOOL": return 1
        default: return nil
        }
    }

    /// The tensor `name` as a float32 host tensor.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw SafeTensorsError.missingTensor(path: path, name: name, available: names)
        }
        // An unknown dtype's shape was not checked against its bytes: refuse it before sizing anything.
        guard ["F32", "F16", "BF16", "F64"].contains(entry.dtype) else {
            throw SafeTensorsError.unsupportedDType(path: path, tensor: name, dtype: entry.dtype)
        }
        let start = dataStart + entry.range.lowerBound
        let count = entry.shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + start
            switch entry.dtype {
            case "F32":
                values.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: base, count: count * 4)) }
            case "F16":
                for i in 0..<count { values[i] = Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            case "BF16":
                for i in 0..<count { values[i] = Float(bitPattern: UInt32(base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16) }
            case "F64":
                for i in 0..<count { values[i] = Float(base.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
            default:
                throw SafeTensorsError.unsupportedDType(path: path, tensor: name, dtype: entry.dtype)
            }
        }
        return Tensor(shape: entry.shape, values: values)
    }

    /// Every tensor in the file, by name.
    public func allTensors() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for name in names { out[name] = try tensor(name) }
        return out
    }
}

/// Writes safetensors files (float32), atomically.
public enum SafeTensorsWriter {
    /// Serialises `tensors` (host tensors) and `metadata` into safetensors bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            guard t.isHost else { throw RuntimeError.shapeMismatch("tensor '\(name)' is on a device; download it before writing") }
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.count * 4]] as [String: Any]
            offset += t.count * 4
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        for name in names {
            tensors[name]!.hostValues!.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes `tensors` to `path` atomically.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        try AtomicFile.write(try encode(tensors, metadata: metadata), to: URL(fileURLWithPath: path))
    }
}
