import Avatar
import FewShot
import Foundation
import Kernels
import LivePortrait
import NetworkCore

/// Every network family PortraitCL runs, one entry per network module. A new network adds its
/// module's `entry` here (and the module to PortraitKit's dependencies); front ends (the CLI, the
/// C API) find families only through this list.
public enum NetworkRegistry {
    /// The registered families; the first is the default for a config no family claims.
    public static let families: [NetworkFamily] = [
        MegaPortraitsFamily.entry,
        LivePortraitFamily.entry,
        FewShotFamily.entry,
    ]

    /// The family named `name` (`megaportraits`, `liveportrait`), nil when none is.
    public static func family(named name: String) -> NetworkFamily? {
        families.first { $0.name == name.lowercased() }
    }

    /// The family a config (a preset name or a JSON file) belongs to: the first family that owns
    /// it, else the default (the first registered).
    public static func family(forConfig nameOrPath: String) -> NetworkFamily {
        families.first { $0.owns(config: nameOrPath) } ?? families[0]
    }

    /// The family whose weights (`isWeights`) or saved sources carry the `format` tag, with which of the two it is.
    public static func family(formatTag: String) -> (family: NetworkFamily, isWeights: Bool)? {
        for family in families {
            if family.weightsFormatTag == formatTag { return (family, true) }
            if family.sourceFormatTag == formatTag { return (family, false) }
        }
        return nil
    }

    /// The network for `config` (its family found by `family(forConfig:)` unless `family` is
    /// given) with `weights` on `engine`.
    public static func makeModel(config: String, weights: WeightsChoice, engine: Engine, family: NetworkFamily? = nil) throws -> any PortraitModel {
        try (family ?? self.family(forConfig: config)).makeModel(config, weights, engine)
    }
}
