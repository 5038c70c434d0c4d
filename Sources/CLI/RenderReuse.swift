#if canImport(Media)
import Foundation
import Kernels
import LivePortrait
import NetworkCore
import Studio

/// What one render takes from the renders before it in the same process instead of making it
/// again: `portrait serve`'s in-process previews (`StudioRenderer`). The CLI's own `render`
/// passes none (`RenderCommand.render(reusing: nil)`) and makes everything; the code that makes
/// each piece is the same either way, so a reused render's frames are the CLI's.
///
/// Keys: the engine by device; the network by family, config, weights (a file's size and
/// modification time too) and device, this job's LivePortrait options set on it; the face finder by device,
/// family and detector; the framed source and its per-source state by `sourceKey` (every
/// argument of the job but its driving ones, `InProcessJob.sourceKey`). LivePortrait options
/// that measure the source from its landmarks (auto retargeting, normalize lip) keep state in
/// the network, so such a render reuses neither network nor source.
final class RenderReuse {
    private let store: StudioRenderer
    private let sourceKey: String
    /// Whether the per-source state came from an earlier render.
    private(set) var sourceReused = false
    /// Whether the source must be made anew (the network measures it as it is made).
    private var measuresSource = false

    /// Reuse from `store` for a render whose source is keyed `sourceKey`.
    init(store: StudioRenderer, sourceKey: String) {
        self.store = store
        self.sourceKey = sourceKey
    }

    fileprivate func engine(_ options: DeviceOptions, make: () throws -> Engine) rethrows -> Engine {
        try store.engines.value(for: options.device ?? "default") {
            let engine = try make()
            return MeasuredEngine(engine: engine, rate: JobEstimate.measuredRate(engine: engine))
        }.value.engine
    }

    fileprivate func measuredRate(_ options: DeviceOptions, engine: Engine) -> Double? {
        store.engines.value(for: options.device ?? "default") {
            MeasuredEngine(engine: engine, rate: JobEstimate.measuredRate(engine: engine))
        }.value.rate
    }

    fileprivate func model(_ options: ModelOptions, device: DeviceOptions, make: () throws -> any PortraitModel) throws -> any PortraitModel {
        measuresSource = options.livePortrait.measured.any
        // Measuring options keep state in the network; LivePortrait options for another network are
        // `make`'s error to report: neither is taken from the cache.
        if measuresSource || (options.family != .liveportrait && !options.livePortrait.given.isEmpty) { return try make() }
        var weights = options.weightsName
        if let path = options.weights, let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            weights += "\u{0}\(attributes[.size] ?? "")\u{0}\(attributes[.modificationDate] ?? "")"
        }
        let key = [options.family.rawValue, options.config, weights, device.device ?? "default"].joined(separator: "\u{0}")
        let found = try store.models.value(for: key, make: make)
        // A network made for another job composes its clips with that job's LivePortrait options
        // (`ModelOptions.makeModel` sets them); this job's replace them (none measures: no measurer).
        if found.hit, let livePortrait = found.value as? LivePortraitModel { livePortrait.options = try options.livePortrait.options() }
        return found.value
    }

    fileprivate func locator(_ key: [String], make: () throws -> FaceLocator) rethrows -> FaceLocator {
        try store.locators.value(for: key.joined(separator: "\u{0}"), make: make).value
    }

    fileprivate func picture(make: () throws -> SourcePicture) rethrows -> SourcePicture {
        if measuresSource { return try make() }
        return try store.pictures.value(for: sourceKey, make: make).value
    }

    fileprivate func source(make: () throws -> any PortraitSource) rethrows -> any PortraitSource {
        if measuresSource { return try make() }
        let found = try store.sources.value(for: sourceKey, make: make)
        sourceReused = found.hit
        return found.value
    }
}

extension Optional where Wrapped == RenderReuse {
    /// The CLI's own render reports an error on stderr and exits 2 (`reportingErrors`); a reused
    /// render throws it to its caller (the studio shows it).
    func handlingErrors(_ body: () throws -> Void) throws {
        if self == nil { try reportingErrors(body) } else { try body() }
    }

    /// The engine of `options`' device, made by `make` unless reused.
    func engine(_ options: DeviceOptions, make: () throws -> Engine) rethrows -> Engine {
        guard let self else { return try make() }
        return try self.engine(options, make: make)
    }

    /// The engine's rate on the estimate's benchmark convolution (`JobEstimate.measuredRate`):
    /// measured by every CLI render, once per engine when reused.
    func measuredRate(_ options: DeviceOptions, engine: Engine) -> Double? {
        guard let self else { return JobEstimate.measuredRate(engine: engine) }
        return self.measuredRate(options, engine: engine)
    }

    /// The network `options` name on `device`, made by `make` unless reused.
    func model(_ options: ModelOptions, device: DeviceOptions, make: () throws -> any PortraitModel) throws -> any PortraitModel {
        guard let self else { return try make() }
        return try self.model(options, device: device, make: make)
    }

    /// The face finder keyed by `key` (device, family, detector), made by `make` unless reused.
    func locator(_ key: [String], make: () throws -> FaceLocator) rethrows -> FaceLocator {
        guard let self else { return try make() }
        return try self.locator(key, make: make)
    }

    /// The framed source picture, made by `make` unless reused.
    func picture(make: () throws -> SourcePicture) rethrows -> SourcePicture {
        guard let self else { return try make() }
        return try self.picture(make: make)
    }

    /// The per-source state, made by `make` unless reused.
    func source(make: () throws -> any PortraitSource) rethrows -> any PortraitSource {
        guard let self else { return try make() }
        return try self.source(make: make)
    }
}
#endif
