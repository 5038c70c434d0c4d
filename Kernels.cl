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
//
// Direct (implicit-GEMM) convolution, conv2d being conv3d with D = 1. Three kernels per call:
// conv_pad_input copies the input once into a zero-padded scratch (so the inner loop has no
// bounds checks), conv_pack_weights turns [Cout][Cin·kd·kh·kw] into [Cout/8][Cin·kd·kh·kw][8]
// (output channel innermost, Cout rounded up to 8 with zeros) plus a padded bias, and one
// conv_*_tile kernel where each work-item computes 8 output channels × 8 consecutive output x
// positions in eight named float8 accumulators (opencl-notes §0, §1.8).

// xp[nc][zp][yp][xq] = x[nc][zp-pd][yp-ph][xq-pw] inside the input, else 0. Global (Wp, rows)
// with rows = NC·Dp·Hp; every element of xp is written.
__kernel void conv_pad_input(__global const float* x, __global float* xp,
                             int D, int H, int W, int Dp, int Hp, int Wp,
                             int pd, int ph, int pw, int rows) {
    int xq = get_global_id(0);
    int r = get_global_id(1);
    if (xq >= Wp || r >= rows) return;
    int yp = r % Hp;
    int t = r / Hp;
    int zp = t % Dp;
    int nc = t / Dp;
    int ix = xq - pw, iy = yp - ph, iz = zp - pd;
    float v = 0.0f;
    if (ix >= 0 && ix < W && iy >= 0 && iy < H && iz >= 0 && iz < D)
        v = x[((nc * D + iz) * H + iy) * W + ix];
    xp[r * Wp + xq] = v;
}

// wt[cb][k][j] = w[cb·8 + j][k] (0 when cb·8 + j ≥ Cout), k over Cin·kd·kh·kw; bp[o] = bias[o]
// or 0. Global = CB·K·8 (≥ CB·8).
__kernel void conv_pack_weights(__global const float* w, __global const float* bias,
                                __global float* wt, __global float* bp,
                                int Cout, int K, int CB, int hasBias) {
    int i = get_global_id(0);
    if (i < CB * K * 8) {
        int j = i & 7;
        int rest = i >> 3;
        int k = rest % K;
        int oc = (rest / K) * 8 + j;
        wt[i] = oc < Cout ? w[oc * K + k] : 0.0f;
    }
    if (i < CB * 8) bp[i] = (hasBias != 0 && i < Cout) ? bias[i] : 0.0f;
}

// Eight consecutive input columns p[0], p[S], ..., p[7S] (S is a constant after inlining).
inline float8 conv_load8(__global const float* p, const int S) {
    if (S == 1) return vload8(0, p);
    if (S == 2) return vload16(0, p).even;
    return (float8)(p[0], p[S], p[2 * S], p[3 * S], p[4 * S], p[5 * S], p[6 * S], p[7 * S]);
}

inline void conv_store8(__global float* y, float8 v, int valid) {
    if (valid >= 8) { vstore8(v, 0, y); return; }
    if (valid > 0) y[0] = v.s0;
    if (valid > 1) y[1] = v.s1;
    if (valid > 2) y[2] = v.s2;
    if (valid > 3) y[3] = v.s3;
    if (valid > 4) y[4] = v.s4;
    if (valid > 5) y[5] = v.s5;
    if (valid > 6) y[6] = v.s6;
}

#define CONV_TILE_PARAMS __global const float* xp, __global const float* wt, \
    __global const float* bp, __global float* y, int Cin, int Cout, int CB, int KD, int KH, \
    int Dp, int Hp, int Wp, int Do, int Ho, int Wo, int tilesX, int sd, int sh
#define CONV_TILE_ARGS xp, wt, bp, y, Cin, Cout, CB, KD, KH, Dp, Hp, Wp, Do, Ho, Wo, tilesX, sd, sh

