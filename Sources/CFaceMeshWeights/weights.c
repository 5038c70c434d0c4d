// The three converted networks as byte arrays (see include/CFaceMeshWeights.h).
#include "CFaceMeshWeights.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char blazeface[] = {
#embed "blazeface-short-range.safetensors"
};
static const unsigned char facemesh[] = {
#embed "facemesh.safetensors"
};
static const unsigned char iris[] = {
#embed "iris.safetensors"
};

const unsigned char *facemesh_weights_blazeface(size_t *count) { *count = sizeof blazeface; return blazeface; }
const unsigned char *facemesh_weights_facemesh(size_t *count) { *count = sizeof facemesh; return facemesh; }
const unsigned char *facemesh_weights_iris(size_t *count) { *count = sizeof iris; return iris; }
