import COpenCL
import Foundation

/// Why no OpenCL device is listed: none is installed, or one is installed (an ICD file names
/// its driver) but lists no device. The common case of the second is PoCL unable to create its
/// kernel cache because `HOME` is not writable (a container run with `--user` and no home): PoCL
/// 3.1 then shows its platform with no device; the diagnosis names the folder and what to set.
public struct OpenCLDiagnosis: Sendable, Equatable {
    /// The ICD files found (`OCL_ICD_VENDORS`, else `/etc/OpenCL/vendors/*.icd`).
    public let icdFiles: [String]
    /// The driver libraries those files name.
    public let drivers: [String]
    /// `clGetPlatformIDs`' status (0 when it succeeded), the platforms it counted, and the
    /// devices all of them list.
    public let platformStatus: Int32
    public let platformCount: Int
    public let deviceCount: Int
    /// PoCL's kernel-cache folder and why it cannot be written, when a PoCL ICD is installed
    /// and its cache folder cannot be created or written.
    public let unwritablePoCLCache: (folder: String, reason: String)?

    public static func == (a: OpenCLDiagnosis, b: OpenCLDiagnosis) -> Bool {
        a.icdFiles == b.icdFiles && a.platformStatus == b.platformStatus && a.platformCount == b.platformCount && a.deviceCount == b.deviceCount
            && a.unwritablePoCLCache?.folder == b.unwritablePoCLCache?.folder
    }

    /// Looks at the installed ICDs, the platform query and PoCL's cache folder (creating the
    /// folder PoCL itself would create, to see whether it can be).
    public static func run(environment: [String: String] = ProcessInfo.processInfo.environment) -> OpenCLDiagnosis {
        let icds = icdFiles(environment: environment)
        let drivers = icds.compactMap { try? String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
        var count: cl_uint = 0
        let status = OpenCLGlobalLock.withLock { clGetPlatformIDs(0, nil, &count) }
        let devices = status == CL_SUCCESS ? OpenCLDevice.all().count : 0
        let usesPoCL = drivers.contains { $0.lowercased().contains("pocl") }
        let cache = usesPoCL ? poclCacheProblem(environment: environment) : nil
        return OpenCLDiagnosis(icdFiles: icds, drivers: drivers, platformStatus: status, platformCount: status == CL_SUCCESS ? Int(count) : 0,
                               deviceCount: devices, unwritablePoCLCache: cache)
    }

    /// Whether an OpenCL driver is installed but lists no device.
    public var installedButUnusable: Bool { !icdFiles.isEmpty && deviceCount == 0 }

    /// One sentence: what is wrong and what to do; nil when a device is listed.
    public var explanation: String? {
        guard deviceCount == 0 else { return nil }
        guard !icdFiles.isEmpty else {
            return "no OpenCL driver is installed (no ICD file in /etc/OpenCL/vendors); install pocl-opencl-icd (CPU OpenCL) or a GPU vendor's OpenCL driver"
        }
        let names = drivers.isEmpty ? icdFiles.joined(separator: ", ") : drivers.joined(separator: ", ")
        if let cache = unwritablePoCLCache {
            return "OpenCL is installed (\(names)) but PoCL lists no device: it cannot write its kernel cache in \(cache.folder) (\(cache.reason)), "
                + "as when HOME is not writable (docker --user); set POCL_CACHE_DIR to a writable folder (e.g. POCL_CACHE_DIR=/tmp/pocl-cache) or HOME to a writable home"
        }
        return "OpenCL is installed (\(names)) but lists no device (clGetPlatformIDs: \(OpenCLError.name(of: platformStatus)), \(platformCount) platforms); "
            + "run `clinfo` to see why (driver permissions such as /dev/dri access, a broken ICD)"
    }

    /// The ICD files the loader reads.
    public static func icdFiles(environment: [String: String]) -> [String] {
        let configured = environment["OCL_ICD_VENDORS"].flatMap { $0.isEmpty ? nil : $0 }
        let location = configured ?? "/etc/OpenCL/vendors"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [location] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: location)) ?? []
        return names.filter { $0.hasSuffix(".icd") }.sorted().map { (location as NSString).appendingPathComponent($0) }
    }

    /// PoCL's kernel-cache folder (`POCL_CACHE_DIR`, else `$XDG_CACHE_HOME/pocl/kcache`, else
    /// `$HOME/.cache/pocl/kcache`) and why it cannot be made or written; nil when it can.
    public static func poclCacheProblem(environment: [String: String]) -> (folder: String, reason: String)? {
        let folder: String
        if let dir = environment["POCL_CACHE_DIR"], !dir.isEmpty { folder = dir }
        else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { folder = xdg + "/pocl/kcache" }
        else if let home = environment["HOME"], !home.isEmpty { folder = home + "/.cache/pocl/kcache" }
        else { return ("(none)", "neither POCL_CACHE_DIR, XDG_CACHE_HOME nor HOME is set") }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return (folder, "the folder cannot be created")
        }
        let probe = (folder as NSString).appendingPathComponent(".portrait-write-probe-\(getpid())")
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            return (folder, "the folder is not writable")
        }
        try? FileManager.default.removeItem(atPath: probe)
        return nil
    }
}
