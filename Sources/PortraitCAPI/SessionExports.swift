import Foundation
import Kernels
import NetworkCore
import PortraitKit
import Runtime

// include/portraitcl.h: the source and session functions.

/// The model handle behind `model`, or the failure `pcl_last_error` reports.
private func modelHandle(_ model: OpaquePointer?) -> ModelHandle? {
    guard let handle = object(model, as: ModelHandle.self) else {
        ThreadError.slot.set("model is NULL")
        return nil
    }
    return handle
}

/// Makes a source from `image()` on `model` into `out`.
private func createSource(_ model: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                          _ make: (ModelHandle) throws -> any PortraitSource) -> Int32 {
    guard let handle = modelHandle(model) else { return Status.invalidArgument.rawValue }
    return guardedCreate(handle.error) {
        let out = try required(out, "out")
        out.pointee = nil
        out.pointee = opaque(SourceHandle(model: handle, source: try make(handle)))
    }
}

@_cdecl("pcl_source_create_rgb8")
public func pcl_source_create_rgb8(_ model: OpaquePointer?, _ rgb: UnsafePointer<UInt8>?, _ width: Int32, _ height: Int32,
                                   _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    createSource(model, out) { handle in
        let image = try Pictures.tensor(rgb: rgb, width: width, height: height, size: handle.model.inputSize, role: "source picture")
        return try handle.model.makeSource(image, mask: nil, recorder: nil)
    }
}

@_cdecl("pcl_source_create_planar")
public func pcl_source_create_planar(_ model: OpaquePointer?, _ planes: UnsafePointer<Float>?, _ width: Int32, _ height: Int32,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    createSource(model, out) { handle in
        let image = try Pictures.tensor(planes: planes, width: width, height: height, size: handle.model.inputSize, role: "source picture")
        return try handle.model.makeSource(image, mask: nil, recorder: nil)
    }
}

@_cdecl("pcl_source_load")
public func pcl_source_load(_ model: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    createSource(model, out) { handle in try handle.model.loadSource(path: try string(path, "path")) }
}

@_cdecl("pcl_source_save")
public func pcl_source_save(_ source: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    guard let handle = object(source, as: SourceHandle.self) else {
        ThreadError.slot.set("source is NULL")
        return Status.invalidArgument.rawValue
    }
    return guarded(handle.error) { try handle.source.save(to: try string(path, "path"), engine: handle.model.model.engine) }
}

@_cdecl("pcl_source_last_error")
public func pcl_source_last_error(_ source: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(source, as: SourceHandle.self)?.error.cString
}

@_cdecl("pcl_source_destroy")
public func pcl_source_destroy(_ source: OpaquePointer?) { release(source) }

@_cdecl("pcl_session_create")
public func pcl_session_create(_ model: OpaquePointer?, _ source: OpaquePointer?, _ flags: Int32,
                               _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let handle = modelHandle(model) else { return Status.invalidArgument.rawValue }
    return guardedCreate(handle.error) {
        let out = try required(out, "out")
        out.pointee = nil
        let sourceHandle = try required(object(source, as: SourceHandle.self), "source")
        guard sourceHandle.model === handle else {
            throw APIError(.invalidArgument, "the source was made by another model handle; make it with this model (pcl_source_create_*)")
        }
        guard flags & ~3 == 0 else { throw APIError(.invalidArgument, "unknown session flags \(flags) (PCL_STILL_DRIVER = 1, PCL_NO_WATERMARK = 2)") }
        out.pointee = opaque(SessionHandle(model: handle, source: sourceHandle, stillDriver: flags & 1 != 0, watermark: flags & 2 == 0))
    }
}

/// Runs `body` on the session behind `session`, recording a failure on it.
private func withSession(_ session: OpaquePointer?, _ body: (SessionHandle) throws -> Void) -> Int32 {
    guard let handle = object(session, as: SessionHandle.self) else {
        ThreadError.slot.set("session is NULL")
        return Status.invalidArgument.rawValue
    }
    return guarded(handle.error) { try body(handle) }
}

@_cdecl("pcl_session_set_source")
public func pcl_session_set_source(_ session: OpaquePointer?, _ source: OpaquePointer?) -> Int32 {
    withSession(session) { handle in
        let sourceHandle = try required(object(source, as: SourceHandle.self), "source")
        guard sourceHandle.model === handle.model else {
            throw APIError(.invalidArgument, "the source was made by another model handle than the session's")
        }
        handle.source = sourceHandle
        handle.session.setSource(sourceHandle.source)
    }
}

@_cdecl("pcl_session_render_rgb8")
public func pcl_session_render_rgb8(_ session: OpaquePointer?, _ rgb: UnsafePointer<UInt8>?, _ width: Int32, _ height: Int32,
                                    _ out: UnsafeMutablePointer<UInt8>?) -> Int32 {
    withSession(session) { handle in
        let model = handle.model.model
        let driver = try Pictures.tensor(rgb: rgb, width: width, height: height, size: model.inputSize, role: "driving picture")
        try Pictures.write(try handle.picture(try handle.session.render(driver: driver), eightBit: true), rgb: out)
    }
}

@_cdecl("pcl_session_render_planar")
public func pcl_session_render_planar(_ session: OpaquePointer?, _ planes: UnsafePointer<Float>?, _ width: Int32, _ height: Int32,
                                      _ out: UnsafeMutablePointer<Float>?) -> Int32 {
    withSession(session) { handle in
        let model = handle.model.model
        let driver = try Pictures.tensor(planes: planes, width: width, height: height, size: model.inputSize, role: "driving picture")
        try Pictures.write(try handle.picture(try handle.session.render(driver: driver)), planes: out)
    }
}

@_cdecl("pcl_session_render_pose")
public func pcl_session_render_pose(_ session: OpaquePointer?, _ pose: UnsafeRawPointer?, _ out: UnsafeMutablePointer<Float>?) -> Int32 {
    withSession(session) { handle in
        // pcl_pose: six doubles (yaw, pitch, roll in degrees; tx, ty, tz).
        let pose = try required(pose, "pose")
        let d = (0..<6).map { pose.load(fromByteOffset: $0 * MemoryLayout<Double>.stride, as: Double.self) }
        guard d.allSatisfy({ $0.isFinite }) else { throw APIError(.invalidArgument, "the pose holds a value that is not finite: \(d)") }
        // Degrees to radians exactly as the CLI's --pose parser (x · π / 180).
        let headPose = HeadPose(yaw: d[0] * .pi / 180, pitch: d[1] * .pi / 180, roll: d[2] * .pi / 180, translation: Array(d[3..<6]))
        try Pictures.write(try handle.picture(try handle.session.render(pose: headPose)), planes: out)
    }
}

@_cdecl("pcl_session_restart_clip")
public func pcl_session_restart_clip(_ session: OpaquePointer?) -> Int32 {
    withSession(session) { $0.session.restartClip() }
}

@_cdecl("pcl_session_last_error")
public func pcl_session_last_error(_ session: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(session, as: SessionHandle.self)?.error.cString
}

@_cdecl("pcl_session_destroy")
public func pcl_session_destroy(_ session: OpaquePointer?) { release(session) }
