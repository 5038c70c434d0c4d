// MediaPipe's BlazeFace short-range, FaceMesh and iris networks (Apache-2.0, see LICENSE-mediapipe
// and README.md), converted by reference/convert_mediapipe.py to safetensors, embedded in the
// binary by C23 #embed: SwiftPM's embedInCode makes a Swift array literal, which the compiler
// does not type-check in reasonable time at these sizes (docs/face-landmarks.md), while clang
// reads the bytes directly.
#ifndef CFACEMESHWEIGHTS_H
#define CFACEMESHWEIGHTS_H
#include <stddef.h>

/// The bytes of blazeface-short-range.safetensors; their count in *count.
const unsigned char *facemesh_weights_blazeface(size_t *count);
/// The bytes of facemesh.safetensors; their count in *count.
const unsigned char *facemesh_weights_facemesh(size_t *count);
/// The bytes of iris.safetensors; their count in *count.
const unsigned char *facemesh_weights_iris(size_t *count);

#endif
