/// MediaPipe's BlazeFace short-range, FaceMesh and iris networks (Apache-2.0, see
/// LICENSE-mediapipe and README.md next to this file), converted by
/// reference/convert_mediapipe.py to safetensors with the layer table as metadata, embedded in
/// the binary. A target of its own so the literals compile once.
public enum FaceMeshWeights {
    /// BlazeFace short-range (128² input), float16 weights.
    public static var blazeFace: [UInt8] { PackageResources.blazeface_short_range_safetensors }
    /// FaceMesh (192² input, 468 points + face flag), float16 weights.
    public static var faceMesh: [UInt8] { PackageResources.facemesh_safetensors }
    /// Iris landmarks (64² eye crop, 71 contour + 5 iris points), float32 weights.
    public static var iris: [UInt8] { PackageResources.iris_safetensors }
}
