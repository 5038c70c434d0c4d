#if canImport(Media)
import ArgumentParser
import FewShot
import NetworkCore

/// What `render` and `avatar` check before any work for the few-shot network and its inputs:
/// several `--source` pictures only for a family that combines them, landmarks files only for
/// the few-shot network, head poses never for it.
enum FewShotRender {
    /// Throws when `count` `--source` pictures are more than the chosen family combines (one for a
    /// one-shot network): saying so beats silently animating one of them.
    static func checkSourceCount(_ count: Int, model: ModelOptions) throws {
        let allowed = model.family.entry.maxSourcePictures
        guard count > allowed else { return }
        throw ValidationError(SeveralSourcesRefused(network: model.config, given: count, allowed: allowed).description)
    }

    /// Throws when `drive` is no way to drive `network`: a landmarks file for a network driven by
    /// pictures, head poses for the few-shot network (it draws faces from landmarks).
    static func check(drive: DriverSource, network: any PortraitModel) throws {
        let fewShot = network is FewShotModel
        switch drive {
        case .landmarks(let track, _) where !fewShot:
            throw ValidationError("\(track.path): a landmarks file drives the few-shot network (--model fewshot); \(network.configName) is driven by pictures or a video")
        case .poses where fewShot:
            throw ValidationError("the few-shot network is driven by face landmarks (a driving picture or video, or a landmarks JSON file), not by head poses: --pose, --pose-sweep and --pose-csv drive MegaPortraits and LivePortrait")
        default:
            return
        }
    }
}
#endif
