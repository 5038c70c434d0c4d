import Kernels
import Runtime

/// The MegaPortraits network (issue 3): configs, weights and stages land here.
public enum AvatarModule {
    /// The module's version string.
    public static let version = "0.1.0"
}
