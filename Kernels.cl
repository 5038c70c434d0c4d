// PortraitCL kernels: every OpenCL C kernel of the engine, one file, embedded in the binary.
// OpenCL C 1.2; no non-uniform work-groups (global sizes are rounded up and every kernel guards
// its tail); no barriers after an early return. Tensors are float32, row-major NCHW / NCDHW
// unless a kernel says otherwise. Each section belongs to one op family in Sources/Kernels.

// ==== Elementwise (Sources/Kernels/Elementwise.swift) ====

#define ACT_RELU 0
#define ACT_LEAKY_RELU 1
#define ACT_SIGMOID 2
#define ACT_TANH 3

inline float apply_activation(float v, int mode, float slope) {
    switch (mode) {
    case ACT_RELU: return fmax(v, 0.0f);
    case ACT_LEAKY_RELU: return v >= 0.0f ? v : v * slope;
    case ACT_SIGMOID: return 1.0f / (1.0f + exp(-v));
    default: return tanh(v);
    }
}

// y[i] = act(x[i]); x and y may alias.
__kernel void activation(__global const float* x, __global float* y, int n, int mode, float slope) {
    int i = get_global_id(0);
    if (i < n) y[i] = apply_activation(x[i], mode, slope);
}

// y[i] = alpha * a[i] + beta * b[i]
__kernel void axpby(__global const float* a, __global const float* b, __global float* y,
                    int n, float alpha, float beta) {
    int i = get_global_id(0);
    if (i < n) y[i] = alpha * a[i] + beta * b[i];
}

// y[i] = alpha * x[i] + beta
__kernel void scale_shift(__global const float* x, __global float* y, int n, float alpha, float beta) {
    int i = get_global_id(0);
    if (i < n) y[i] = alpha * x[i] + beta;
}

// ==== Convolution (Sources/Kernels/Convolution*.swift) ====

// ==== Linear (Sources/Kernels/Linear*.swift) ====

// ==== Normalization (Sources/Kernels/Normalization*.swift) ====

// ==== Pooling (Sources/Kernels/Pooling*.swift) ====

// ==== Resample (Sources/Kernels/Resample*.swift) ====

// ==== GridSample (Sources/Kernels/GridSample*.swift) ====
