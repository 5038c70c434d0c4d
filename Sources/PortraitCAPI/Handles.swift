import Disclosure
import Foundation
import Kernels
import NetworkCore
import Media
import PortraitKit
import Runtime

/// The C API's status codes (`pcl_status` in include/portraitcl.h).
enum Status: Int32 {
    case ok = 0, invalidArgument = 1, io = 2, device = 3, state = 4, internalError = 5
}

/// An error the C API reports with a status of its own choosing.
struct APIError: Error, CustomStringConvertible {
    let status: Status
    let description: String
    init(_ status: Status, _ description: String) { self.status = status; self.description = description }
}

/// The status for an error thrown by the libraries.
func status(of error: Error) -> Status {
    switch error {
    case let error as APIError: return error.status
    case is SessionError: return (error as? SessionError) == .noSource ? .state : .invalidArgument
    case is RuntimeError: return .device
    case is CocoaError, is WeightsError: return .io
    default:
        let text = String(describing: error)
        if text.contains("CL_") || text.contains("device memory") { return .device }
        if text.contains("no such file") || text.contains("cannot read") || text.contains("not found") { return .io }
        return .invalidArgument
    }
}

/// A C string owned by a handle: the last error message, kept until replaced.
final class MessageSlot {
    private var pointer: UnsafeMutablePointer<CChar>?
    private static let empty: StaticString = ""

    /// The message as a C string ("" when none).
    var cString: UnsafePointer<CChar> {
        if let pointer { return UnsafePointer(pointer) }
        return UnsafeRawPointer(Self.empty.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    func set(_ message: String) {
        free(pointer)
        pointer = strdup(message)
    }

    deinit { free(pointer) }
}

/// The per-thread message of the last failed create (`pcl_last_error`).
enum ThreadError {
    private static let key = "portraitcl.last-error"

    static var slot: MessageSlot {
        let dictionary = Thread.current.threadDictionary
        if let slot = dictionary[key] as? MessageSlot { return slot }
        let slot = MessageSlot()
        dictionary[key] = slot
        return slot
    }
}

/// `pcl_engine`: an engine and its last error.
final class EngineHandle {
    let engine: Engine
    let name: MessageSlot
    let error = MessageSlot()
    init(engine: Engine) {
        self.engine = engine
        name = MessageSlot()
        name.set(engine.name)
    }
}

/// `pcl_model`: a network (keeping its engine handle alive), its names and its last error.
final class ModelHandle {
    let engine: EngineHandle
    let model: any PortraitModel
    let family: NetworkFamily
    let configName = MessageSlot(), familyName = MessageSlot()
    let error = MessageSlot()
    init(engine: EngineHandle, model: any PortraitModel, family: NetworkFamily) {
        self.engine = engine
        self.model = model
        self.family = family
        configName.set(model.configName)
        familyName.set(family.name)
    }
}

/// `pcl_source`: a per-source state of one model (kept alive).
final class SourceHandle {
    let model: ModelHandle
    let source: any PortraitSource
    let error = MessageSlot()
    init(model: ModelHandle, source: any PortraitSource) {
        self.model = model
        self.source = source
    }
}

/// `pcl_session`: a `PortraitSession` with its model's and source's handles kept alive, and the
/// watermark its frames carry (as the CLI's: a random render id, or `PORTRAIT_RENDER_ID`'s).
final class SessionHandle {
    let model: ModelHandle
    var source: SourceHandle
    let session: PortraitSession
    let embedder: WatermarkEmbedder?
    let error = MessageSlot()
    init(model: ModelHandle, source: SourceHandle, stillDriver: Bool, watermark: Bool) {
        self.model = model
        self.source = source
        session = PortraitSession(model: model.model, source: source.source, stillDriver: stillDriver)
        let fixed = ProcessInfo.processInfo.environment["PORTRAIT_RENDER_ID"].flatMap { UInt32($0, radix: 16) }
        embedder = watermark ? WatermarkEmbedder(payload: fixed.map { WatermarkPayload(renderID: $0) } ?? .random(), engine: model.model.engine) : nil
    }

    /// A rendered `[1, 3, O, O]` frame as the picture the caller gets: watermarked (unless the
    /// session was made without), clamped to [0, 1]. For 8-bit output (`eightBit`) of a network
    /// whose official pipeline truncates to levels (LivePortrait), the frame is truncated before
    /// the watermark, as the CLI writes its PNGs and videos, so both give the same bytes.
    func picture(_ rendered: Tensor, eightBit: Bool = false) throws -> RGBImage {
        let engine = model.model.engine
        var frame = rendered
        if eightBit && model.model.officialResize == .opencv {
            let levels = try Pictures.image(rendered, engine: engine).truncatedToLevels()
            frame = Tensor(shape: [1, 3, levels.height, levels.width], values: levels.planarCHW(range: .unit))
        }
        return try Pictures.image(try embedder?.mark(frame) ?? frame, engine: engine)
    }
}

/// A retained handle as the opaque pointer C holds.
func opaque(_ object: AnyObject) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
}

/// The handle behind an opaque pointer (nil for NULL).
func object<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) -> T? {
    guard let pointer else { return nil }
    return Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

/// Releases the handle behind an opaque pointer (NULL is a no-op).
func release(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

/// Runs `body`, recording a failure's message in `slot` and returning its status.
func guarded(_ slot: MessageSlot, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return Status.ok.rawValue
    } catch {
        slot.set(String(describing: error))
        return status(of: error).rawValue
    }
}

/// `guarded` for a create call on `parent`: a failure's message goes to the parent handle and to
/// the thread's `pcl_last_error`.
func guardedCreate(_ parent: MessageSlot, _ body: () throws -> Void) -> Int32 {
    let code = guarded(parent, body)
    if code != Status.ok.rawValue { ThreadError.slot.set(String(cString: parent.cString)) }
    return code
}

/// A non-NULL C string argument as a Swift string.
func string(_ pointer: UnsafePointer<CChar>?, _ what: String) throws -> String {
    guard let pointer else { throw APIError(.invalidArgument, "\(what) is NULL") }
    return String(cString: pointer)
}

/// A non-NULL pointer argument.
func required<T>(_ pointer: T?, _ what: String) throws -> T {
    guard let pointer else { throw APIError(.invalidArgument, "\(what) is NULL") }
    return pointer
}
