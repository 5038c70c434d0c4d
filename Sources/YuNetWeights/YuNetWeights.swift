/// The trained YuNet face-detector weights shipped by libfacedetection (Shiqi Yu et al.,
/// https://github.com/ShiqiYu/libfacedetection, commit acf7b25, `src/facedetectcnn-data.cpp`),
/// as a safetensors file embedded in the binary. BSD-3-Clause: see LICENSE-libfacedetection next
/// to this file. A target of its own so the 223 kB literal compiles once, not with every change
/// to the detector.
public enum YuNetWeights {
    /// The safetensors bytes: 106 float32 arrays named and shaped as in libfacedetection.
    public static var safetensors: [UInt8] { PackageResources.yunet_libfacedetection_safetensors }
}