// One work-item: output channels cb·8 .. cb·8+7, output row (oz, oy), x = tx·8 .. tx·8+7.
// Global (tilesX, Do·Ho, N·CB). KW and SX are compile-time constants in the specialised kernels.
inline void conv_tile(CONV_TILE_PARAMS, const int KW, const int SX) {
    int tx = get_global_id(0);
    int row = get_global_id(1);
    int zb = get_global_id(2);
    if (tx >= tilesX || row >= Do * Ho) return;
    int oy = row % Ho, oz = row / Ho;
    int cb = zb % CB, n = zb / CB;
    int x0 = tx * 8;
    __global const float* b = bp + cb * 8;
    float8 a0 = (float8)(b[0]), a1 = (float8)(b[1]), a2 = (float8)(b[2]), a3 = (float8)(b[3]);
    float8 a4 = (float8)(b[4]), a5 = (float8)(b[5]), a6 = (float8)(b[6]), a7 = (float8)(b[7]);
    __global const float* w = wt + cb * (Cin * KD * KH * KW * 8);
    __global const float* xn = xp + n * (Cin * Dp * Hp * Wp) + (oz * sd * Hp + oy * sh) * Wp + x0 * SX;
    int plane = Hp * Wp;
    for (int ic = 0; ic < Cin; ++ic) {
        __global const float* xc = xn + ic * Dp * plane;
        for (int kz = 0; kz < KD; ++kz) {
            for (int ky = 0; ky < KH; ++ky) {
                __global const float* r = xc + kz * plane + ky * Wp;
                for (int kx = 0; kx < KW; ++kx) {
                    float8 v = conv_load8(r + kx, SX);
                    float8 wv = vload8(0, w);
                    w += 8;
                    a0 = mad((float8)(wv.s0), v, a0);
                    a1 = mad((float8)(wv.s1), v, a1);
                    a2 = mad((float8)(wv.s2), v, a2);
                    a3 = mad((float8)(wv.s3), v, a3);
                    a4 = mad((float8)(wv.s4), v, a4);
                    a5 = mad((float8)(wv.s5), v, a5);
                    a6 = mad((float8)(wv.s6), v, a6);
                    a7 = mad((float8)(wv.s7), v, a7);
                }
            }
        }
    }
    int valid = Wo - x0;
    int outPlane = Do * Ho * Wo;
    int oc = cb * 8;
    __global float* yo = y + (n * Cout + oc) * outPlane + row * Wo + x0;
    conv_store8(yo, a0, valid);
    if (oc + 1 < Cout) conv_store8(yo + outPlane, a1, valid);
    if (oc + 2 < Cout) conv_store8(yo + 2 * outPlane, a2, valid);
    if (oc + 3 < Cout) conv_store8(yo + 3 * outPlane, a3, valid);
    if (oc + 4 < Cout) conv_store8(yo + 4 * outPlane, a4, valid);
    if (oc + 5 < Cout) conv_store8(yo + 5 * outPlane, a5, valid);
    if (oc + 6 < Cout) conv_store8(yo + 6 * outPlane, a6, valid);
    if (oc + 7 < Cout) conv_store8(yo + 7 * outPlane, a7, valid);
}

#define CONV_TILE_KERNEL(NAME, KW, SX) \
    __kernel void NAME(CONV_TILE_PARAMS) { conv_tile(CONV_TILE_ARGS, KW, SX); }

CONV_TILE_KERNEL(conv_k1s1_tile, 1, 1)
CONV_TILE_KERNEL(conv_k3s1_tile, 3, 1)
CONV_TILE_KERNEL(conv_k7s1_tile, 7, 1)
CONV_TILE_KERNEL(conv_k1s2_tile, 1, 2)
CONV_TILE_KERNEL(conv_k3s2_tile, 3, 2)
CONV_TILE_KERNEL(conv_k7s2_tile, 7, 2)

// Any kernel width and x stride (runtime values): same tile, unspecialised inner loop.
__kernel void conv_any_tile(CONV_TILE_PARAMS, int KW, int SX) { conv_tile(CONV_TILE_ARGS, KW, SX); }


// ==== Linear (Sources/Kernels/Linear*.swift) ====

// ==== Normalization (Sources/Kernels/Normalization*.swift) ====

// ==== Pooling (Sources/Kernels/Pooling*.swift) ====

// ==== Resample (Sources/Kernels/Resample*.swift) ====

// ==== GridSample (Sources/Kernels/GridSample*.swift) ====
