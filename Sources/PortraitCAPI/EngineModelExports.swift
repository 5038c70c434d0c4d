import Foundation
import Kernels
import NetworkCore
import PortraitKit
import Runtime

// include/portraitcl.h: the library, engine and model functions.

/// The library version `pcl_version` reports.
let libraryVersion: StaticString = "0.1.0"

@_cdecl("pcl_version")
public func pcl_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(libraryVersion.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("pcl_api_version")
public func pcl_api_version() -> Int32 { 1 }

@_cdecl("pcl_device_count")
public func pcl_device_count() -> Int32 { Int32(OpenCLDevice.all().count) }

@_cdecl("pcl_device_name")
public func pcl_device_name(_ index: Int32, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    guarded(ThreadError.slot) {
        let devices = OpenCLDevice.all()
        guard index >= 0, Int(index) < devices.count else {
            throw APIError(.invalidArgument, "no OpenCL device \(index): \(devices.count) listed (pcl_device_count)")
        }
        let buffer = try required(buffer, "buffer")
        guard capacity > 0 else { throw APIError(.invalidArgument, "capacity is 0") }
        let bytes = Array(devices[Int(index)].description.utf8.prefix(capacity - 1))
        for (offset, byte) in bytes.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }
}

@_cdecl("pcl_last_error")
public func pcl_last_error() -> UnsafePointer<CChar> { ThreadError.slot.cString }

/// The engine for a device name (nil: `$PORTRAIT_DEVICE`, else `opencl`), tuned as the CLI's.
func makeEngine(_ device: String?) throws -> Engine {
    let environment = ProcessInfo.processInfo.environment
    let choice = try DeviceChoice.resolve(flag: device, environment: environment)
    let tuning = environment["PORTRAIT_TUNING"] != "off" ? TuningCache() : nil
    return try Engine.make(choice, tuning: tuning)
}

@_cdecl("pcl_engine_create")
public func pcl_engine_create(_ device: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded(ThreadError.slot) {
        let out = try required(out, "out")
        out.pointee = nil
        out.pointee = opaque(EngineHandle(engine: try makeEngine(device.map { String(cString: $0) })))
    }
}

@_cdecl("pcl_engine_name")
public func pcl_engine_name(_ engine: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(engine, as: EngineHandle.self)?.name.cString
}

@_cdecl("pcl_engine_last_error")
public func pcl_engine_last_error(_ engine: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(engine, as: EngineHandle.self)?.error.cString
}

@_cdecl("pcl_engine_destroy")
public func pcl_engine_destroy(_ engine: OpaquePointer?) { release(engine) }

@_cdecl("pcl_model_create")
public func pcl_model_create(_ engine: OpaquePointer?, _ config: UnsafePointer<CChar>?, _ weights: UnsafePointer<CChar>?,
                             _ seed: UInt64, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let handle = object(engine, as: EngineHandle.self) else {
        ThreadError.slot.set("engine is NULL")
        return Status.invalidArgument.rawValue
    }
    return guardedCreate(handle.error) {
        let out = try required(out, "out")
        out.pointee = nil
        let config = try string(config, "config")
        let family = NetworkRegistry.family(forConfig: config)
        let choice: WeightsChoice = weights.map { .file(String(cString: $0)) } ?? .random(seed: seed)
        let model = try family.makeModel(config, choice, handle.engine)
        out.pointee = opaque(ModelHandle(engine: handle, model: model, family: family))
    }
}

@_cdecl("pcl_model_input_size")
public func pcl_model_input_size(_ model: OpaquePointer?) -> Int32 {
    Int32(object(model, as: ModelHandle.self)?.model.inputSize ?? 0)
}

@_cdecl("pcl_model_output_size")
public func pcl_model_output_size(_ model: OpaquePointer?) -> Int32 {
    Int32(object(model, as: ModelHandle.self)?.model.outputSize ?? 0)
}

@_cdecl("pcl_model_config_name")
public func pcl_model_config_name(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(model, as: ModelHandle.self)?.configName.cString
}

@_cdecl("pcl_model_family")
public func pcl_model_family(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(model, as: ModelHandle.self)?.familyName.cString
}

@_cdecl("pcl_model_flops")
public func pcl_model_flops(_ model: OpaquePointer?, _ perFrame: Int32) -> Double {
    object(model, as: ModelHandle.self)?.model.totalFlops(perFrame: perFrame != 0) ?? 0
}

@_cdecl("pcl_model_last_error")
public func pcl_model_last_error(_ model: OpaquePointer?) -> UnsafePointer<CChar>? {
    object(model, as: ModelHandle.self)?.error.cString
}

@_cdecl("pcl_model_destroy")
public func pcl_model_destroy(_ model: OpaquePointer?) { release(model) }
