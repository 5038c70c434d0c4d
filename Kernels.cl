// PortraitCL kernels: every OpenCL C kernel of the engine, one file, embedded in the binary.
// OpenCL C 1.2; no non-uniform work-groups (global sizes are rounded up and every kernel guards
// its tail); no barriers after an early return. Tensors are float32, row-major NCHW / NCDHW
// unless a kernel says otherwise. Each section belongs to one op family in Sources/Kernels.

// ==== Elementwise (Sources/Kernels/Elementwise.swift) ====

#define ACT_RELU 0
#define ACT_LEAKY_RELU 1
#define ACT_SIGMOID 2
#define ACT_TANH 3
#define ACT_GELU 4

static inline float apply_activation(float v, int mode, float slope) {
    switch (mode) {
    case ACT_RELU: return fmax(v, 0.0f);
    case ACT_LEAKY_RELU: return v >= 0.0f ? v : v * slope;
    case ACT_SIGMOID: return 1.0f / (1.0f + exp(-v));
    case ACT_GELU: return 0.5f * v * (1.0f + erf(v * M_SQRT1_2_F));
    default: return tanh(v);
    }
}

// y[i] = act(x[i]); x and y may alias.
__kernel void activation(__global const float* x, __global float* y, int n, int mode, float slope) {
    int i = get_global_id(0);
    if (i < n) y[i] = apply_activation(x[i], mode, slope);
}

// The activation fused into the convolution epilogues (ConvolutionActivation.swift): built with
// -DCONV_ACT=<ACT_* mode> (and -DCONV_SLOPE=<leaky_relu slope>), the direct tile kernels, the
// Winograd F(4×4, 3×3) output transform and conv_igemm store act(sum + bias) instead of the sum;
// without CONV_ACT they store the sum. Same formulas as apply_activation, on float or floatN.
#if !defined(CONV_ACT)
#define CONV_ACTIVATE(v) (v)
#elif CONV_ACT == ACT_RELU
#define CONV_ACTIVATE(v) fmax(v, 0.0f)
#elif CONV_ACT == ACT_LEAKY_RELU
#define CONV_ACTIVATE(v) (fmax(v, 0.0f) + CONV_SLOPE * fmin(v, 0.0f))
#elif CONV_ACT == ACT_SIGMOID
#define CONV_ACTIVATE(v) (1.0f / (1.0f + exp(-(v))))
#elif CONV_ACT == ACT_TANH
#define CONV_ACTIVATE(v) tanh(v)
#else
#define CONV_ACTIVATE(v) (0.5f * (v) * (1.0f + erf((v) * M_SQRT1_2_F)))
#endif

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
// conv_pad_input copies the input once into a zero-padded, row-interleaved scratch (so the
// inner loop has no bounds checks and walks memory contiguously), conv_pack_weights reorders
// the weights into reading order with the output channel innermost (Cout rounded up to 8 with
// zeros) plus a padded bias, and one conv_*_tile kernel where each work-item computes 8 output
// channels × 8 consecutive output x positions in eight named float8 accumulators
// (opencl-notes §0, §1.8), or for stride-1 k1/k3 on CPUs conv_*_tile16x6 (AVX2: 16 channels ×
// 6 positions in twelve float8) and conv_*_tile16x16 (AVX-512: 16 × 16 in sixteen float16);
// Swift's ConvolutionTile chooses. Every tile performs the same fma sequence per output (bias,
// then kz, ky, ic, kx in order), so their results are bitwise equal. The last x tile of a row reads past the row
// (into the next one, or into slack at the end of the scratch); those lanes are never stored.

// Zero-padded, row-interleaved copy of x [N][C][D][H][W]: xp[n][zp][yp][c][xq] =
// x[n][c][zp-pd][yp-ph][xq-pw] inside the input, else 0. Putting the channel between y and x
// makes the tile kernel's walk over channels (for a fixed tap row) one contiguous stream.
// One work-item per padded row; global (C, N·Dp·Hp); every element of xp is written.
static inline void conv_pad(__global const float* x, __global float* xp, int C,
                     int D, int H, int W, int Dp, int Hp, int Wp,
                     int pd, int ph, int pw, int planes) {
    int c = get_global_id(0);
    int r = get_global_id(1);
    if (c >= C || r >= planes) return;
    int yp = r % Hp;
    int t = r / Hp;
    int zp = t % Dp;
    int n = t / Dp;
    int iy = yp - ph, iz = zp - pd;
    __global float* dst = xp + (r * C + c) * Wp;
    if (iy < 0 || iy >= H || iz < 0 || iz >= D) {
        for (int i = 0; i < Wp; ++i) dst[i] = 0.0f;
        return;
    }
    __global const float* src = x + (((n * C + c) * D + iz) * H + iy) * W;
    for (int i = 0; i < pw; ++i) dst[i] = 0.0f;
    for (int i = 0; i < W; ++i) dst[pw + i] = src[i];
    for (int i = pw + W; i < Wp; ++i) dst[i] = 0.0f;
}

// The same copy with one work-item per element of xp (launch.width=wide, GPUs): consecutive
// work-items read and write consecutive addresses (coalesced), where conv_pad's items each
// stream a row of their own. Global (Wp, C, N·Dp·Hp).
static inline void conv_pad_lane(__global const float* x, __global float* xp, int C,
                                 int D, int H, int W, int Dp, int Hp, int Wp,
                                 int pd, int ph, int pw, int planes) {
    int i = get_global_id(0), c = get_global_id(1), r = get_global_id(2);
    if (i >= Wp || c >= C || r >= planes) return;
    int yp = r % Hp;
    int t = r / Hp;
    int zp = t % Dp;
    int n = t / Dp;
    int ix = i - pw, iy = yp - ph, iz = zp - pd;
    bool inside = ix >= 0 && ix < W && iy >= 0 && iy < H && iz >= 0 && iz < D;
    xp[(r * C + c) * Wp + i] = inside ? x[(((n * C + c) * D + iz) * H + iy) * W + ix] : 0.0f;
}

#define CONV_PAD_PARAMS __global const float* x, __global float* xp, int C, int D, int H, int W, \
    int Dp, int Hp, int Wp, int pd, int ph, int pw, int planes
__kernel void conv_pad_input(CONV_PAD_PARAMS) { conv_pad(x, xp, C, D, H, W, Dp, Hp, Wp, pd, ph, pw, planes); }
__kernel void conv_pad_input_lanes(CONV_PAD_PARAMS) { conv_pad_lane(x, xp, C, D, H, W, Dp, Hp, Wp, pd, ph, pw, planes); }
// The same copy for the Winograd F(2×2×2, 3×3×3) path, named apart so profiles charge it to the 3×3×3 convolutions
// (the F(4×4, 3×3) input transform applies the padding while reading).
__kernel void conv3x3x3_wino2_pad(CONV_PAD_PARAMS) { conv_pad(x, xp, C, D, H, W, Dp, Hp, Wp, pd, ph, pw, planes); }
__kernel void conv3x3x3_wino2_pad_lanes(CONV_PAD_PARAMS) { conv_pad_lane(x, xp, C, D, H, W, Dp, Hp, Wp, pd, ph, pw, planes); }

// wt[cb][kz][ky][ic][kx][j] = w[cb·8 + j][ic][kz][ky][kx] (0 when cb·8 + j ≥ Cout), the order
// the tile kernel reads them in; bp[o] = bias[o] or 0. Global = CB·Cin·KD·KH·KW·8 (≥ CB·8).
__kernel void conv_pack_weights(__global const float* w, __global const float* bias,
                                __global float* wt, __global float* bp,
                                int Cout, int Cin, int KD, int KH, int KW, int CB, int hasBias) {
    int i = get_global_id(0);
    int K = Cin * KD * KH * KW;
    if (i < CB * K * 8) {
        int j = i & 7;
        int rest = i >> 3;
        int kx = rest % KW; rest /= KW;
        int ic = rest % Cin; rest /= Cin;
        int ky = rest % KH; rest /= KH;
        int kz = rest % KD;
        int oc = (rest / KD) * 8 + j;
        wt[i] = oc < Cout ? w[(((oc * Cin + ic) * KD + kz) * KH + ky) * KW + kx] : 0.0f;
    }
    if (i < CB * 8) bp[i] = (hasBias != 0 && i < Cout) ? bias[i] : 0.0f;
}

// Multiply-add of the tile kernels. PoCL 3.1 lowers mad() to a separate multiply and add (even
// with -cl-mad-enable), which halves FMA-bound throughput; fma() is one instruction where the
// device has it (FP_FAST_FMAF, or __FMA__ on PoCL's x86 targets, which do not define
// FP_FAST_FMAF) but a slow exact emulation elsewhere, so it is used only there.
#if defined(FP_FAST_FMAF) || defined(__FMA__)
#define CONV_FMA(a, b, c) fma(a, b, c)
#else
#define CONV_FMA(a, b, c) mad(a, b, c)
#endif

// Eight consecutive input columns p[0], p[S], ..., p[7S] (S is a constant after inlining).
static inline float8 conv_load8(__global const float* p, const int S) {
    if (S == 1) return vload8(0, p);
    if (S == 2) return vload16(0, p).even;
    return (float8)(p[0], p[S], p[2 * S], p[3 * S], p[4 * S], p[5 * S], p[6 * S], p[7 * S]);
}

static inline void conv_store8(__global float* y, float8 v, int valid) {
    if (valid >= 8) { vstore8(v, 0, y); return; }
    if (valid > 0) y[0] = v.s0;
    if (valid > 1) y[1] = v.s1;
    if (valid > 2) y[2] = v.s2;
    if (valid > 3) y[3] = v.s3;
    if (valid > 4) y[4] = v.s4;
    if (valid > 5) y[5] = v.s5;
    if (valid > 6) y[6] = v.s6;
}

// The built-in activation on the eight accumulators V##0 .. V##7 of one block of output channels.
#define CONV_ACTIVATE_BLOCK(V) {                                                        \
        V##0 = CONV_ACTIVATE(V##0); V##1 = CONV_ACTIVATE(V##1); V##2 = CONV_ACTIVATE(V##2); \
        V##3 = CONV_ACTIVATE(V##3); V##4 = CONV_ACTIVATE(V##4); V##5 = CONV_ACTIVATE(V##5); \
        V##6 = CONV_ACTIVATE(V##6); V##7 = CONV_ACTIVATE(V##7);                          \
    }

// The accumulators V##0 .. V##7 of one block of output channels (only the first CH of them exist)
// to Y, one output plane (PLANE) apart, each row through STORE (conv_store8 or conv_store16) with
// VALID columns inside the image.
#define CONV_STORE_BLOCK(STORE, Y, PLANE, CH, V, VALID) {         \
        STORE(Y, V##0, VALID);                                    \
        if ((CH) > 1) STORE((Y) + (PLANE), V##1, VALID);          \
        if ((CH) > 2) STORE((Y) + 2 * (PLANE), V##2, VALID);      \
        if ((CH) > 3) STORE((Y) + 3 * (PLANE), V##3, VALID);      \
        if ((CH) > 4) STORE((Y) + 4 * (PLANE), V##4, VALID);      \
        if ((CH) > 5) STORE((Y) + 5 * (PLANE), V##5, VALID);      \
        if ((CH) > 6) STORE((Y) + 6 * (PLANE), V##6, VALID);      \
        if ((CH) > 7) STORE((Y) + 7 * (PLANE), V##7, VALID);      \
    }

#define CONV_TILE_PARAMS __global const float* xp, __global const float* wt, \
    __global const float* bp, __global float* y, int Cin, int Cout, int CB, int KD, int KH, \
    int Dp, int Hp, int Wp, int Do, int Ho, int Wo, int tilesX, int sd, int sh
#define CONV_TILE_ARGS xp, wt, bp, y, Cin, Cout, CB, KD, KH, Dp, Hp, Wp, Do, Ho, Wo, tilesX, sd, sh

// One kernel tap: 8 input columns at P times 8 output channels' weights at w (then w += 8).
// Weights are broadcast straight from memory (one load each, no lane shuffles): 1.6x faster
// on PoCL than vload8 + .s0...s7 extraction.
#define CONV_TAP(P) {                                   \
        float8 v = conv_load8(P, SX);                   \
        a0 = CONV_FMA((float8)(w[0]), v, a0);           \
        a1 = CONV_FMA((float8)(w[1]), v, a1);           \
        a2 = CONV_FMA((float8)(w[2]), v, a2);           \
        a3 = CONV_FMA((float8)(w[3]), v, a3);           \
        a4 = CONV_FMA((float8)(w[4]), v, a4);           \
        a5 = CONV_FMA((float8)(w[5]), v, a5);           \
        a6 = CONV_FMA((float8)(w[6]), v, a6);           \
        a7 = CONV_FMA((float8)(w[7]), v, a7);           \
        w += 8;                                         \
    }

// One work-item: output channels cb·8 .. cb·8+7, output row (oz, oy), x = tx·8 .. tx·8+7.
// Global (tilesX, Do·Ho, N·CB). KW and SX are compile-time constants in the specialised kernels.
static inline void conv_tile(CONV_TILE_PARAMS, const int KW, const int SX) {
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
    int rowPitch = Cin * Wp;
    __global const float* xn = xp + ((n * Dp + oz * sd) * Hp + oy * sh) * rowPitch + x0 * SX;
    for (int kz = 0; kz < KD; ++kz) {
        for (int ky = 0; ky < KH; ++ky) {
            __global const float* r = xn + (kz * Hp + ky) * rowPitch;
            if (KW == 1) {
                // Pointwise: one tap per channel; unrolling the channel loop is worth 1.5x.
#pragma unroll 4
                for (int ic = 0; ic < Cin; ++ic, r += Wp) { CONV_TAP(r) }
            } else {
                for (int ic = 0; ic < Cin; ++ic, r += Wp) {
                    for (int kx = 0; kx < KW; ++kx) { CONV_TAP(r + kx) }
                }
            }
        }
    }
    CONV_ACTIVATE_BLOCK(a)
    int valid = Wo - x0;
    int outPlane = Do * Ho * Wo;
    int oc = cb * 8;
    __global float* yo = y + (n * Cout + oc) * outPlane + row * Wo + x0;
    CONV_STORE_BLOCK(conv_store8, yo, outPlane, Cout - oc, a, valid)
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

// 16-wide tiles for CPUs with 512-bit vectors (PoCL on AVX-512; chosen in Swift by device):
// each work-item computes OB·8 output channels (OB = 1, 2 or 3 packed weight blocks) × 16
// consecutive output x positions (stride 1) in named float16 accumulators. With OB = 2 every
// input vector feeds 16 FMAs (OB = 1, 8 channels × 16 positions, measured 15-40 % slower
// here); the second block of the last pair may not exist (odd CB), then it recomputes the first
// and its stores are skipped. OB = 3 (24 channels, 24 of the 32 vector registers) is for CB = 3
// (Cout 17-24: LivePortrait's 7×7×7 mask convolution, 142 -> 22), where pairs would compute a
// fourth, discarded block: a third of the work; OB = 1 for CB = 1 (LivePortrait's 7×7 occlusion
// convolution, 2272 -> 1), where a pair would compute its one block twice.
static inline void conv_store16(__global float* y, float16 v, int valid) {
    if (valid >= 16) { vstore16(v, 0, y); return; }
    conv_store8(y, v.lo, valid);
    if (valid > 8) conv_store8(y + 8, v.hi, valid - 8);
}

#define CONV_MAD16(A, W) A = CONV_FMA((float16)(W), v, A);
#define CONV_TAP16(P) {                                                              \
        float16 v = vload16(0, P);                                                   \
        CONV_MAD16(a0, w[0]) CONV_MAD16(a1, w[1]) CONV_MAD16(a2, w[2]) CONV_MAD16(a3, w[3]) \
        CONV_MAD16(a4, w[4]) CONV_MAD16(a5, w[5]) CONV_MAD16(a6, w[6]) CONV_MAD16(a7, w[7]) \
        if (OB >= 2) {                                                               \
            CONV_MAD16(b0, u[0]) CONV_MAD16(b1, u[1]) CONV_MAD16(b2, u[2]) CONV_MAD16(b3, u[3]) \
            CONV_MAD16(b4, u[4]) CONV_MAD16(b5, u[5]) CONV_MAD16(b6, u[6]) CONV_MAD16(b7, u[7]) \
            u += 8;                                                                  \
        }                                                                            \
        if (OB == 3) {                                                               \
            CONV_MAD16(c0, q[0]) CONV_MAD16(c1, q[1]) CONV_MAD16(c2, q[2]) CONV_MAD16(c3, q[3]) \
            CONV_MAD16(c4, q[4]) CONV_MAD16(c5, q[5]) CONV_MAD16(c6, q[6]) CONV_MAD16(c7, q[7]) \
            q += 8;                                                                  \
        }                                                                            \
        w += 8;                                                                      \
    }

// Global (tilesX, ⌈CB/OB⌉, N·Do·Ho): all channel blocks of an output row run back to back while
// its input rows are in cache (with rows inside blocks, the padded input was re-streamed from
// L3/DRAM once per block: up to 1.7x slower on PoCL). x stride 1; KW a compile-time constant.
// FUSE: apply the built-in activation (CONV_ACTIVATE) before storing (0 for the Winograd GEMM).
static inline void conv_tile16(CONV_TILE_PARAMS, const int KW, const int OB, const int FUSE) {
    int tx = get_global_id(0);
    int pairs = (CB + OB - 1) / OB;
    int nr = get_global_id(2);
    int row = nr % (Do * Ho);
    int zb = (nr / (Do * Ho)) * pairs + get_global_id(1);
    if (tx >= tilesX || get_global_id(1) >= pairs) return;
    int oy = row % Ho, oz = row / Ho;
    int cb = (zb % pairs) * OB, n = zb / pairs;
    int cb2 = (OB >= 2 && cb + 1 < CB) ? cb + 1 : cb;
    int cb3 = (OB == 3 && cb + 2 < CB) ? cb + 2 : cb;
    int x0 = tx * 16;
    int K8 = Cin * KD * KH * KW * 8;
    __global const float* b = bp + cb * 8;
    __global const float* c = bp + cb2 * 8;
    __global const float* d = bp + cb3 * 8;
    float16 a0 = (float16)(b[0]), a1 = (float16)(b[1]), a2 = (float16)(b[2]), a3 = (float16)(b[3]);
    float16 a4 = (float16)(b[4]), a5 = (float16)(b[5]), a6 = (float16)(b[6]), a7 = (float16)(b[7]);
    float16 b0 = (float16)(c[0]), b1 = (float16)(c[1]), b2 = (float16)(c[2]), b3 = (float16)(c[3]);
    float16 b4 = (float16)(c[4]), b5 = (float16)(c[5]), b6 = (float16)(c[6]), b7 = (float16)(c[7]);
    float16 c0 = (float16)(d[0]), c1 = (float16)(d[1]), c2 = (float16)(d[2]), c3 = (float16)(d[3]);
    float16 c4 = (float16)(d[4]), c5 = (float16)(d[5]), c6 = (float16)(d[6]), c7 = (float16)(d[7]);
    __global const float* w = wt + cb * K8;
    __global const float* u = wt + cb2 * K8;
    __global const float* q = wt + cb3 * K8;
    int rowPitch = Cin * Wp;
    __global const float* xn = xp + ((n * Dp + oz * sd) * Hp + oy * sh) * rowPitch + x0;
    for (int kz = 0; kz < KD; ++kz) {
        for (int ky = 0; ky < KH; ++ky) {
            __global const float* r = xn + (kz * Hp + ky) * rowPitch;
            if (KW == 1) {
#pragma unroll 4
                for (int ic = 0; ic < Cin; ++ic, r += Wp) { CONV_TAP16(r) }
            } else {
                for (int ic = 0; ic < Cin; ++ic, r += Wp) {
                    for (int kx = 0; kx < KW; ++kx) { CONV_TAP16(r + kx) }
                }
            }
        }
    }
    if (FUSE) {
        CONV_ACTIVATE_BLOCK(a) CONV_ACTIVATE_BLOCK(b) CONV_ACTIVATE_BLOCK(c)
    }
    int valid = Wo - x0;
    int outPlane = Do * Ho * Wo;
    int oc = cb * 8;
    __global float* yo = y + (n * Cout + oc) * outPlane + row * Wo + x0;
    CONV_STORE_BLOCK(conv_store16, yo, outPlane, Cout - oc, a, valid)
    // A second (third) block exists only where cb2 (cb3) is not cb; it follows at oc + 8 (+ 16).
    if (OB >= 2 && cb2 != cb) CONV_STORE_BLOCK(conv_store16, yo + 8 * outPlane, outPlane, Cout - oc - 8, b, valid)
    if (OB == 3 && cb3 != cb) CONV_STORE_BLOCK(conv_store16, yo + 16 * outPlane, outPlane, Cout - oc - 16, c, valid)
}

#define CONV_TILE16_KERNEL(NAME, KW, OB) \
    __kernel void NAME(CONV_TILE_PARAMS) { conv_tile16(CONV_TILE_ARGS, KW, OB, 1); }

CONV_TILE16_KERNEL(conv_k1s1_tile16x16, 1, 2)
CONV_TILE16_KERNEL(conv_k3s1_tile16x16, 3, 2)
CONV_TILE16_KERNEL(conv_k7s1_tile16x16, 7, 2)
CONV_TILE16_KERNEL(conv_k9s1_tile16x16, 9, 2)   // the few-shot generator's 9x9 first block at 256²
CONV_TILE16_KERNEL(conv_k7s1_tile24x16, 7, 3)
CONV_TILE16_KERNEL(conv_k7s1_tile8x16, 7, 1)

// 16 × 6 tiles for CPUs with 256-bit vectors (PoCL on AVX2; chosen in Swift by device): each
// work-item computes 16 output channels (two packed weight blocks, loaded as two float8 with the
// channel in the lanes) × 6 consecutive output x positions (stride 1, each input broadcast) in
// twelve float8 accumulators: 8 loads feed 12 FMAs, where the 8 × 8 tile needs 9 loads for 8
// (AVX2 has no broadcast operand on FMA and only 16 vector registers: 12 accumulators, 2
// weight vectors and 1 broadcast fill them). Measured on PoCL 3.1, Zen 3: 512→512 k3 @64²
// 85 → 115 GFLOP/s, 128→64 k3 @256² 120 → 157, 1536→512 k1 81 → 132. The last block of an
// odd count recomputes the one before (as conv_tile16); Swift uses it only for ≥ 2 blocks.
// Outputs are written per channel as scalars (96 per work-item, after the whole reduction).
#define CONV_ACC6(J) float8 p##J = bw, q##J = bu;
#define CONV_BCAST6(J) { float8 s = (float8)(P[J]); p##J = CONV_FMA(wv, s, p##J); q##J = CONV_FMA(uv, s, q##J); }
#define CONV_STORE6(J)                                                   \
    if (J < valid) {                                                     \
        conv_store_lanes(yo + J, outPlane, p##J, lanes);                 \
        conv_store_lanes(yo + 8 * outPlane + J, outPlane, q##J, lanes2); \
    }

// The first `lanes` lanes of v (one output channel each) to y[0], y[stride], ...
static inline void conv_store_lanes(__global float* y, int stride, float8 v, int lanes) {
    if (lanes > 0) y[0] = v.s0;
    if (lanes > 1) y[stride] = v.s1;
    if (lanes > 2) y[2 * stride] = v.s2;
    if (lanes > 3) y[3 * stride] = v.s3;
    if (lanes > 4) y[4 * stride] = v.s4;
    if (lanes > 5) y[5 * stride] = v.s5;
    if (lanes > 6) y[6 * stride] = v.s6;
    if (lanes > 7) y[7 * stride] = v.s7;
}

// Global (⌈tilesX⌉, ⌈CB/2⌉, N·Do·Ho), channel pairs inside rows as in conv_tile16 (FUSE too).
#define CONV_ACT6(J) p##J = CONV_ACTIVATE(p##J); q##J = CONV_ACTIVATE(q##J);
static inline void conv_tile16x6(CONV_TILE_PARAMS, const int KW, const int FUSE) {
    int tx = get_global_id(0);
    int pairs = (CB + 1) / 2;
    int nr = get_global_id(2);
    if (tx >= tilesX || get_global_id(1) >= pairs) return;
    int row = nr % (Do * Ho), n = nr / (Do * Ho);
    int oy = row % Ho, oz = row / Ho;
    int cb = get_global_id(1) * 2;
    int cb2 = cb + 1 < CB ? cb + 1 : cb;
    int x0 = tx * 6;
    int K8 = Cin * KD * KH * KW * 8;
    float8 bw = vload8(0, bp + cb * 8), bu = vload8(0, bp + cb2 * 8);
    CONV_ACC6(0) CONV_ACC6(1) CONV_ACC6(2) CONV_ACC6(3) CONV_ACC6(4) CONV_ACC6(5)
    __global const float* w = wt + cb * K8;
    __global const float* u = wt + cb2 * K8;
    int rowPitch = Cin * Wp;
    __global const float* xn = xp + ((n * Dp + oz * sd) * Hp + oy * sh) * rowPitch + x0;
    for (int kz = 0; kz < KD; ++kz) {
        for (int ky = 0; ky < KH; ++ky) {
            __global const float* r = xn + (kz * Hp + ky) * rowPitch;
            for (int ic = 0; ic < Cin; ++ic, r += Wp) {
                for (int kx = 0; kx < KW; ++kx) {
                    __global const float* P = r + kx;
                    float8 wv = vload8(0, w), uv = vload8(0, u);
                    w += 8;
                    u += 8;
                    CONV_BCAST6(0) CONV_BCAST6(1) CONV_BCAST6(2) CONV_BCAST6(3) CONV_BCAST6(4) CONV_BCAST6(5)
                }
            }
        }
    }
    int valid = Wo - x0;
    int outPlane = Do * Ho * Wo;
    int oc = cb * 8;
    int lanes = min(8, Cout - oc);
    int lanes2 = cb2 != cb ? min(8, Cout - oc - 8) : 0;
    __global float* yo = y + (n * Cout + oc) * outPlane + row * Wo + x0;
    if (FUSE) { CONV_ACT6(0) CONV_ACT6(1) CONV_ACT6(2) CONV_ACT6(3) CONV_ACT6(4) CONV_ACT6(5) }
    CONV_STORE6(0) CONV_STORE6(1) CONV_STORE6(2) CONV_STORE6(3) CONV_STORE6(4) CONV_STORE6(5)
}

#define CONV_TILE16X6_KERNEL(NAME, KW) \
    __kernel void NAME(CONV_TILE_PARAMS) { conv_tile16x6(CONV_TILE_ARGS, KW, 1); }

CONV_TILE16X6_KERNEL(conv_k1s1_tile16x6, 1)
CONV_TILE16X6_KERNEL(conv_k3s1_tile16x6, 3)
CONV_TILE16X6_KERNEL(conv_k7s1_tile16x6, 7)
CONV_TILE16X6_KERNEL(conv_k9s1_tile16x6, 9)


// Implicit-GEMM convolution with local-memory tiles (GPU class; variant conv.algorithm=igemm,
// tile conv.igemm=TMxTNxTK/RMxRNvVW, passed as -D options): C[m][p] = Σ_k W[m][k] · X[k][p]
// (+ bias[m]) per image, m = output channel, p = (oz, oy), ox, k = (c, kz, ky, kx), any kernel
// size, stride and padding. X is gathered on the fly from the padded scratch [N][Dp][Hp][Cin][Wp]
// (conv_pad_input), W is the weight [Cout][K] as given. A work-group of WX × WY = (TN/RN) × (TM/RM)
// items stages TK × TM weights and TK × TN inputs in local memory per step (consecutive
// work-items read consecutive global addresses: along a weight row, along output x).
// Vector width VW (IG_VW, 1, 2 or 4; VW divides RM, RN and TK): each item owns RN/VW runs of VW
// contiguous positions, run j at p0 + (lx + j·WX)·VW, and RM/VW runs of VW contiguous channels
// at m0 + (ly + i·WY)·VW. Per reduction step it reads its operands from local memory as
// (RM + RN)/VW vectors instead of RM + RN scalars; consecutive items read consecutive vectors
// (no bank conflicts) and store consecutive runs of y (coalesced); weight rows are read VW at a
// time (aligned vector loads when K is a multiple of VW). The input staging adds a tap offset
// from a per-step table to a position offset computed once per item (when the group's size is a
// multiple of TN: each item then stages one output position throughout), so the K loop does no
// index division per staged element. VW = 1 is the scalar kernel with the
// outputs strided by the group's extent. Every output sums its terms in the same order (k
// ascending, one fma each) whatever VW, so the widths of one tile agree bitwise.
// Global (WX · ⌈P/TN⌉, WY · ⌈Cout/TM⌉, N), local (WX, WY, 1).
#ifndef IG_TM
#define IG_TM 64
#endif
#ifndef IG_TN
#define IG_TN 64
#endif
#ifndef IG_TK
#define IG_TK 16
#endif
#ifndef IG_RM
#define IG_RM 4
#endif
#ifndef IG_RN
#define IG_RN 4
#endif
#ifndef IG_VW
#define IG_VW 1
#endif
#define IG_WX (IG_TN / IG_RN)
#define IG_WY (IG_TM / IG_RM)
#define IG_WG (IG_WX * IG_WY)
#define IG_MV (IG_RM / IG_VW)
#define IG_NV (IG_RN / IG_VW)
#define IG_CAT_(a, b) a##b
#define IG_CAT(a, b) IG_CAT_(a, b)
#if IG_VW == 1
typedef float ig_vec;
#define IG_VLOAD(p) (*(p))
#define IG_VSTORE(v, p) (*(p) = (v))
#else
typedef IG_CAT(float, IG_VW) ig_vec;
#define IG_VLOAD(p) IG_CAT(vload, IG_VW)(0, p)
#define IG_VSTORE(v, p) IG_CAT(vstore, IG_VW)(v, 0, p)
#endif

// Offset of reduction step k = (c, kz, ky, kx) of conv_igemm from its output position's base in
// the padded scratch [Dp][Hp][Cin][Wp]; 0 past K (those steps are staged as zeros).
static inline int ig_tap_offset(int k, int K, int kvol, int khw, int kh, int kw, int Hp, int Cin, int Wp) {
    if (k >= K) return 0;
    int c = k / kvol, r = k - c * kvol;
    int kz = r / khw, ky = (r / kw) % kh, kx = r % kw;
    return ((kz * Hp + ky) * Cin + c) * Wp + kx;
}

// Offset of output position p = (oz, oy, ox) of conv_igemm in the padded scratch: its window's
// first tap, (oz·sd·Hp + oy·sh)·Cin·Wp + ox·sw.
static inline int ig_position_offset(int p, int Ho, int Wo, int sd, int sh, int sw, int Hp, int rowPitch) {
    int oz = p / (Ho * Wo), oy = (p / Wo) % Ho, ox = p % Wo;
    return (oz * sd * Hp + oy * sh) * rowPitch + ox * sw;
}

__kernel __attribute__((reqd_work_group_size(IG_WX, IG_WY, 1))) void conv_igemm(__global const float* xp, __global const float* w, __global const float* bias, __global float* y,
                         int Cin, int Cout, int kd, int kh, int kw, int Dp, int Hp, int Wp,
                         int Do, int Ho, int Wo, int sd, int sh, int sw, int hasBias) {
    __local float As[IG_TK][IG_TM] __attribute__((aligned(16)));
    __local float Bs[IG_TK][IG_TN] __attribute__((aligned(16)));
    int lx = get_local_id(0), ly = get_local_id(1);
    int lid = ly * IG_WX + lx;
    int p0 = get_group_id(0) * IG_TN, m0 = get_group_id(1) * IG_TM;
    int n = get_global_id(2);
    int P = Do * Ho * Wo, khw = kh * kw, kvol = kd * khw, K = Cin * kvol;
    int rowPitch = Cin * Wp;
    bool rowsAligned = K % IG_VW == 0;           // every weight row starts on a VW boundary
    __global const float* xn = xp + n * Dp * Hp * Cin * Wp;
    // Offsets of the reduction steps' taps in the scratch, ((kz·Hp + ky)·Cin + c)·Wp + kx for
    // k = (c, kz, ky, kx), one table per staged step, double-buffered: while step k0 is staged
    // from taps[buf], the items fill taps[buf ^ 1] for k0 + TK (the two barriers of each step
    // separate every write from the reads of the same half).
    __local int taps[2][IG_TK];
    for (int t = lid; t < IG_TK; t += IG_WG) taps[0][t] = ig_tap_offset(t, K, kvol, khw, kh, kw, Hp, Cin, Wp);
#if IG_WG % IG_TN == 0
    // Each item stages one output position for the whole K loop (consecutive items: consecutive
    // output x): its offset in the scratch is computed once, here, not per staged element.
    const int pp = lid % IG_TN, kkFirst = lid / IG_TN;
    const int pStaged = p0 + pp;
    const bool stagedValid = pStaged < P;
    const int stagedBase = stagedValid ? ig_position_offset(pStaged, Ho, Wo, sd, sh, sw, Hp, rowPitch) : 0;
#endif
    barrier(CLK_LOCAL_MEM_FENCE);
    ig_vec acc[IG_RM][IG_NV];
    for (int i = 0; i < IG_RM; ++i)
        for (int j = 0; j < IG_NV; ++j) acc[i][j] = (ig_vec)(0.0f);
    for (int k0 = 0, buf = 0; k0 < K; k0 += IG_TK, buf ^= 1) {
        for (int i = lid; i < IG_TK / IG_VW * IG_TM; i += IG_WG) {
            int kk = i % (IG_TK / IG_VW) * IG_VW, mm = i / (IG_TK / IG_VW);   // consecutive items: consecutive k of one row
            int k = k0 + kk, m = m0 + mm;
            float t[IG_VW];
            if (m < Cout && k + IG_VW <= K) {
                __global const float* src = w + m * K + k;
                ig_vec v = rowsAligned ? *(__global const ig_vec*)src : IG_VLOAD(src);
                IG_VSTORE(v, t);
            } else {
                for (int e = 0; e < IG_VW; ++e) t[e] = (m < Cout && k + e < K) ? w[m * K + k + e] : 0.0f;
            }
            for (int e = 0; e < IG_VW; ++e) As[kk + e][mm] = t[e];
        }
        for (int t = lid; t < IG_TK; t += IG_WG)
            taps[buf ^ 1][t] = ig_tap_offset(k0 + IG_TK + t, K, kvol, khw, kh, kw, Hp, Cin, Wp);
#if IG_WG % IG_TN == 0
        for (int kk = kkFirst; kk < IG_TK; kk += IG_WG / IG_TN) {
            int k = k0 + kk;
            Bs[kk][pp] = (stagedValid && k < K) ? xn[stagedBase + taps[buf][kk]] : 0.0f;
        }
#else
        for (int i = lid; i < IG_TK * IG_TN; i += IG_WG) {
            int kk = i / IG_TN, pp = i % IG_TN;      // consecutive items: consecutive output x
            int k = k0 + kk, p = p0 + pp;
            Bs[kk][pp] = (k < K && p < P) ? xn[ig_position_offset(p, Ho, Wo, sd, sh, sw, Hp, rowPitch) + taps[buf][kk]] : 0.0f;
        }
#endif
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < IG_TK; ++kk) {
            float a[IG_RM];
            ig_vec b[IG_NV];
            for (int i = 0; i < IG_MV; ++i) IG_VSTORE(*(__local const ig_vec*)&As[kk][(ly + i * IG_WY) * IG_VW], a + i * IG_VW);
            for (int j = 0; j < IG_NV; ++j) b[j] = *(__local const ig_vec*)&Bs[kk][(lx + j * IG_WX) * IG_VW];
            for (int i = 0; i < IG_RM; ++i)
                for (int j = 0; j < IG_NV; ++j) acc[i][j] = fma((ig_vec)(a[i]), b[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < IG_RM; ++i) {
        int m = m0 + (ly + i / IG_VW * IG_WY) * IG_VW + i % IG_VW;
        if (m >= Cout) continue;
        float b0 = hasBias != 0 ? bias[m] : 0.0f;
        __global float* row = y + (n * Cout + m) * P;
        for (int j = 0; j < IG_NV; ++j) {
            int p = p0 + (lx + j * IG_WX) * IG_VW;
            ig_vec v = CONV_ACTIVATE(acc[i][j] + b0);
            if (p + IG_VW <= P) {
                IG_VSTORE(v, row + p);
            } else {
                float t[IG_VW];
                IG_VSTORE(v, t);
                for (int e = 0; e < IG_VW && p + e < P; ++e) row[p + e] = t[e];
            }
        }
    }
}

// Winograd F(2×2, 3×3) for stride-1 3×3 2-D convolutions (ConvolutionWinograd.swift; variant
// conv.algorithm=winograd): Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A per 2×2 output tile, the ⊙ summed over
// input channels as 16 GEMMs (gemm_nn_tile, batch 16): M[ξ] (Cout × P) = U[ξ] (Cout × Cin) · V[ξ]
// (Cin × P), P = N·⌈Ho/2⌉·⌈Wo/2⌉ tiles. 2.25× fewer multiplies than the direct convolution.

// U[ξ][k][c] = (G g Gᵀ)[ξ] for w [Cout][Cin][3][3]. Global (Cin, Cout).
__kernel void winograd_weights_2x2(__global const float* w, __global float* U, int Cin, int Cout) {
    int c = get_global_id(0), k = get_global_id(1);
    if (c >= Cin || k >= Cout) return;
    __global const float* g = w + (k * Cin + c) * 9;
    float t[4][3];
    for (int j = 0; j < 3; ++j) {
        float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
        t[0][j] = g0; t[1][j] = 0.5f * (g0 + g1 + g2); t[2][j] = 0.5f * (g0 - g1 + g2); t[3][j] = g2;
    }
    int plane = Cout * Cin;
    __global float* u = U + k * Cin + c;
    for (int i = 0; i < 4; ++i) {
        float a = t[i][0], b = t[i][1], d = t[i][2];
        u[(i * 4 + 0) * plane] = a;
        u[(i * 4 + 1) * plane] = 0.5f * (a + b + d);
        u[(i * 4 + 2) * plane] = 0.5f * (a - b + d);
        u[(i * 4 + 3) * plane] = d;
    }
}

// V[ξ][c][t] = (Bᵀ d B)[ξ] for the 4×4 input patch d of tile t (zero outside the image).
// x [N][Cin][H][W], padding (ph, pw), tiles th × tw per image. Global (P, Cin).
__kernel void winograd_input_2x2(__global const float* x, __global float* V, int Cin, int H, int W,
                                 int ph, int pw, int th, int tw, int P) {
    int t = get_global_id(0), c = get_global_id(1);
    if (t >= P || c >= Cin) return;
    int n = t / (th * tw), r = t % (th * tw);
    int y0 = (r / tw) * 2 - ph, x0 = (r % tw) * 2 - pw;
    __global const float* src = x + (n * Cin + c) * H * W;
    float d[4][4];
    for (int i = 0; i < 4; ++i) {
        int yy = y0 + i;
        for (int j = 0; j < 4; ++j) {
            int xx = x0 + j;
            d[i][j] = (yy >= 0 && yy < H && xx >= 0 && xx < W) ? src[yy * W + xx] : 0.0f;
        }
    }
    float e[4][4];
    for (int j = 0; j < 4; ++j) {
        e[0][j] = d[0][j] - d[2][j]; e[1][j] = d[1][j] + d[2][j];
        e[2][j] = d[2][j] - d[1][j]; e[3][j] = d[1][j] - d[3][j];
    }
    int plane = Cin * P;
    __global float* v = V + c * P + t;
    for (int i = 0; i < 4; ++i) {
        v[(i * 4 + 0) * plane] = e[i][0] - e[i][2];
        v[(i * 4 + 1) * plane] = e[i][1] + e[i][2];
        v[(i * 4 + 2) * plane] = e[i][2] - e[i][1];
        v[(i * 4 + 3) * plane] = e[i][1] - e[i][3];
    }
}

// y [N][Cout][Ho][Wo] = Aᵀ M[·][k][t] A (+ bias[k] when hasBias) for each 2×2 tile. Global (P, Cout).
__kernel void winograd_output_2x2(__global const float* M, __global const float* bias, __global float* y,
                                  int Cout, int Ho, int Wo, int th, int tw, int P, int hasBias) {
    int t = get_global_id(0), k = get_global_id(1);
    if (t >= P || k >= Cout) return;
    int plane = Cout * P;
    __global const float* m = M + k * P + t;
    float s[2][4];
    for (int j = 0; j < 4; ++j) {
        float m0 = m[(0 * 4 + j) * plane], m1 = m[(1 * 4 + j) * plane], m2 = m[(2 * 4 + j) * plane], m3 = m[(3 * 4 + j) * plane];
        s[0][j] = m0 + m1 + m2; s[1][j] = m1 - m2 - m3;
    }
    float b = hasBias != 0 ? bias[k] : 0.0f;
    int n = t / (th * tw), r = t % (th * tw);
    int oy = (r / tw) * 2, ox = (r % tw) * 2;
    __global float* dst = y + (n * Cout + k) * Ho * Wo;
    for (int i = 0; i < 2; ++i) {
        if (oy + i >= Ho) break;
        float v0 = CONV_ACTIVATE(s[i][0] + s[i][1] + s[i][2] + b), v1 = CONV_ACTIVATE(s[i][1] - s[i][2] - s[i][3] + b);
        dst[(oy + i) * Wo + ox] = v0;
        if (ox + 1 < Wo) dst[(oy + i) * Wo + ox + 1] = v1;
    }
}

// Winograd F(4×4, 3×3) for stride-1 convolutions with 3×3 (2-D) or kd×3×3 (3-D) kernels
// (ConvolutionWinograd4.swift; variant conv.algorithm=winograd4): 36 multiplies per 4×4 output
// tile and input channel (and depth tap) instead of 144. Y = Aᵀ[Σ U ⊙ V]A with U = G g Gᵀ and
// V = Bᵀ d B for each 6×6 input patch d (points 0, ±1, ±2; Lavin & Gray 2016). The Σ over input
// channels and depth taps is one 1×kd×1×1 "convolution" per transform position ξ run by the
// register-tiled conv_tile16 / conv_tile16x6 kernels with per-ξ weights, so the GEMM has the
// direct kernels' tuned inner loop. Layouts (T2 = th·tw8 tile slots per depth slice, tile rows
// padded to tw8 = a multiple of 8, stored as R = ⌈T2 / TW⌉ rows of TW slots, a multiple of 16):
//   V [36·N][Dp][R][Cin][TW]   the transformed input, depth slices of the padded volume
//   U [36][CB][kd][Cin][8]     the transformed weights, 8 output channels innermost
//   M [36·N][Cout][Do][R·TW]   the GEMM result, then y = AᵀMA + bias.

// The 3×3 taps of input channel ic, depth tap kz, for output channels ob·8 … ob·8+7 (the lanes;
// zero past Cout) of w [Cout][Cin][KD][3][3]: what the F(4×4) and F(6×6) weight transforms read.
static inline void wino_weight_taps(__global const float* w, float8 g[3][3], int ob, int ic, int kz, int Cin, int Cout, int KD) {
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            float lanes[8];
            for (int l = 0; l < 8; ++l) {
                int oc = ob * 8 + l;
                lanes[l] = oc < Cout ? w[(((long)oc * Cin + ic) * KD + kz) * 9 + i * 3 + j] : 0.0f;
            }
            g[i][j] = vload8(0, lanes);
        }
}

// U for w [Cout][Cin][KD][3][3]; bp[CB·8] = 0 (the GEMM adds no bias). One work-item per input
// channel, depth tap and block of eight output channels (the lanes of float8), so for each
// position ξ consecutive items store consecutive eight-float runs (one contiguous row of U per
// work-group). Global (Cin, CB·KD).
__kernel void conv3x3_wino4_weights(__global const float* w, __global float* U, __global float* bp,
                                    int Cin, int Cout, int KD, int CB) {
    int ic = get_global_id(0), bk = get_global_id(1);
    if (ic >= Cin || bk >= CB * KD) return;
    int ob = bk / KD, kz = bk % KD;
    if (ic == 0 && kz == 0) vstore8((float8)(0.0f), ob, bp);
    float8 g[3][3];
    wino_weight_taps(w, g, ob, ic, kz, Cin, Cout, KD);
    // t = G g (6×3), then u = t Gᵀ (6×6); G rows: (1/4, 0, 0), (-1/6, -1/6, -1/6),
    // (-1/6, 1/6, -1/6), (1/24, 1/12, 1/6), (1/24, -1/12, 1/6), (0, 0, 1).
    float8 t[6][3];
    for (int j = 0; j < 3; ++j) {
        float8 a = g[0][j], b = g[1][j], c = g[2][j];
        t[0][j] = 0.25f * a;
        t[1][j] = -(a + b + c) / 6.0f;
        t[2][j] = -(a - b + c) / 6.0f;
        t[3][j] = a / 24.0f + b / 12.0f + c / 6.0f;
        t[4][j] = a / 24.0f - b / 12.0f + c / 6.0f;
        t[5][j] = c;
    }
    long plane = (long)CB * KD * Cin * 8;
    __global float* u = U + ((long)bk * Cin + ic) * 8;
    for (int i = 0; i < 6; ++i) {
        float8 a = t[i][0], b = t[i][1], c = t[i][2];
        vstore8(0.25f * a, 0, u + (i * 6 + 0) * plane);
        vstore8(-(a + b + c) / 6.0f, 0, u + (i * 6 + 1) * plane);
        vstore8(-(a - b + c) / 6.0f, 0, u + (i * 6 + 2) * plane);
        vstore8(a / 24.0f + b / 12.0f + c / 6.0f, 0, u + (i * 6 + 3) * plane);
        vstore8(a / 24.0f - b / 12.0f + c / 6.0f, 0, u + (i * 6 + 4) * plane);
        vstore8(c, 0, u + (i * 6 + 5) * plane);
    }
}

// Bᵀ d B row by row: Bᵀ rows (4, 0, -5, 0, 1, 0), (0, -4, -4, 1, 1, 0), (0, 4, -4, -1, 1, 0),
// (0, -2, -1, 2, 1, 0), (0, 2, -1, -2, 1, 0), (0, 4, 0, -5, 0, 1).
#define WINO4_BT(d0, d1, d2, d3, d4, d5, o0, o1, o2, o3, o4, o5) \
    o0 = 4.0f * d0 - 5.0f * d2 + d4;                             \
    o1 = -4.0f * (d1 + d2) + d3 + d4;                            \
    o2 = 4.0f * (d1 - d2) - d3 + d4;                             \
    o3 = -2.0f * (d1 - d3) - d2 + d4;                            \
    o4 = 2.0f * (d1 - d3) - d2 + d4;                             \
    o5 = 4.0f * d1 - 5.0f * d3 + d5;

// Sixteen input values x[x0 … x0+15] of one row, zero outside 0 … W−1 or when the row is
// padding (valid == 0): one vload16 when all sixteen are inside, else element by element.
static inline float16 wino4_load16(__global const float* row, int x0, int W, int valid) {
    if (valid && x0 >= 0 && x0 + 16 <= W) return vload16(0, row + x0);
    float v[16];
    for (int k = 0; k < 16; ++k) v[k] = (valid && x0 + k >= 0 && x0 + k < W) ? row[x0 + k] : 0.0f;
    return vload16(0, v);
}

// V straight from the input x [N][Cin][D][H][W], the zero padding applied while reading (no
// padded copy). A depth slice of the padded volume (Dp = D + 2·pd) has its tiles numbered
// σ = ty·tw8 + tx (tile rows padded to tw8, a multiple of 8) and stored in rows of TW slots (a
// multiple of 16): slot σ of slice sl at V[ξ][sl][σ / TW][c][σ % TW]. One work-item per 8
// consecutive tiles of a tile row (lanes of float8), channel and slice; each reads 6 rows of the
// 36 columns 4·tx − pw … 4·tx − pw + 35 as four float16 (only those crossing an edge element by
// element). Tiles past tw hold zeros or the next tiles' inputs and are never stored by
// conv3x3_wino4_output. Global (th·tw8/8, Cin, N·Dp).
// Floats between consecutive transform planes of V and M in F(4×4) and F(6×6)
// (Winograd4Layout.planePad): the 36 or 64 planes' strides are otherwise multiples of 4 KiB (and
// of 64 KiB), so a transform work-item's loads or stores all fall in one L1 (and L2) cache set and
// evict each other.
#define WINO_PLANE_PAD 144

__kernel void conv3x3_wino4_input(__global const float* x, __global float* V, int Cin, int D, int H, int W,
                                  int Dp, int pd, int ph, int pw, int th, int tw8, int R, int TW, int slices) {
    int q = get_global_id(0), c = get_global_id(1), slice = get_global_id(2);
    if (q * 8 >= th * tw8 || c >= Cin || slice >= slices) return;
    int sigma = q * 8, ty = sigma / tw8, tx = sigma % tw8;
    int n = slice / Dp, z = slice % Dp - pd;
    int x0 = tx * 4 - pw;
    __global const float* plane = x + (((long)n * Cin + c) * D + (z < 0 || z >= D ? 0 : z)) * H * W;
    float8 t[6][6];
    for (int i = 0; i < 6; ++i) {
        int y = ty * 4 - ph + i;
        int valid = z >= 0 && z < D && y >= 0 && y < H;
        __global const float* row = plane + (long)(valid ? y : 0) * W;
        float16 a = wino4_load16(row, x0, W, valid), b = wino4_load16(row, x0 + 16, W, valid);
        float16 e = wino4_load16(row, x0 + 4, W, valid), f = wino4_load16(row, x0 + 20, W, valid);
        float8 d0 = (float8)(a.s048c, b.s048c), d1 = (float8)(a.s159d, b.s159d);
        float8 d2 = (float8)(a.s26ae, b.s26ae), d3 = (float8)(a.s37bf, b.s37bf);
        float8 d4 = (float8)(e.s048c, f.s048c), d5 = (float8)(e.s159d, f.s159d);
        WINO4_BT(d0, d1, d2, d3, d4, d5, t[i][0], t[i][1], t[i][2], t[i][3], t[i][4], t[i][5])
    }
    long vplane = (long)slices * R * Cin * TW + WINO_PLANE_PAD;
    __global float* v = V + (((long)slice * R + sigma / TW) * Cin + c) * TW + sigma % TW;
    for (int j = 0; j < 6; ++j) {
        float8 o0, o1, o2, o3, o4, o5;
        WINO4_BT(t[0][j], t[1][j], t[2][j], t[3][j], t[4][j], t[5][j], o0, o1, o2, o3, o4, o5)
        vstore8(o0, 0, v + (0 * 6 + j) * vplane);
        vstore8(o1, 0, v + (1 * 6 + j) * vplane);
        vstore8(o2, 0, v + (2 * 6 + j) * vplane);
        vstore8(o3, 0, v + (3 * 6 + j) * vplane);
        vstore8(o4, 0, v + (4 * 6 + j) * vplane);
        vstore8(o5, 0, v + (5 * 6 + j) * vplane);
    }
}

// M[ξ·N + n] = U[ξ] · V[ξ·N + n]: the tile kernels with KH = KW = 1, the depth taps as KD and
// the weights of position ξ. Global as conv_tile16 / conv_tile16x6 with batch P·N (P transform
// points: 36 here, 64 for conv3x3x3_wino2_*), Hp = Ho = R. One definition per tile serves both
// Winograd paths; the instances are named apart so profiles charge each path its own GEMM.
// PAD: floats between the transform planes of V and M (0: planes packed).
#define WINO_GEMM16X16_KERNEL(NAME, PAD) \
    __kernel void NAME(CONV_TILE_PARAMS, int N) { \
        int xi = get_global_id(2) / (Do * Ho) / N; \
        conv_tile16(xp + xi * PAD, wt + xi * CB * KD * Cin * 8, bp, y + xi * PAD, Cin, Cout, CB, KD, 1, Dp, Hp, Wp, Do, Ho, Wo, tilesX, 1, 1, 1, 2, 0); }
#define WINO_GEMM16X6_KERNEL(NAME, PAD) \
    __kernel void NAME(CONV_TILE_PARAMS, int N) { \
        int xi = get_global_id(2) / (Do * Ho) / N; \
        conv_tile16x6(xp + xi * PAD, wt + xi * CB * KD * Cin * 8, bp, y + xi * PAD, Cin, Cout, CB, KD, 1, Dp, Hp, Wp, Do, Ho, Wo, tilesX, 1, 1, 1, 0); }

WINO_GEMM16X16_KERNEL(conv3x3_wino4_gemm16x16, WINO_PLANE_PAD)
WINO_GEMM16X6_KERNEL(conv3x3_wino4_gemm16x6, WINO_PLANE_PAD)

// Aᵀ rows (1, 1, 1, 1, 1, 0), (0, 1, -1, 2, -2, 0), (0, 1, 1, 4, 4, 0), (0, 1, -1, 8, -8, 1).
#define WINO4_AT(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3) \
    o0 = m0 + (m1 + m2) + (m3 + m4);                   \
    o1 = (m1 - m2) + 2.0f * (m3 - m4);                 \
    o2 = (m1 + m2) + 4.0f * (m3 + m4);                 \
    o3 = (m1 - m2) + 8.0f * (m3 - m4) + m5;

// Four float8 rows (lanes = 8 tiles) interleaved into 32 outputs: lane j's four values at 4j..4j+3.
#define WINO4_LANES4(o0, o1, o2, o3, L) o0.L, o1.L, o2.L, o3.L
#define WINO4_STORE32(R, o0, o1, o2, o3) {                                                         \
        vstore16((float16)(WINO4_LANES4(o0, o1, o2, o3, s0), WINO4_LANES4(o0, o1, o2, o3, s1),       \
                           WINO4_LANES4(o0, o1, o2, o3, s2), WINO4_LANES4(o0, o1, o2, o3, s3)), 0, R); \
        vstore16((float16)(WINO4_LANES4(o0, o1, o2, o3, s4), WINO4_LANES4(o0, o1, o2, o3, s5),       \
                           WINO4_LANES4(o0, o1, o2, o3, s6), WINO4_LANES4(o0, o1, o2, o3, s7)), 0, R + 16); \
    }

// y [N][Cout][Do][Ho][Wo] = AᵀMA (+ bias) for 8 consecutive tiles of a tile row per work-item
// (lanes of float8), M [36][N][Cout][Do][R·TW] in conv3x3_wino4_input's slot order; whole
// 4 × 32 output blocks are stored as vectors, edge blocks per element. Global (th·tw8/8, Cout, N·Do).
__kernel void conv3x3_wino4_output(__global const float* M, __global const float* bias, __global float* y,
                                   int Cout, int Do, int Ho, int Wo, int th, int tw, int tw8, int RTW, int N, int hasBias) {
    int q = get_global_id(0), k = get_global_id(1), s = get_global_id(2);
    int sigma = q * 8, ty = sigma / tw8, tx = sigma % tw8;
    if (sigma >= th * tw8 || tx >= tw || k >= Cout || s >= N * Do) return;
    int n = s / Do, oz = s % Do;
    long plane = (long)N * Cout * Do * RTW + WINO_PLANE_PAD;
    __global const float* m = M + (((long)n * Cout + k) * Do + oz) * RTW + sigma;
    float8 e[4][6];
    for (int j = 0; j < 6; ++j) {
        float8 m0 = vload8(0, m + (0 * 6 + j) * plane), m1 = vload8(0, m + (1 * 6 + j) * plane);
        float8 m2 = vload8(0, m + (2 * 6 + j) * plane), m3 = vload8(0, m + (3 * 6 + j) * plane);
        float8 m4 = vload8(0, m + (4 * 6 + j) * plane), m5 = vload8(0, m + (5 * 6 + j) * plane);
        WINO4_AT(m0, m1, m2, m3, m4, m5, e[0][j], e[1][j], e[2][j], e[3][j])
    }
    float b = hasBias != 0 ? bias[k] : 0.0f;
    int oy = ty * 4, ox = tx * 4;
    __global float* dst = y + ((((long)n * Cout + k) * Do + oz) * Ho + oy) * Wo + ox;
    bool whole = ox + 32 <= Wo;
    for (int i = 0; i < 4 && oy + i < Ho; ++i) {
        float8 o0, o1, o2, o3;
        WINO4_AT(e[i][0], e[i][1], e[i][2], e[i][3], e[i][4], e[i][5], o0, o1, o2, o3)
        o0 = CONV_ACTIVATE(o0 + b); o1 = CONV_ACTIVATE(o1 + b); o2 = CONV_ACTIVATE(o2 + b); o3 = CONV_ACTIVATE(o3 + b);
        __global float* r = dst + i * Wo;
        if (whole) {
            WINO4_STORE32(r, o0, o1, o2, o3)
        } else {
            float lanes[4][8];
            vstore8(o0, 0, lanes[0]); vstore8(o1, 0, lanes[1]); vstore8(o2, 0, lanes[2]); vstore8(o3, 0, lanes[3]);
            for (int x = 0; x < 32 && ox + x < Wo; ++x) r[x] = lanes[x % 4][x / 4];
        }
    }
}

// SPADE's modulation fused with the output transforms of its γ and β convolutions (2-D, Do = 1;
// SpadeModulate+Ops.swift): for 8 consecutive tiles of a tile row per work-item, γ = AᵀMγA + bγ
// and β = AᵀMβA + bβ exactly as conv3x3_wino4_output computes them (no activation), then
// y = act(((x − mean)·scale + shift)·(1 + γ) + β) with the row's group-norm params in
// norm_modulate_apply's order (spade_modulate8), act = CONV_ACTIVATE. γ and β are never stored.
// Mγ, Mβ [36][N][C][R·TW] in conv3x3_wino4_input's slot order. Global (th·tw8/8, C, N).
static inline float8 spade_modulate8(float8 x, float8 g, float8 b, float mean, float scale, float shift) {
#pragma OPENCL FP_CONTRACT OFF
    float8 v = (x - mean) * scale + shift;
    return v * (1.0f + g) + b;
}

// Rows i of γ or β for the work-item's tiles, as 32 values in output order (lane j's four at 4j…4j+3).
#define WINO4_ROW32(E, I, BIAS, OUT) {                                                   \
        float8 o0, o1, o2, o3;                                                          \
        WINO4_AT(E[I][0], E[I][1], E[I][2], E[I][3], E[I][4], E[I][5], o0, o1, o2, o3)   \
        o0 = o0 + (BIAS); o1 = o1 + (BIAS); o2 = o2 + (BIAS); o3 = o3 + (BIAS);         \
        WINO4_STORE32(OUT, o0, o1, o2, o3)                                              \
    }

__kernel void conv3x3_wino4_output_modulate(__global const float* Mg, __global const float* Mb, __global const float* bg,
                                            __global const float* bb, __global const float* x, __global const float* params,
                                            __global float* y, int C, int Ho, int Wo, int th, int tw, int tw8, int RTW, int N) {
    int q = get_global_id(0), k = get_global_id(1), n = get_global_id(2);
    int sigma = q * 8, ty = sigma / tw8, tx = sigma % tw8;
    if (sigma >= th * tw8 || tx >= tw || k >= C || n >= N) return;
    long plane = (long)N * C * RTW + WINO_PLANE_PAD;
    long slot = ((long)n * C + k) * RTW + sigma;
    float8 eg[4][6], eb[4][6];
    for (int j = 0; j < 6; ++j) {
        __global const float* m = Mg + slot;
        float8 m0 = vload8(0, m + (0 * 6 + j) * plane), m1 = vload8(0, m + (1 * 6 + j) * plane);
        float8 m2 = vload8(0, m + (2 * 6 + j) * plane), m3 = vload8(0, m + (3 * 6 + j) * plane);
        float8 m4 = vload8(0, m + (4 * 6 + j) * plane), m5 = vload8(0, m + (5 * 6 + j) * plane);
        WINO4_AT(m0, m1, m2, m3, m4, m5, eg[0][j], eg[1][j], eg[2][j], eg[3][j])
        m = Mb + slot;
        m0 = vload8(0, m + (0 * 6 + j) * plane); m1 = vload8(0, m + (1 * 6 + j) * plane);
        m2 = vload8(0, m + (2 * 6 + j) * plane); m3 = vload8(0, m + (3 * 6 + j) * plane);
        m4 = vload8(0, m + (4 * 6 + j) * plane); m5 = vload8(0, m + (5 * 6 + j) * plane);
        WINO4_AT(m0, m1, m2, m3, m4, m5, eb[0][j], eb[1][j], eb[2][j], eb[3][j])
    }
    float gb = bg[k], bbias = bb[k];
    int p = 3 * (n * C + k);
    float mean = params[p], scale = params[p + 1], shift = params[p + 2];
    int oy = ty * 4, ox = tx * 4;
    long base = (((long)n * C + k) * Ho + oy) * Wo + ox;
    bool whole = ox + 32 <= Wo;
    for (int i = 0; i < 4 && oy + i < Ho; ++i) {
        float g[32], b[32];
        WINO4_ROW32(eg, i, gb, g)
        WINO4_ROW32(eb, i, bbias, b)
        __global const float* xr = x + base + (long)i * Wo;
        __global float* yr = y + base + (long)i * Wo;
        if (whole) {
            for (int h = 0; h < 4; ++h) {
                float8 v = spade_modulate8(vload8(h, xr), vload8(h, g), vload8(h, b), mean, scale, shift);
                vstore8(CONV_ACTIVATE(v), h, yr);
            }
        } else {
            for (int c = 0; c < 32 && ox + c < Wo; ++c) {
                float8 v = spade_modulate8((float8)(xr[c]), (float8)(g[c]), (float8)(b[c]), mean, scale, shift);
                yr[c] = CONV_ACTIVATE(v).s0;
            }
        }
    }
}

// Winograd F(6×6, 3×3) for stride-1 2-D 3×3 convolutions (ConvolutionWinograd6.swift; variants
// conv.algorithm=winograd4, conv.winograd=6 or auto): 64 multiplies per 6×6 output tile and input
// channel instead of 324 (F(4×4): 36 per 4×4). Y = Aᵀ[Σ U ⊙ V]A with U = G g Gᵀ and V = Bᵀ d B
// for each 8×8 input patch d at stride 6, points 0, ±1, ±2, ±½ and ∞ (Toom-Cook; the matrices
// are derived and checked in float64 in docs/performance.md). The Σ over input channels is one
// 1×1 "convolution" per transform position ξ = i·8 + j, run by the register-tiled GEMM kernels
// as F(4×4)'s. Tiles are numbered σ = ty·tw + tx with no row padding (T = th·tw of them), eight
// consecutive tiles per transform work-item (lanes of float8, a chunk may span tile rows), a
// depth-1 image's ⌈T/8⌉·8 slots stored as R rows of TW (a multiple of 16, as F(4×4)):
//   V [64·N][R][Cin][TW]   the transformed input
//   U [64][CB][Cin][8]     the transformed weights, 8 output channels innermost
//   M [64·N][Cout][R·TW]   the GEMM result, then y = AᵀMA + bias.

// U for w [Cout][Cin][3][3]; bp[CB·8] = 0 (the GEMM adds no bias). One work-item per input
// channel and block of eight output channels (lanes of float8), as conv3x3_wino4_weights.
// G rows: (1, 0, 0), −2/9·(1, 1, 1), −2/9·(1, −1, 1), (1/90, 1/45, 2/45), (1/90, −1/45, 2/45),
// (32/45, 16/45, 8/45), (32/45, −16/45, 8/45), (0, 0, 1). Global (Cin, CB).
#define WINO6_G(a, b, c, o0, o1, o2, o3, o4, o5, o6, o7)         \
    o0 = a;                                                      \
    o1 = (-2.0f / 9.0f) * ((a) + (b) + (c));                     \
    o2 = (-2.0f / 9.0f) * ((a) - (b) + (c));                     \
    o3 = (1.0f / 90.0f) * (a) + (1.0f / 45.0f) * (b) + (2.0f / 45.0f) * (c); \
    o4 = (1.0f / 90.0f) * (a) - (1.0f / 45.0f) * (b) + (2.0f / 45.0f) * (c); \
    o5 = (32.0f / 45.0f) * (a) + (16.0f / 45.0f) * (b) + (8.0f / 45.0f) * (c); \
    o6 = (32.0f / 45.0f) * (a) - (16.0f / 45.0f) * (b) + (8.0f / 45.0f) * (c); \
    o7 = c;

__kernel void conv3x3_wino6_weights(__global const float* w, __global float* U, __global float* bp, int Cin, int Cout, int CB) {
    int ic = get_global_id(0), ob = get_global_id(1);
    if (ic >= Cin || ob >= CB) return;
    if (ic == 0) vstore8((float8)(0.0f), ob, bp);
    float8 g[3][3];
    wino_weight_taps(w, g, ob, ic, 0, Cin, Cout, 1);
    float8 t[8][3];
    for (int j = 0; j < 3; ++j) {
        WINO6_G(g[0][j], g[1][j], g[2][j], t[0][j], t[1][j], t[2][j], t[3][j], t[4][j], t[5][j], t[6][j], t[7][j])
    }
    long plane = (long)CB * Cin * 8;
    __global float* u = U + ((long)ob * Cin + ic) * 8;
    for (int i = 0; i < 8; ++i) {
        float8 o[8];
        WINO6_G(t[i][0], t[i][1], t[i][2], o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7])
        for (int j = 0; j < 8; ++j) vstore8(o[j], 0, u + (i * 8 + j) * plane);
    }
}

// Bᵀ d for one 8-tap line: Bᵀ rows (1, 0, −21/4, 0, 21/4, 0, −1, 0), (0, 1, 1, −17/4, −17/4, 1, 1, 0),
// (0, −1, 1, 17/4, −17/4, −1, 1, 0), (0, ½, ¼, −5/2, −5/4, 2, 1, 0), (0, −½, ¼, 5/2, −5/4, −2, 1, 0),
// (0, 2, 4, −5/2, −5, ½, 1, 0), (0, −2, 4, 5/2, −5, −½, 1, 0), (0, −1, 0, 21/4, 0, −21/4, 0, 1).
#define WINO6_BT(d0, d1, d2, d3, d4, d5, d6, d7, o0, o1, o2, o3, o4, o5, o6, o7) {         \
        float8 p_, q_;                                                                     \
        o0 = (d0) - (d6) + 5.25f * ((d4) - (d2));                                          \
        p_ = (d2) - 4.25f * (d4) + (d6); q_ = (d1) - 4.25f * (d3) + (d5);                  \
        o1 = p_ + q_; o2 = p_ - q_;                                                        \
        p_ = 0.25f * (d2) - 1.25f * (d4) + (d6); q_ = 0.5f * (d1) - 2.5f * (d3) + 2.0f * (d5); \
        o3 = p_ + q_; o4 = p_ - q_;                                                        \
        p_ = 4.0f * (d2) - 5.0f * (d4) + (d6); q_ = 2.0f * (d1) - 2.5f * (d3) + 0.5f * (d5); \
        o5 = p_ + q_; o6 = p_ - q_;                                                        \
        o7 = (d7) - (d1) + 5.25f * ((d3) - (d5));                                          \
    }

// Aᵀ for one 8-tap line: rows (1, 1, 1, 1, 1, 1, 1, 0), (0, 1, −1, 2, −2, ½, −½, 0),
// (0, 1, 1, 4, 4, ¼, ¼, 0), (0, 1, −1, 8, −8, ⅛, −⅛, 0), (0, 1, 1, 16, 16, 1/16, 1/16, 0),
// (0, 1, −1, 32, −32, 1/32, −1/32, 1).
#define WINO6_AT(m0, m1, m2, m3, m4, m5, m6, m7, o0, o1, o2, o3, o4, o5) {               \
        float8 a_ = (m1) + (m2), b_ = (m1) - (m2), c_ = (m3) + (m4), d_ = (m3) - (m4);     \
        float8 e_ = (m5) + (m6), f_ = (m5) - (m6);                                         \
        o0 = (m0) + a_ + c_ + e_;                                                          \
        o1 = b_ + 2.0f * d_ + 0.5f * f_;                                                   \
        o2 = a_ + 4.0f * c_ + 0.25f * e_;                                                  \
        o3 = b_ + 8.0f * d_ + 0.125f * f_;                                                 \
        o4 = a_ + 16.0f * c_ + 0.0625f * e_;                                               \
        o5 = b_ + 32.0f * d_ + 0.03125f * f_ + (m7);                                       \
    }

// Eight values row[x0 … x0+7], zero outside 0 … W−1 or when the row is padding (valid == 0).
static inline float8 wino6_load8(__global const float* row, int x0, int W, int valid) {
    if (valid && x0 >= 0 && x0 + 8 <= W) return vload8(0, row + x0);
    float v[8];
#pragma unroll
    for (int k = 0; k < 8; ++k) v[k] = (valid && x0 + k >= 0 && x0 + k < W) ? row[x0 + k] : 0.0f;
    return vload8(0, v);
}

// Sixteen values row[x0 … x0+15] as wino4_load16, zeros at once when none is inside.
static inline float16 wino6_load16(__global const float* row, int x0, int W, int valid) {
    if (!valid || x0 + 16 <= 0 || x0 >= W) return (float16)(0.0f);
    return wino4_load16(row, x0, W, valid);
}

// Two values row[x0], row[x0+1], as wino6_load8.
static inline float2 wino6_load2(__global const float* row, int x0, int W, int valid) {
    if (valid && x0 >= 0 && x0 + 2 <= W) return vload2(0, row + x0);
    return (float2)(valid && x0 >= 0 && x0 < W ? row[x0] : 0.0f, valid && x0 + 1 >= 0 && x0 + 1 < W ? row[x0 + 1] : 0.0f);
}

// Column k of eight 6-wide tiles of one row held as A = x[0…15], B = x[16…31], C = x[32…47],
// D = x[48, 49]: lane l = x[6l + k] (k ≤ 7; D only for k ≥ 6).
#define WINO6_GATHER0(A, B, C, D) (float8)(A.s06c, B.s28e, C.s4a)
#define WINO6_GATHER1(A, B, C, D) (float8)(A.s17d, B.s39f, C.s5b)
#define WINO6_GATHER2(A, B, C, D) (float8)(A.s28e, B.s4a, C.s06c)
#define WINO6_GATHER3(A, B, C, D) (float8)(A.s39f, B.s5b, C.s17d)
#define WINO6_GATHER4(A, B, C, D) (float8)(A.s4a, B.s06c, C.s28e)
#define WINO6_GATHER5(A, B, C, D) (float8)(A.s5b, B.s17d, C.s39f)
#define WINO6_GATHER6(A, B, C, D) (float8)(A.s6c, B.s28e, C.s4a, D.s0)
#define WINO6_GATHER7(A, B, C, D) (float8)(A.s7d, B.s39f, C.s5b, D.s1)

// The tile (ty, tx) of each lane of the chunk starting at tile σ0 (lanes at or past T: ty = −1),
// and whether all eight lie in one tile row (ROW: then they are tx0 … tx0+7 of row ty0).
#define WINO6_LANE_TILES(SIGMA0, T, TW_TILES, TY, TX, ROW)                      \
    int TY[8], TX[8];                                                           \
    for (int l = 0; l < 8; ++l) {                                               \
        int s_ = (SIGMA0) + l;                                                  \
        TY[l] = s_ < (T) ? s_ / (TW_TILES) : -1; TX[l] = s_ < (T) ? s_ % (TW_TILES) : 0; \
    }                                                                           \
    bool ROW = TY[7] == TY[0];

// Patch row i of eight tiles of tile row TY whose first column is X0, deinterleaved so lane l
// holds columns X0 + 6l … X0 + 6l + 7 (D0 … D7): three float16 and a float2 of the 50 columns,
// element by element only across an edge.
#define WINO6_WINDOW(TY, X0, D0, D1, D2, D3, D4, D5, D6, D7) {                                  \
        int y_ = (TY) * 6 - ph + i, x_ = (X0);                                                  \
        int valid_ = (TY) >= 0 && y_ >= 0 && y_ < H;                                            \
        __global const float* row_ = plane + (long)(valid_ ? y_ : 0) * W;                       \
        float16 a_ = wino6_load16(row_, x_, W, valid_), b_ = wino6_load16(row_, x_ + 16, W, valid_); \
        float16 c_ = wino6_load16(row_, x_ + 32, W, valid_);                                    \
        float2 f_ = wino6_load2(row_, x_ + 48, W, valid_);                                      \
        D0 = WINO6_GATHER0(a_, b_, c_, f_); D1 = WINO6_GATHER1(a_, b_, c_, f_);                 \
        D2 = WINO6_GATHER2(a_, b_, c_, f_); D3 = WINO6_GATHER3(a_, b_, c_, f_);                 \
        D4 = WINO6_GATHER4(a_, b_, c_, f_); D5 = WINO6_GATHER5(a_, b_, c_, f_);                 \
        D6 = WINO6_GATHER6(a_, b_, c_, f_); D7 = WINO6_GATHER7(a_, b_, c_, f_);                 \
    }

// V straight from the input x [N][Cin][H][W], the zero padding applied while reading. One
// work-item per chunk of 8 consecutive tiles (lanes), channel and image. A chunk inside one tile (or, rows ≥ 8 tiles wide, across two: two windows, lanes selected)
// row reads each of its 8 patch rows as the 50 columns 6·tx0 − pw … + 49 (three float16 and a
// float2, element by element only across an edge) and deinterleaves them (WINO6_GATHER); a chunk
// across tile rows reads each lane's 8 columns and transposes the 8 × 8 block. Lanes past T
// transform zeros. The row and column loops stay rolled (unrolled, the kernel outgrows the
// instruction cache). Global (⌈T/8⌉, Cin, N).
__kernel void conv3x3_wino6_input(__global const float* x, __global float* V, int Cin, int H, int W, int ph, int pw,
                                  int th, int tw, int R, int TW, int N) {
    int q = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
    int T = th * tw, sigma = q * 8;
    if (sigma >= T || c >= Cin || n >= N) return;
    WINO6_LANE_TILES(sigma, T, tw, ty, tx, oneRow)
    __global const float* plane = x + ((long)n * Cin + c) * H * W;
    float8 t[8][8];
#pragma unroll 1
    for (int i = 0; i < 8; ++i) {
        float8 d0, d1, d2, d3, d4, d5, d6, d7;
        if (oneRow || tw >= 8) {
            // One row, or two (tw ≥ 8): lanes 0 … a−1 end row ty0, lanes a … 7 start row ty0 + 1,
            // read as the window of row ty0 + 1 starting 6a columns left of its first tile.
            WINO6_WINDOW(ty[0], tx[0] * 6 - pw, d0, d1, d2, d3, d4, d5, d6, d7)
            if (!oneRow) {
                int a = tw - tx[0];
                int8 second = (int8)(0, 1, 2, 3, 4, 5, 6, 7) >= (int8)(a);
                float8 e0, e1, e2, e3, e4, e5, e6, e7;
                WINO6_WINDOW(ty[0] + 1, -6 * a - pw, e0, e1, e2, e3, e4, e5, e6, e7)
                d0 = select(d0, e0, second); d1 = select(d1, e1, second); d2 = select(d2, e2, second); d3 = select(d3, e3, second);
                d4 = select(d4, e4, second); d5 = select(d5, e5, second); d6 = select(d6, e6, second); d7 = select(d7, e7, second);
            }
        } else {
            float p[8][8];
#pragma unroll 1
            for (int l = 0; l < 8; ++l) {
                int y = ty[l] * 6 - ph + i;
                int valid = ty[l] >= 0 && y >= 0 && y < H;
                vstore8(wino6_load8(plane + (long)(valid ? y : 0) * W, tx[l] * 6 - pw, W, valid), 0, p[l]);
            }
            d0 = (float8)(p[0][0], p[1][0], p[2][0], p[3][0], p[4][0], p[5][0], p[6][0], p[7][0]);
            d1 = (float8)(p[0][1], p[1][1], p[2][1], p[3][1], p[4][1], p[5][1], p[6][1], p[7][1]);
            d2 = (float8)(p[0][2], p[1][2], p[2][2], p[3][2], p[4][2], p[5][2], p[6][2], p[7][2]);
            d3 = (float8)(p[0][3], p[1][3], p[2][3], p[3][3], p[4][3], p[5][3], p[6][3], p[7][3]);
            d4 = (float8)(p[0][4], p[1][4], p[2][4], p[3][4], p[4][4], p[5][4], p[6][4], p[7][4]);
            d5 = (float8)(p[0][5], p[1][5], p[2][5], p[3][5], p[4][5], p[5][5], p[6][5], p[7][5]);
            d6 = (float8)(p[0][6], p[1][6], p[2][6], p[3][6], p[4][6], p[5][6], p[6][6], p[7][6]);
            d7 = (float8)(p[0][7], p[1][7], p[2][7], p[3][7], p[4][7], p[5][7], p[6][7], p[7][7]);
        }
        WINO6_BT(d0, d1, d2, d3, d4, d5, d6, d7, t[i][0], t[i][1], t[i][2], t[i][3], t[i][4], t[i][5], t[i][6], t[i][7])
    }
    long vplane = (long)N * R * Cin * TW + WINO_PLANE_PAD;
    __global float* v = V + (((long)n * R + sigma / TW) * Cin + c) * TW + sigma % TW;
#pragma unroll 1
    for (int j = 0; j < 8; ++j) {
        float8 o0, o1, o2, o3, o4, o5, o6, o7;
        WINO6_BT(t[0][j], t[1][j], t[2][j], t[3][j], t[4][j], t[5][j], t[6][j], t[7][j], o0, o1, o2, o3, o4, o5, o6, o7)
        __global float* vj = v + j * vplane;
        vstore8(o0, 0, vj); vstore8(o1, 0, vj + 8 * vplane); vstore8(o2, 0, vj + 16 * vplane); vstore8(o3, 0, vj + 24 * vplane);
        vstore8(o4, 0, vj + 32 * vplane); vstore8(o5, 0, vj + 40 * vplane); vstore8(o6, 0, vj + 48 * vplane); vstore8(o7, 0, vj + 56 * vplane);
    }
}

WINO_GEMM16X16_KERNEL(conv3x3_wino6_gemm16x16, WINO_PLANE_PAD)
WINO_GEMM16X6_KERNEL(conv3x3_wino6_gemm16x6, WINO_PLANE_PAD)

// Aᵀ M over the 8 rows of positions of the work-item's tiles: E[r][j] for output row r and
// column position j (lanes = tiles), M [64][N][C][R·TW] at slot offset SLOT, plane PLANE.
#define WINO6_COLUMNS(M, SLOT, PLANE, E)                                                   \
    _Pragma("unroll 1")                                                                    \
    for (int j = 0; j < 8; ++j) {                                                          \
        __global const float* m_ = (M) + (SLOT) + j * (PLANE);                             \
        long s_ = 8 * (PLANE);                                                             \
        WINO6_AT(vload8(0, m_), vload8(0, m_ + s_), vload8(0, m_ + 2 * s_), vload8(0, m_ + 3 * s_), \
                 vload8(0, m_ + 4 * s_), vload8(0, m_ + 5 * s_), vload8(0, m_ + 6 * s_), vload8(0, m_ + 7 * s_), \
                 E[0][j], E[1][j], E[2][j], E[3][j], E[4][j], E[5][j])                     \
    }

// Row ROW of every lane's 6 × 6 output block plus BIAS: O0 … O5 for columns 0 … 5 (lanes = tiles).
#define WINO6_ROW(E, ROW, BIAS, O0, O1, O2, O3, O4, O5) {                                  \
        WINO6_AT(E[ROW][0], E[ROW][1], E[ROW][2], E[ROW][3], E[ROW][4], E[ROW][5], E[ROW][6], E[ROW][7], \
                 O0, O1, O2, O3, O4, O5)                                                   \
        O0 += (BIAS); O1 += (BIAS); O2 += (BIAS); O3 += (BIAS); O4 += (BIAS); O5 += (BIAS); \
    }

// The six columns O0 … O5 (lanes = eight tiles) interleaved into 48 outputs at DST (lane l's
// six at 6l … 6l+5), the inverse of WINO6_GATHER.
#define WINO6_LANE6(L) o0.L, o1.L, o2.L, o3.L, o4.L, o5.L
#define WINO6_STORE48(DST) {                                                                             \
        vstore16((float16)(WINO6_LANE6(s0), WINO6_LANE6(s1), o0.s2, o1.s2, o2.s2, o3.s2), 0, DST);        \
        vstore16((float16)(o4.s2, o5.s2, WINO6_LANE6(s3), WINO6_LANE6(s4), o0.s5, o1.s5), 0, (DST) + 16); \
        vstore16((float16)(o2.s5, o3.s5, o4.s5, o5.s5, WINO6_LANE6(s6), WINO6_LANE6(s7)), 0, (DST) + 32); \
    }

// Stores row R of each lane's tile from the columns o0 … o5 (lanes = tiles) into the plane DST
// [Ho][Wo]: six floats per lane, fewer at the right edge, none past T or Ho.
#define WINO6_STORE_LANES(DST, R) {                                                         \
        float v_[6][8];                                                                    \
        vstore8(o0, 0, v_[0]); vstore8(o1, 0, v_[1]); vstore8(o2, 0, v_[2]);               \
        vstore8(o3, 0, v_[3]); vstore8(o4, 0, v_[4]); vstore8(o5, 0, v_[5]);               \
        _Pragma("unroll 1")                                                                \
        for (int l = 0; l < 8; ++l) {                                                      \
            int oy_ = ty[l] * 6 + (R), ox_ = tx[l] * 6;                                    \
            if (ty[l] < 0 || oy_ >= Ho) continue;                                          \
            __global float* d_ = (DST) + (long)oy_ * Wo + ox_;                             \
            int count_ = min(6, Wo - ox_);                                                 \
            for (int c_ = 0; c_ < count_; ++c_) d_[c_] = v_[c_][l];                        \
        }                                                                                  \
    }

// Row R of a chunk across two tile rows (tw ≥ 8; lanes 0 … A−1 end tile row ty0, the rest start
// row ty0 + 1, those past T not stored) from the columns o0 … o5: interleaved once, then stored
// as two runs of six floats per lane, clipped at Ho and Wo.
#define WINO6_STORE_RUNS(DST, R, A) {                                                       \
        float b_[48];                                                                      \
        WINO6_STORE48(b_)                                                                  \
        int oy_ = ty[0] * 6 + (R), ox_ = tx[0] * 6;                                        \
        if (oy_ < Ho) {                                                                    \
            __global float* d_ = (DST) + (long)oy_ * Wo + ox_;                             \
            for (int c_ = 0, n_ = min(6 * (A), Wo - ox_); c_ < n_; ++c_) d_[c_] = b_[c_];  \
        }                                                                                  \
        int lanes_ = min(8 - (A), T - (sigma + (A)));                                      \
        oy_ += 6;                                                                          \
        if (lanes_ > 0 && oy_ < Ho) {                                                      \
            __global float* d_ = (DST) + (long)oy_ * Wo;                                   \
            for (int c_ = 0, n_ = min(6 * lanes_, Wo); c_ < n_; ++c_) d_[c_] = b_[6 * (A) + c_]; \
        }                                                                                  \
    }

// y [N][Cout][Ho][Wo] = AᵀMA (+ bias, then CONV_ACTIVATE) for a chunk of 8 consecutive tiles per
// work-item (lanes), M [64][N][Cout][R·TW] in conv3x3_wino6_input's slot order. A chunk inside one
// tile row whose 48 columns are inside the image stores each row as three float16; otherwise
// each lane stores its rows of six (fewer at the edges). Global (⌈T/8⌉, Cout, N).
__kernel void conv3x3_wino6_output(__global const float* M, __global const float* bias, __global float* y,
                                   int Cout, int Ho, int Wo, int th, int tw, int RTW, int N, int hasBias) {
    int q = get_global_id(0), k = get_global_id(1), n = get_global_id(2);
    int T = th * tw, sigma = q * 8;
    if (sigma >= T || k >= Cout || n >= N) return;
    WINO6_LANE_TILES(sigma, T, tw, ty, tx, oneRow)
    long plane = (long)N * Cout * RTW + WINO_PLANE_PAD;
    float8 e[6][8];
    WINO6_COLUMNS(M, ((long)n * Cout + k) * RTW + sigma, plane, e)
    float b = hasBias != 0 ? bias[k] : 0.0f;
    __global float* dst = y + ((long)n * Cout + k) * Ho * Wo;
    bool whole = oneRow && tx[0] * 6 + 48 <= Wo;
#pragma unroll 1
    for (int r = 0; r < 6; ++r) {
        float8 o0, o1, o2, o3, o4, o5;
        WINO6_ROW(e, r, b, o0, o1, o2, o3, o4, o5)
        o0 = CONV_ACTIVATE(o0); o1 = CONV_ACTIVATE(o1); o2 = CONV_ACTIVATE(o2);
        o3 = CONV_ACTIVATE(o3); o4 = CONV_ACTIVATE(o4); o5 = CONV_ACTIVATE(o5);
        if (whole) {
            if (ty[0] * 6 + r < Ho) WINO6_STORE48(dst + (long)(ty[0] * 6 + r) * Wo + tx[0] * 6)
        } else if (tw >= 8) {
            WINO6_STORE_RUNS(dst, r, oneRow ? 8 : tw - tx[0])
        } else {
            WINO6_STORE_LANES(dst, r)
        }
    }
}

// x of output row OY, columns X0 … X0 + 47 (zeros outside the map), deinterleaved so lane l holds
// columns X0 + 6l … X0 + 6l + 5 (X0_ … X5_).
#define WINO6_X_WINDOW(OY, X0, X0_, X1_, X2_, X3_, X4_, X5_) {                              \
        int valid_ = (OY) < Ho;                                                            \
        __global const float* row_ = xp + (long)(valid_ ? (OY) : 0) * Wo;                   \
        float16 a_ = wino6_load16(row_, X0, Wo, valid_), b_ = wino6_load16(row_, (X0) + 16, Wo, valid_); \
        float16 c_ = wino6_load16(row_, (X0) + 32, Wo, valid_);                             \
        X0_ = WINO6_GATHER0(a_, b_, c_, a_); X1_ = WINO6_GATHER1(a_, b_, c_, a_); X2_ = WINO6_GATHER2(a_, b_, c_, a_); \
        X3_ = WINO6_GATHER3(a_, b_, c_, a_); X4_ = WINO6_GATHER4(a_, b_, c_, a_); X5_ = WINO6_GATHER5(a_, b_, c_, a_); \
    }

// conv3x3_wino4_output_modulate for F(6×6): γ = AᵀMγA + bγ and β = AᵀMβA + bβ as
// conv3x3_wino6_output computes them (no activation), then
// y = act(((x − mean)·scale + shift)·(1 + γ) + β) (spade_modulate8 with lanes = tiles: each row's
// x values are gathered to the lanes and the results interleaved back, as vectors for a chunk
// inside one tile row and the image, else per lane). γ and β are never stored.
// Mγ, Mβ [64][N][C][R·TW] in conv3x3_wino6_input's slot order. Global (⌈T/8⌉, C, N).
__kernel void conv3x3_wino6_output_modulate(__global const float* Mg, __global const float* Mb, __global const float* bg,
                                            __global const float* bb, __global const float* x, __global const float* params,
                                            __global float* y, int C, int Ho, int Wo, int th, int tw, int RTW, int N) {
    int q = get_global_id(0), k = get_global_id(1), n = get_global_id(2);
    int T = th * tw, sigma = q * 8;
    if (sigma >= T || k >= C || n >= N) return;
    WINO6_LANE_TILES(sigma, T, tw, ty, tx, oneRow)
    long plane = (long)N * C * RTW + WINO_PLANE_PAD, slot = ((long)n * C + k) * RTW + sigma;
    float8 eg[6][8], eb[6][8];
    WINO6_COLUMNS(Mg, slot, plane, eg)
    WINO6_COLUMNS(Mb, slot, plane, eb)
    float gb = bg[k], bbias = bb[k];
    int p = 3 * (n * C + k);
    float mean = params[p], scale = params[p + 1], shift = params[p + 2];
    __global const float* xp = x + ((long)n * C + k) * Ho * Wo;
    __global float* yp = y + ((long)n * C + k) * Ho * Wo;
    bool whole = oneRow && tx[0] * 6 + 48 <= Wo;
#pragma unroll 1
    for (int r = 0; r < 6; ++r) {
        float8 g0, g1, g2, g3, g4, g5, b0, b1, b2, b3, b4, b5, x0, x1, x2, x3, x4, x5;
        WINO6_ROW(eg, r, gb, g0, g1, g2, g3, g4, g5)
        WINO6_ROW(eb, r, bbias, b0, b1, b2, b3, b4, b5)
        if (whole) {
            int oy = ty[0] * 6 + r;
            if (oy >= Ho) continue;
            __global const float* xr = xp + (long)oy * Wo + tx[0] * 6;
            float16 a = vload16(0, xr), bv = vload16(1, xr), cv = vload16(2, xr);
            x0 = WINO6_GATHER0(a, bv, cv, a); x1 = WINO6_GATHER1(a, bv, cv, a); x2 = WINO6_GATHER2(a, bv, cv, a);
            x3 = WINO6_GATHER3(a, bv, cv, a); x4 = WINO6_GATHER4(a, bv, cv, a); x5 = WINO6_GATHER5(a, bv, cv, a);
        } else if (tw >= 8) {
            // Lanes 0 … a−1 in tile row ty0, the rest in ty0 + 1 read as its row from 6a columns left.
            int a = oneRow ? 8 : tw - tx[0];
            WINO6_X_WINDOW(ty[0] * 6 + r, tx[0] * 6, x0, x1, x2, x3, x4, x5)
            if (!oneRow) {
                float8 z0, z1, z2, z3, z4, z5;
                int8 second = (int8)(0, 1, 2, 3, 4, 5, 6, 7) >= (int8)(a);
                WINO6_X_WINDOW(ty[0] * 6 + 6 + r, -6 * a, z0, z1, z2, z3, z4, z5)
                x0 = select(x0, z0, second); x1 = select(x1, z1, second); x2 = select(x2, z2, second);
                x3 = select(x3, z3, second); x4 = select(x4, z4, second); x5 = select(x5, z5, second);
            }
        } else {
            float xl[6][8];
#pragma unroll 1
            for (int l = 0; l < 8; ++l) {
                int oy = ty[l] * 6 + r, ox = tx[l] * 6;
                int count = ty[l] < 0 || oy >= Ho ? 0 : min(6, Wo - ox);
                __global const float* xr = xp + (long)(count > 0 ? oy : 0) * Wo + (count > 0 ? ox : 0);
                for (int c = 0; c < 6; ++c) xl[c][l] = c < count ? xr[c] : 0.0f;
            }
            x0 = vload8(0, xl[0]); x1 = vload8(0, xl[1]); x2 = vload8(0, xl[2]);
            x3 = vload8(0, xl[3]); x4 = vload8(0, xl[4]); x5 = vload8(0, xl[5]);
        }
        float8 o0 = CONV_ACTIVATE(spade_modulate8(x0, g0, b0, mean, scale, shift));
        float8 o1 = CONV_ACTIVATE(spade_modulate8(x1, g1, b1, mean, scale, shift));
        float8 o2 = CONV_ACTIVATE(spade_modulate8(x2, g2, b2, mean, scale, shift));
        float8 o3 = CONV_ACTIVATE(spade_modulate8(x3, g3, b3, mean, scale, shift));
        float8 o4 = CONV_ACTIVATE(spade_modulate8(x4, g4, b4, mean, scale, shift));
        float8 o5 = CONV_ACTIVATE(spade_modulate8(x5, g5, b5, mean, scale, shift));
        if (whole) {
            WINO6_STORE48(yp + (long)(ty[0] * 6 + r) * Wo + tx[0] * 6)
        } else if (tw >= 8) {
            WINO6_STORE_RUNS(yp, r, oneRow ? 8 : tw - tx[0])
        } else {
            WINO6_STORE_LANES(yp, r)
        }
    }
}

// Winograd F(2×2×2, 3×3×3) for stride-1 3×3×3 convolutions (ConvolutionWinograd3D.swift;
// variants conv.algorithm=winograd4, conv.winograd3d=cube): 64 multiplies per 2×2×2 output tile
// and input channel instead of 216. Y = (Aᵀ⊗Aᵀ⊗Aᵀ)[Σ_c U ⊙ V] with U = (G⊗G⊗G) g and
// V = (Bᵀ⊗Bᵀ⊗Bᵀ) d for each 4×4×4 input patch d at stride 2 (points 0, ±1, ∞; Lavin & Gray
// 2016). The Σ over input channels is one 1×1×1 "convolution" per transform point ξ, run by the
// register-tiled conv_tile16 / conv_tile16x6 kernels with per-ξ weights and the tile slice as
// their depth (kd = 1). Layouts (tz tile slices of th tile rows, rows padded to tw8 = a multiple
// of 8 tiles, a slice's th·tw8 slots stored as R rows of TW, a multiple of 16, as Winograd 4×4):
//   V [64·N][tz][R][Cin][TW]   the transformed input (conv_pad_input's layout)
//   U [64][CB][Cin][8]         the transformed weights, 8 output channels innermost
//   M [64·N][Cout][tz][R·TW]   the GEMM result, then y = Aᵀ M (per axis) + bias.
// ξ = (ζ·4 + η)·4 + χ for the depth, row and column transform points.

WINO_GEMM16X16_KERNEL(conv3x3x3_wino2_gemm16x16, 0)
WINO_GEMM16X6_KERNEL(conv3x3x3_wino2_gemm16x6, 0)

// G g for one 3-tap line: G rows (1, 0, 0), (½, ½, ½), (½, -½, ½), (0, 0, 1).
#define WINO2_G(a, b, c, o0, o1, o2, o3) \
    o0 = a; o1 = 0.5f * ((a) + (b) + (c)); o2 = 0.5f * ((a) - (b) + (c)); o3 = c;

// U for w [Cout][Cin][3][3][3]; bp[CB·8] = 0 (the GEMM adds no bias). One work-item per input
// channel and block of eight output channels (the lanes of float8), so for each point ξ
// consecutive items store consecutive eight-float runs (as conv3x3_wino4_weights). Global (Cin, CB).
__kernel void conv3x3x3_wino2_weights(__global const float* w, __global float* U, __global float* bp,
                                      int Cin, int Cout, int CB) {
    int ic = get_global_id(0), ob = get_global_id(1);
    if (ic >= Cin || ob >= CB) return;
    if (ic == 0) vstore8((float8)(0.0f), ob, bp);
    float lanes[27][8];
    for (int l = 0; l < 8; ++l) {
        int oc = ob * 8 + l;
        __global const float* src = w + ((long)min(oc, Cout - 1) * Cin + ic) * 27;
        for (int i = 0; i < 27; ++i) lanes[i][l] = oc < Cout ? src[i] : 0.0f;
    }
    float8 a[3][3][4], b[3][4][4];
    for (int z = 0; z < 3; ++z)
        for (int y = 0; y < 3; ++y) {
            float8 g0 = vload8(0, lanes[(z * 3 + y) * 3]), g1 = vload8(0, lanes[(z * 3 + y) * 3 + 1]);
            float8 g2 = vload8(0, lanes[(z * 3 + y) * 3 + 2]);
            WINO2_G(g0, g1, g2, a[z][y][0], a[z][y][1], a[z][y][2], a[z][y][3])
        }
    for (int z = 0; z < 3; ++z)
        for (int x = 0; x < 4; ++x) { WINO2_G(a[z][0][x], a[z][1][x], a[z][2][x], b[z][0][x], b[z][1][x], b[z][2][x], b[z][3][x]) }
    long plane = (long)CB * Cin * 8;
    __global float* u = U + ((long)ob * Cin + ic) * 8;
    for (int h = 0; h < 16; ++h) {
        float8 o0, o1, o2, o3;
        WINO2_G(b[0][h / 4][h % 4], b[1][h / 4][h % 4], b[2][h / 4][h % 4], o0, o1, o2, o3)
        vstore8(o0, 0, u + (0 * 16 + h) * plane);
        vstore8(o1, 0, u + (1 * 16 + h) * plane);
        vstore8(o2, 0, u + (2 * 16 + h) * plane);
        vstore8(o3, 0, u + (3 * 16 + h) * plane);
    }
}

// Bᵀ d for one 4-point line: Bᵀ rows (1, 0, -1, 0), (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, 0, -1).
#define WINO2_BT(d0, d1, d2, d3, o0, o1, o2, o3) \
    o0 = (d0) - (d2); o1 = (d1) + (d2); o2 = (d2) - (d1); o3 = (d1) - (d3);

// The 16 (η, χ) points of depth point ζ for 8 consecutive tiles (lanes): the depth transform
// Bᵀ row ζ is pa + s·pb for input planes pa, pb of the patch (s = ±1), then rows and columns
// (column k of lane j at 2j + k: the even/odd halves of 16 loaded columns at 0 and at 2).
// o[η][χ] is point η·4 + χ.
static inline void wino2_input_depth_transform(__global const float* pa, __global const float* pb, float s,
                                               long rowPitch, float8 o[4][4]) {
    float8 t[4][4];
    for (int i = 0; i < 4; ++i) {
        float16 lo = vload16(0, pa + i * rowPitch) + s * vload16(0, pb + i * rowPitch);
        float16 hi = vload16(0, pa + i * rowPitch + 2) + s * vload16(0, pb + i * rowPitch + 2);
        WINO2_BT(lo.even, lo.odd, hi.even, hi.odd, t[i][0], t[i][1], t[i][2], t[i][3])
    }
    for (int j = 0; j < 4; ++j) { WINO2_BT(t[0][j], t[1][j], t[2][j], t[3][j], o[0][j], o[1][j], o[2][j], o[3][j]) }
}

// Depth point ζ's 16 points stored as float8 runs (lane layout) at v + (η·4 + χ)·plane.
static inline void wino2_input_depth_point(__global const float* pa, __global const float* pb, float s,
                                           long rowPitch, __global float* v, long plane) {
    float8 o[4][4];
    wino2_input_depth_transform(pa, pb, s, rowPitch, o);
    for (int h = 0; h < 16; ++h) vstore8(o[h / 4][h % 4], 0, v + h * plane);
}

// Depth point ζ's 16 points for the dense layout: lane j stored at v + (η·4 + χ)·plane + at.sj
// (its tile's slot) when j < count (the chunk's tiles that exist), the other lanes not at all.
static inline void wino2_input_depth_point_dense(__global const float* pa, __global const float* pb, float s,
                                                 long rowPitch, __global float* v, long plane, int8 at, int count) {
    float8 o[4][4];
    wino2_input_depth_transform(pa, pb, s, rowPitch, o);
    for (int h = 0; h < 16; ++h) {
        __global float* w = v + h * plane;
        float8 r = o[h / 4][h % 4];
        w[at.s0] = r.s0;
        if (count > 1) w[at.s1] = r.s1;
        if (count > 2) w[at.s2] = r.s2;
        if (count > 3) w[at.s3] = r.s3;
        if (count > 4) w[at.s4] = r.s4;
        if (count > 5) w[at.s5] = r.s5;
        if (count > 6) w[at.s6] = r.s6;
        if (count > 7) w[at.s7] = r.s7;
    }
}

// V from the zero-padded input xp [N][Dp][Hp][Cin][Wp] (conv_pad_input with Dp = 2·tz + 2,
// Hp = 2·th + 2, Wp = 2·tw8 + 2: no read needs a bounds check). Slot σ = ty·tw8 + tx of tile
// slice sl = n·tz + z is V[ξ][sl][σ / TW][c][σ % TW]. One work-item per 8 consecutive tiles of
// a tile row, channel and tile slice; tiles past tw hold zeros or their neighbours' inputs and
// are never stored by conv3x3x3_wino2_output. Global (th·tw8/8, Cin, N·tz).
__kernel void conv3x3x3_wino2_input(__global const float* xp, __global float* V, int Cin, int Dp, int Hp, int Wp,
                                    int tz, int th, int tw8, int R, int TW, int slices) {
    int q = get_global_id(0), c = get_global_id(1), slice = get_global_id(2);
    if (q * 8 >= th * tw8 || c >= Cin || slice >= slices) return;
    int sigma = q * 8, ty = sigma / tw8, tx = sigma % tw8;
    int n = slice / tz, z = slice % tz;
    long rowPitch = (long)Cin * Wp, planePitch = (long)Hp * rowPitch;
    __global const float* p = xp + ((long)(n * Dp + 2 * z) * Hp + 2 * ty) * rowPitch + (long)c * Wp + 2 * tx;
    long plane = (long)slices * R * Cin * TW;
    __global float* v = V + (((long)slice * R + sigma / TW) * Cin + c) * TW + sigma % TW;
    wino2_input_depth_point(p, p + 2 * planePitch, -1.0f, rowPitch, v, plane);
    wino2_input_depth_point(p + planePitch, p + 2 * planePitch, 1.0f, rowPitch, v + 16 * plane, plane);
    wino2_input_depth_point(p + 2 * planePitch, p + planePitch, -1.0f, rowPitch, v + 32 * plane, plane);
    wino2_input_depth_point(p + planePitch, p + 3 * planePitch, -1.0f, rowPitch, v + 48 * plane, plane);
}

// Aᵀ m for one 4-point line: Aᵀ rows (1, 1, 1, 0), (0, 1, -1, -1).
#define WINO2_AT(m0, m1, m2, m3, o0, o1) o0 = (m0) + (m1) + (m2); o1 = (m1) - (m2) - (m3);

// y [N][Cout][Do][Ho][Wo] = Aᵀ M along depth, rows and columns (+ bias) for 8 consecutive tiles
// of a tile row per work-item (lanes of float8), M [64][N][Cout][tz][R·TW] in
// conv3x3x3_wino2_input's slot order, then the fused activation (-DCONV_ACT, when given); whole
// 16-wide output rows are stored as vectors, edge rows per element. Global (th·tw8/8, Cout, N·tz).
__kernel void conv3x3x3_wino2_output(__global const float* M, __global const float* bias, __global float* y,
                                     int Cout, int Do, int Ho, int Wo, int tz, int th, int tw, int tw8, int RTW, int N, int hasBias) {
    int q = get_global_id(0), k = get_global_id(1), s = get_global_id(2);
    int sigma = q * 8, ty = sigma / tw8, tx = sigma % tw8;
    if (sigma >= th * tw8 || tx >= tw || k >= Cout || s >= N * tz) return;
    int n = s / tz, zt = s % tz;
    long plane = (long)N * Cout * tz * RTW;
    __global const float* m = M + (((long)n * Cout + k) * tz + zt) * RTW + sigma;
    float8 e[2][4][4];
    for (int h = 0; h < 16; ++h) {
        float8 m0 = vload8(0, m + (0 * 16 + h) * plane), m1 = vload8(0, m + (1 * 16 + h) * plane);
        float8 m2 = vload8(0, m + (2 * 16 + h) * plane), m3 = vload8(0, m + (3 * 16 + h) * plane);
        WINO2_AT(m0, m1, m2, m3, e[0][h / 4][h % 4], e[1][h / 4][h % 4])
    }
    float b = hasBias != 0 ? bias[k] : 0.0f;
    int oz = zt * 2, oy = ty * 2, ox = tx * 2;
    bool whole = ox + 16 <= Wo;
    for (int dz = 0; dz < 2 && oz + dz < Do; ++dz) {
        float8 f[2][4];
        for (int x = 0; x < 4; ++x) { WINO2_AT(e[dz][0][x], e[dz][1][x], e[dz][2][x], e[dz][3][x], f[0][x], f[1][x]) }
        for (int dy = 0; dy < 2 && oy + dy < Ho; ++dy) {
            float8 o0, o1;
            WINO2_AT(f[dy][0], f[dy][1], f[dy][2], f[dy][3], o0, o1)
            o0 = CONV_ACTIVATE(o0 + b); o1 = CONV_ACTIVATE(o1 + b);
            __global float* r = y + ((((long)n * Cout + k) * Do + oz + dz) * Ho + oy + dy) * Wo + ox;
            if (whole) {
                vstore16((float16)(o0.s0, o1.s0, o0.s1, o1.s1, o0.s2, o1.s2, o0.s3, o1.s3,
                                   o0.s4, o1.s4, o0.s5, o1.s5, o0.s6, o1.s6, o0.s7, o1.s7), 0, r);
            } else {
                float lanes[2][8];
                vstore8(o0, 0, lanes[0]); vstore8(o1, 0, lanes[1]);
                for (int x = 0; x < 16 && ox + x < Wo; ++x) r[x] = lanes[x % 2][x / 2];
            }
        }
    }
}

// The same F(2×2×2, 3×3×3) with the output tiles of a volume packed densely (`Winograd3DLayout.dense`:
// output rows of fewer tiles than a multiple of 8, e.g. LivePortrait's hourglass at 4² and 8²,
// where the lane layout above leaves ½–¾ of every GEMM row as padding): tile t = (z·th + ty)·tw + tx
// of batch item n is GEMM slot t of "slice" n (one slice per item, R rows of TW slots, t ≥ tz·th·tw
// unused). The arithmetic per tile is the lane kernels' in the same order (the input transform is
// theirs; Aᵀ along depth, rows, then columns), so results equal the lane layout's bit for bit.
//   V [64·N][R][Cin][TW], M [64·N][Cout][R·TW]; U as above.

// V in the dense layout, from the zero-padded input as conv3x3x3_wino2_input reads it (the lane
// layout's extents, Wp = 2·tw8 + 2): the lane kernel's arithmetic for the 8 tiles of a chunk of a
// tile row (lanes), each existing tile (tx < tw) stored at its slot t = (z·th + ty)·tw + tx, the
// lanes past tw not at all. At tw = 2 or 4 (LivePortrait's 4² and 8² planes) that writes ¼ or ½
// of what the lane layout writes. Global (th·tw8/8, Cin, N·tz).
__kernel void conv3x3x3_wino2_input_dense(__global const float* xp, __global float* V, int Cin, int Dp, int Hp, int Wp,
                                          int tz, int th, int tw, int tw8, int R, int TW, int N) {
    int q = get_global_id(0), c = get_global_id(1), slice = get_global_id(2);
    if (q * 8 >= th * tw8 || c >= Cin || slice >= N * tz) return;
    int sigma = q * 8, ty = sigma / tw8, tx = sigma % tw8;
    int n = slice / tz, z = slice % tz;
    long rowPitch = (long)Cin * Wp, planePitch = (long)Hp * rowPitch;
    __global const float* p = xp + ((long)(n * Dp + 2 * z) * Hp + 2 * ty) * rowPitch + (long)c * Wp + 2 * tx;
    int t0 = (z * th + ty) * tw + tx, count = min(8, tw - tx);
    int8 t = (int8)(t0) + (int8)(0, 1, 2, 3, 4, 5, 6, 7);
    int8 at = ((int8)(n * R) + t / TW) * Cin * TW + (int8)(c * TW) + t % TW;
    long plane = (long)N * R * Cin * TW;
    wino2_input_depth_point_dense(p, p + 2 * planePitch, -1.0f, rowPitch, V, plane, at, count);
    wino2_input_depth_point_dense(p + planePitch, p + 2 * planePitch, 1.0f, rowPitch, V + 16 * plane, plane, at, count);
    wino2_input_depth_point_dense(p + 2 * planePitch, p + planePitch, -1.0f, rowPitch, V + 32 * plane, plane, at, count);
    wino2_input_depth_point_dense(p + planePitch, p + 3 * planePitch, -1.0f, rowPitch, V + 48 * plane, plane, at, count);
}

// y [N][Cout][Do][Ho][Wo] = Aᵀ M along depth, rows and columns (+ bias, then CONV_ACTIVATE) for
// tile t of output channel k, item n; M [64·N][Cout][R·TW]. Global (tz·th·tw, Cout, N).
__kernel void conv3x3x3_wino2_output_dense(__global const float* M, __global const float* bias, __global float* y,
                                           int Cout, int Do, int Ho, int Wo, int tz, int th, int tw, int RTW, int N, int hasBias) {
    int t = get_global_id(0), k = get_global_id(1), n = get_global_id(2);
    if (t >= tz * th * tw || k >= Cout || n >= N) return;
    int tx = t % tw, ty = (t / tw) % th, tzi = t / (tw * th);
    long plane = (long)N * Cout * RTW;
    __global const float* m = M + ((long)n * Cout + k) * RTW + t;
    float e[2][4][4];
#pragma unroll
    for (int h = 0; h < 16; ++h) {
        WINO2_AT(m[(0 * 16 + h) * plane], m[(1 * 16 + h) * plane], m[(2 * 16 + h) * plane], m[(3 * 16 + h) * plane],
                 e[0][h / 4][h % 4], e[1][h / 4][h % 4])
    }
    float b = hasBias != 0 ? bias[k] : 0.0f;
    int oz = tzi * 2, oy = ty * 2, ox = tx * 2;
    for (int dz = 0; dz < 2 && oz + dz < Do; ++dz) {
        float f[2][4];
#pragma unroll
        for (int x = 0; x < 4; ++x) { WINO2_AT(e[dz][0][x], e[dz][1][x], e[dz][2][x], e[dz][3][x], f[0][x], f[1][x]) }
        for (int dy = 0; dy < 2 && oy + dy < Ho; ++dy) {
            float o0, o1;
            WINO2_AT(f[dy][0], f[dy][1], f[dy][2], f[dy][3], o0, o1)
            __global float* r = y + ((((long)n * Cout + k) * Do + oz + dz) * Ho + oy + dy) * Wo + ox;
            r[0] = CONV_ACTIVATE(o0 + b);
            if (ox + 1 < Wo) r[1] = CONV_ACTIVATE(o1 + b);
        }
    }
}

// ==== Winograd F(4, 7) along x for stride-1 convolutions 7 wide (ConvolutionWinograd7.swift) ====
//
// Variant conv.winograd7=rows under conv.algorithm=winograd4: a kd×kh×7 convolution (LivePortrait's
// 7×7×7 dense-motion mask, 142 → 22) as Y = Aᵀ[Σ U ⊙ V] along x per 4-wide output tile, 10
// multiplies for 4 outputs instead of 28 (2.8× fewer). Points 0, ±1, ±2, ±1/2, ±4/3 and ∞ (the
// set with the smallest float32 error among those tried: ≈ 2e-5 of the largest output against
// 1e-7 for the direct sum, 142·49-term reductions of random data). The Σ over input channels and
// the kd×kh taps is one kd×kh×1 convolution per point ξ, run by the register-tiled direct kernels
// with per-ξ weights (as the F(4×4, 3×3) GEMM). Layouts (TW = tiles per output row rounded up to
// 16, the GEMM's vector; T = ⌈Wo/4⌉ tiles are used):
//   U [10][CB][kd][kh][Cin][8]    the transformed weights, 8 output channels innermost
//   V [10·N][Dp][Hp][Cin][TW]     the transformed input rows of the zero-padded volume
//   M [10·N][Cout][Do][Ho][TW]    the GEMM result, then y = AᵀM + bias.
// ξ order: 0, +1, −1, +2, −2, +1/2, −1/2, +4/3, −4/3, ∞; the ± pairs share even and odd parts.

// U for w [Cout][Cin][kd][kh][7]: G rows (1, a, a², …, a⁶) at the finite points, (0, …, 0, 1) at
// ∞. bp[CB·8] = 0 (the GEMM adds no bias). One work-item per input channel, kd×kh tap and block
// of eight output channels (the lanes of float8). Global (Cin, CB·KD·KH).
#define WINO7_G_PAIR(XI, A)                                                                         \
    {                                                                                               \
        float8 e = g0 + (A) * (A) * (g2 + (A) * (A) * (g4 + (A) * (A) * g6));                       \
        float8 o = (A) * (g1 + (A) * (A) * (g3 + (A) * (A) * g5));                                  \
        vstore8(e + o, 0, u + (XI) * plane);                                                        \
        vstore8(e - o, 0, u + ((XI) + 1) * plane);                                                  \
    }
__kernel void conv_k7_wino_weights(__global const float* w, __global float* U, __global float* bp,
                                   int Cin, int Cout, int KD, int KH, int CB) {
    int ic = get_global_id(0), bk = get_global_id(1);
    int taps = KD * KH;
    if (ic >= Cin || bk >= CB * taps) return;
    int ob = bk / taps, kk = bk % taps;
    if (ic == 0 && kk == 0) vstore8((float8)(0.0f), ob, bp);
    float lanes[7][8];
    for (int l = 0; l < 8; ++l) {
        int oc = ob * 8 + l;
        for (int kx = 0; kx < 7; ++kx)
            lanes[kx][l] = oc < Cout ? w[(((long)oc * Cin + ic) * taps + kk) * 7 + kx] : 0.0f;
    }
    float8 g0 = vload8(0, lanes[0]), g1 = vload8(0, lanes[1]), g2 = vload8(0, lanes[2]), g3 = vload8(0, lanes[3]);
    float8 g4 = vload8(0, lanes[4]), g5 = vload8(0, lanes[5]), g6 = vload8(0, lanes[6]);
    long plane = (long)CB * taps * Cin * 8;
    __global float* u = U + ((long)bk * Cin + ic) * 8;
    vstore8(g0, 0, u);
    WINO7_G_PAIR(1, 1.0f)
    WINO7_G_PAIR(3, 2.0f)
    WINO7_G_PAIR(5, 0.5f)
    WINO7_G_PAIR(7, 4.0f / 3.0f)
    vstore8(g6, 0, u + 9 * plane);
}

// V for 16 output tiles of one padded input row (lanes of float16: tile t reads x[4t − pw …
// 4t − pw + 9]), zero padding applied while reading. Bᵀ (the inverse transposed Vandermonde of
// the points, ∞ last) split into even and odd parts per ± pair. Global (TW/16, Cin, N·Dp·Hp).
#define WINO7_BT_PAIR(XI, c1, c3, c5, c7, c2, c4, c6, c8)                \
    {                                                                     \
        float16 o = (c1) * d1 + (c3) * d3 + (c5) * d5 + (c7) * d7;        \
        float16 e = (c2) * d2 + (c4) * d4 + (c6) * d6 + (c8) * d8;        \
        vstore16(e + o, 0, v + (XI) * plane);                             \
        vstore16(e - o, 0, v + ((XI) + 1) * plane);                       \
    }
__kernel void conv_k7_wino_input(__global const float* x, __global float* V, int Cin, int D, int H, int W,
                                 int Dp, int Hp, int pd, int ph, int pw, int TW, int N) {
    int q = get_global_id(0), c = get_global_id(1), row = get_global_id(2);
    if (q * 16 >= TW || c >= Cin || row >= N * Dp * Hp) return;
    int yp = row % Hp, zp = (row / Hp) % Dp, n = row / (Hp * Dp);
    int z = zp - pd, yy = yp - ph;
    int valid = z >= 0 && z < D && yy >= 0 && yy < H;
    __global const float* src = x + ((((long)n * Cin + c) * D + (valid ? z : 0)) * H + (valid ? yy : 0)) * W;
    int x0 = q * 64 - pw;
    // d_j (lane l = x[x0 + 4l + j]) as swizzles of 16-value runs at x0, x0 + 4 and x0 + 8.
    float16 a0 = wino4_load16(src, x0, W, valid), a1 = wino4_load16(src, x0 + 16, W, valid);
    float16 a2 = wino4_load16(src, x0 + 32, W, valid), a3 = wino4_load16(src, x0 + 48, W, valid);
    float16 b0 = wino4_load16(src, x0 + 4, W, valid), b1 = wino4_load16(src, x0 + 20, W, valid);
    float16 b2 = wino4_load16(src, x0 + 36, W, valid), b3 = wino4_load16(src, x0 + 52, W, valid);
    float16 c0 = wino4_load16(src, x0 + 8, W, valid), c1 = wino4_load16(src, x0 + 24, W, valid);
    float16 c2 = wino4_load16(src, x0 + 40, W, valid), c3 = wino4_load16(src, x0 + 56, W, valid);
    float16 d0 = (float16)(a0.s048c, a1.s048c, a2.s048c, a3.s048c), d1 = (float16)(a0.s159d, a1.s159d, a2.s159d, a3.s159d);
    float16 d2 = (float16)(a0.s26ae, a1.s26ae, a2.s26ae, a3.s26ae), d3 = (float16)(a0.s37bf, a1.s37bf, a2.s37bf, a3.s37bf);
    float16 d4 = (float16)(b0.s048c, b1.s048c, b2.s048c, b3.s048c), d5 = (float16)(b0.s159d, b1.s159d, b2.s159d, b3.s159d);
    float16 d6 = (float16)(b0.s26ae, b1.s26ae, b2.s26ae, b3.s26ae), d7 = (float16)(b0.s37bf, b1.s37bf, b2.s37bf, b3.s37bf);
    float16 d8 = (float16)(c0.s048c, c1.s048c, c2.s048c, c3.s048c), d9 = (float16)(c0.s159d, c1.s159d, c2.s159d, c3.s159d);
    long plane = (long)N * Dp * Hp * Cin * TW;
    __global float* v = V + (((long)row * Cin + c) * TW + q * 16);
    vstore16(d0 - (93.0f / 16.0f) * d2 + (525.0f / 64.0f) * d4 - (253.0f / 64.0f) * d6 + (9.0f / 16.0f) * d8, 0, v);
    WINO7_BT_PAIR(1, -32.0f / 63.0f, 22.0f / 9.0f, -31.0f / 18.0f, 2.0f / 7.0f,
                     -32.0f / 63.0f, 22.0f / 9.0f, -31.0f / 18.0f, 2.0f / 7.0f)
    WINO7_BT_PAIR(3, -1.0f / 225.0f, 89.0f / 3600.0f, -109.0f / 3600.0f, 1.0f / 100.0f,
                     -1.0f / 450.0f, 89.0f / 7200.0f, -109.0f / 7200.0f, 1.0f / 200.0f)
    WINO7_BT_PAIR(5, 4096.0f / 2475.0f, -7424.0f / 2475.0f, 3904.0f / 2475.0f, -64.0f / 275.0f,
                     8192.0f / 2475.0f, -14848.0f / 2475.0f, 7808.0f / 2475.0f, -128.0f / 275.0f)
    WINO7_BT_PAIR(7, 2187.0f / 15400.0f, -6561.0f / 8800.0f, 6561.0f / 8800.0f, -2187.0f / 15400.0f,
                     6561.0f / 61600.0f, -19683.0f / 35200.0f, 19683.0f / 35200.0f, -6561.0f / 61600.0f)
    vstore16((16.0f / 9.0f) * d1 - (31.0f / 3.0f) * d3 + (175.0f / 12.0f) * d5 - (253.0f / 36.0f) * d7 + d9, 0, v + 9 * plane);
}

// M[ξ·N + n] = U[ξ] · V[ξ·N + n]: the tile kernels with KW = 1 over the kd×kh taps and the
// weights of point ξ. Global as conv_tile16 (OB channel blocks per work-item) / conv_tile16x6
// with batch 10·N, Wp = Wo = TW.
#define WINO7_GEMM16_KERNEL(NAME, OB) \
    __kernel void NAME(CONV_TILE_PARAMS, int N) { \
        conv_tile16(xp, wt + get_global_id(2) / (Do * Ho) / N * CB * KD * KH * Cin * 8, bp, y, Cin, Cout, CB, KD, KH, Dp, Hp, Wp, Do, Ho, Wo, tilesX, 1, 1, 1, OB, 0); }

WINO7_GEMM16_KERNEL(conv_k7_wino_gemm8x16, 1)
WINO7_GEMM16_KERNEL(conv_k7_wino_gemm16x16, 2)
WINO7_GEMM16_KERNEL(conv_k7_wino_gemm24x16, 3)
__kernel void conv_k7_wino_gemm16x6(CONV_TILE_PARAMS, int N) {
    conv_tile16x6(xp, wt + get_global_id(2) / (Do * Ho) / N * CB * KD * KH * Cin * 8, bp, y, Cin, Cout, CB, KD, KH, Dp, Hp, Wp, Do, Ho, Wo, tilesX, 1, 1, 1, 0);
}

// y[n][k][oz][oy][4t + i] = AᵀM (+ bias, then CONV_ACTIVATE) for 16 tiles of one output row
// (lanes of float16); Aᵀ rows aⁱ at the finite points (0⁰ = 1) and (0, 0, 0, 1) at ∞.
// Outputs past Wo are not stored. Global (TW/16, Cout, N·Do·Ho).
#define WINO7_AT_PAIR(XI, A)                                                  \
    {                                                                         \
        float16 mp = vload16(0, m + (XI) * plane), mn = vload16(0, m + ((XI) + 1) * plane); \
        float16 sum = mp + mn, dif = mp - mn;                                     \
        o0 += sum; o1 += (A) * dif; o2 += (A) * (A) * sum; o3 += (A) * (A) * (A) * dif; \
    }
__kernel void conv_k7_wino_output(__global const float* M, __global const float* bias, __global float* y,
                                  int Cout, int Do, int Ho, int Wo, int TW, int N, int hasBias) {
    int q = get_global_id(0), k = get_global_id(1), row = get_global_id(2);
    if (q * 16 >= TW || k >= Cout || row >= N * Do * Ho) return;
    int n = row / (Do * Ho), r = row % (Do * Ho);
    long plane = (long)N * Cout * Do * Ho * TW;
    __global const float* m = M + (((long)n * Cout + k) * Do * Ho + r) * TW + q * 16;
    float16 o0 = vload16(0, m), o1 = (float16)(0.0f), o2 = (float16)(0.0f), o3 = vload16(0, m + 9 * plane);
    WINO7_AT_PAIR(1, 1.0f)
    WINO7_AT_PAIR(3, 2.0f)
    WINO7_AT_PAIR(5, 0.5f)
    WINO7_AT_PAIR(7, 4.0f / 3.0f)
    float b = hasBias != 0 ? bias[k] : 0.0f;
    float out[64];
    vstore16(o0, 0, out); vstore16(o1, 1, out); vstore16(o2, 2, out); vstore16(o3, 3, out);
    __global float* dst = y + (((long)n * Cout + k) * Do * Ho + r) * Wo;
    int x0 = q * 64;
    for (int t = 0; t < 16; ++t)
        for (int i = 0; i < 4; ++i) {
            int xo = x0 + 4 * t + i;
            if (xo < Wo) dst[xo] = CONV_ACTIVATE(out[i * 16 + t] + b);
        }
}

// ==== Linear (Sources/Kernels/Linear*.swift) ====
//
// GEMM for matmul and linear. gemm_nn_tile: each work-item computes 8 rows × 8 columns of C in
// eight named float8 accumulators (opencl-notes §1.8: 75–98 GFLOP/s on PoCL for this shape of
// kernel); rows past M are clamped (computed, never stored) so the k loop has no branches.
// linear_rows: y = x·wᵀ for few rows (batch-1 linear layers), reading both operands along k.

#define GEMM_ROW_MADS(BV, K)                                  \
    c0 = mad((float8)(r0[K]), BV, c0); c1 = mad((float8)(r1[K]), BV, c1); \
    c2 = mad((float8)(r2[K]), BV, c2); c3 = mad((float8)(r3[K]), BV, c3); \
    c4 = mad((float8)(r4[K]), BV, c4); c5 = mad((float8)(r5[K]), BV, c5); \
    c6 = mad((float8)(r6[K]), BV, c6); c7 = mad((float8)(r7[K]), BV, c7);

// Up to 8 floats p[0..valid-1] as a float8 padded with zeros.
static inline float8 gemm_load_partial(__global const float* p, int valid) {
    float8 v = (float8)(0.0f);
    if (valid > 0) v.s0 = p[0];
    if (valid > 1) v.s1 = p[1];
    if (valid > 2) v.s2 = p[2];
    if (valid > 3) v.s3 = p[3];
    if (valid > 4) v.s4 = p[4];
    if (valid > 5) v.s5 = p[5];
    if (valid > 6) v.s6 = p[6];
    if (valid > 7) v.s7 = p[7];
    return v;
}

static inline void gemm_store_partial(__global float* p, float8 v, int valid) {
    if (valid >= 8) { vstore8(v, 0, p); return; }
    if (valid > 0) p[0] = v.s0;
    if (valid > 1) p[1] = v.s1;
    if (valid > 2) p[2] = v.s2;
    if (valid > 3) p[3] = v.s3;
    if (valid > 4) p[4] = v.s4;
    if (valid > 5) p[5] = v.s5;
    if (valid > 6) p[6] = v.s6;
}

// C[b] (M×N) = A[b] (M×K) · B[b] (K×N) (+ bias[n] when hasBias), row-major; a batch stride of 0
// broadcasts that operand. Global (⌈N/8⌉, ⌈M/8⌉, batch).
__kernel void gemm_nn_tile(__global const float* A, __global const float* B, __global const float* bias,
                           __global float* C, int M, int N, int K,
                           int strideA, int strideB, int strideC, int hasBias) {
    int n0 = get_global_id(0) * 8;
    int m0 = get_global_id(1) * 8;
    int b = get_global_id(2);
    if (n0 >= N || m0 >= M) return;
    A += b * strideA;
    B += b * strideB;
    C += b * strideC;
    int cols = N - n0;
    __global const float* r0 = A + min(m0 + 0, M - 1) * K;
    __global const float* r1 = A + min(m0 + 1, M - 1) * K;
    __global const float* r2 = A + min(m0 + 2, M - 1) * K;
    __global const float* r3 = A + min(m0 + 3, M - 1) * K;
    __global const float* r4 = A + min(m0 + 4, M - 1) * K;
    __global const float* r5 = A + min(m0 + 5, M - 1) * K;
    __global const float* r6 = A + min(m0 + 6, M - 1) * K;
    __global const float* r7 = A + min(m0 + 7, M - 1) * K;
    float8 init = hasBias != 0 ? gemm_load_partial(bias + n0, cols) : (float8)(0.0f);
    float8 c0 = init, c1 = init, c2 = init, c3 = init, c4 = init, c5 = init, c6 = init, c7 = init;
    __global const float* bp = B + n0;
    if (cols >= 8) {
        for (int k = 0; k < K; ++k, bp += N) {
            float8 bv = vload8(0, bp);
            GEMM_ROW_MADS(bv, k)
        }
    } else {
        for (int k = 0; k < K; ++k, bp += N) {
            float8 bv = gemm_load_partial(bp, cols);
            GEMM_ROW_MADS(bv, k)
        }
    }
    __global float* out = C + m0 * N + n0;
    int rows = M - m0;
    gemm_store_partial(out, c0, cols);
    if (rows > 1) gemm_store_partial(out + N, c1, cols);
    if (rows > 2) gemm_store_partial(out + 2 * N, c2, cols);
    if (rows > 3) gemm_store_partial(out + 3 * N, c3, cols);
    if (rows > 4) gemm_store_partial(out + 4 * N, c4, cols);
    if (rows > 5) gemm_store_partial(out + 5 * N, c5, cols);
    if (rows > 6) gemm_store_partial(out + 6 * N, c6, cols);
    if (rows > 7) gemm_store_partial(out + 7 * N, c7, cols);
}

// wt[k][n] = w[n][k] for w [N][K]. Global (N, K).
__kernel void linear_transpose(__global const float* w, __global float* wt, int N, int K) {
    int n = get_global_id(0);
    int k = get_global_id(1);
    if (n < N && k < K) wt[k * N + n] = w[n * K + k];
}

static inline float linear_sum8(float8 v) {
    float4 s = v.lo + v.hi;
    return (s.x + s.y) + (s.z + s.w);
}

// y[m][n] = Σ_k x[m][k]·w[n][k] (+ bias[n]) for outputs n0..n0+7 of row m; k runs 8-wide with
// float8 partial sums (rows of w past N are clamped and never stored). Global (⌈N/8⌉, M).
__kernel void linear_rows(__global const float* x, __global const float* w, __global const float* bias,
                          __global float* y, int M, int N, int K, int hasBias) {
    int n0 = get_global_id(0) * 8;
    int m = get_global_id(1);
    if (n0 >= N || m >= M) return;
    __global const float* xr = x + m * K;
    __global const float* w0 = w + min(n0 + 0, N - 1) * K;
    __global const float* w1 = w + min(n0 + 1, N - 1) * K;
    __global const float* w2 = w + min(n0 + 2, N - 1) * K;
    __global const float* w3 = w + min(n0 + 3, N - 1) * K;
    __global const float* w4 = w + min(n0 + 4, N - 1) * K;
    __global const float* w5 = w + min(n0 + 5, N - 1) * K;
    __global const float* w6 = w + min(n0 + 6, N - 1) * K;
    __global const float* w7 = w + min(n0 + 7, N - 1) * K;
    float8 s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f, s4 = 0.0f, s5 = 0.0f, s6 = 0.0f, s7 = 0.0f;
    int k8 = K & ~7;
    for (int k = 0; k < k8; k += 8) {
        float8 xv = vload8(0, xr + k);
        s0 = mad(vload8(0, w0 + k), xv, s0);
        s1 = mad(vload8(0, w1 + k), xv, s1);
        s2 = mad(vload8(0, w2 + k), xv, s2);
        s3 = mad(vload8(0, w3 + k), xv, s3);
        s4 = mad(vload8(0, w4 + k), xv, s4);
        s5 = mad(vload8(0, w5 + k), xv, s5);
        s6 = mad(vload8(0, w6 + k), xv, s6);
        s7 = mad(vload8(0, w7 + k), xv, s7);
    }
    float8 t = (float8)(linear_sum8(s0), linear_sum8(s1), linear_sum8(s2), linear_sum8(s3),
                        linear_sum8(s4), linear_sum8(s5), linear_sum8(s6), linear_sum8(s7));
    for (int k = k8; k < K; ++k) {
        float xk = xr[k];
        t = mad((float8)(xk), (float8)(w0[k], w1[k], w2[k], w3[k], w4[k], w5[k], w6[k], w7[k]), t);
    }
    int cols = N - n0;
    if (hasBias != 0) t += gemm_load_partial(bias + n0, cols);
    gemm_store_partial(y + m * N + n0, t, cols);
}

// ==== Normalization (Sources/Kernels/Normalization*.swift) ====

// Group statistics in three launches: partial (two-pass mean / M2 over cache-resident tiles),
// finalize (exact combination of the partials, two-pass over the partial means, then the
// per-channel mean / scale / shift), apply (y = (x - mean) * scale + shift).
#define GN_LANES 64
#define GN_PER_ITEM 64
#define GN_TILE (GN_LANES * GN_PER_ITEM)

// global [GN_LANES * tiles, groups], local [GN_LANES, 1]. Work-group t of group g covers the
// GN_TILE contiguous elements starting at t * GN_TILE; lane j reads j, j + GN_LANES, ... so
// consecutive work-items touch consecutive addresses. Each lane writes (count, mean, M2) of
// its own elements to partial[0|1|2][(g * tiles + t) * GN_LANES + j] (struct of arrays).
__kernel __attribute__((reqd_work_group_size(GN_LANES, 1, 1))) void group_norm_partial(__global const float* x, __global float* partial,
                                 int groupLength, int tiles, int totalPartials) {
    int lane = get_local_id(0);
    int tile = get_group_id(0);
    int grp = get_global_id(1);
    __global const float* src = x + (size_t)grp * (size_t)groupLength;
    int start = tile * GN_TILE + lane;
    float sum = 0.0f;
    int count = 0;
    for (int k = 0; k < GN_PER_ITEM; k++) {
        int p = start + k * GN_LANES;
        if (p < groupLength) { sum += src[p]; count++; }
    }
    float mean = count > 0 ? sum / (float)count : 0.0f;
    float m2 = 0.0f;
    for (int k = 0; k < GN_PER_ITEM; k++) {
        int p = start + k * GN_LANES;
        if (p < groupLength) { float d = src[p] - mean; m2 = fma(d, d, m2); }
    }
    int index = (grp * tiles + tile) * GN_LANES + lane;
    partial[index] = (float)count;
    partial[totalPartials + index] = mean;
    partial[2 * totalPartials + index] = m2;
}

// CPU variant of group_norm_partial (PoCL does not vectorise across work-items when the body
// has its own loop): one work-item per GN_SEGMENT contiguous elements of a group, float8 loads,
// pairwise lane sums, second pass from cache. global [segments, groups]; partial layout as above
// with segments partials per group.
#define GN_SEGMENT 1024
static inline float gn_hsum8(float8 v) { return ((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7)); }
__kernel void group_norm_partial_segments(__global const float* x, __global float* partial,
                                          int groupLength, int segments, int totalPartials) {
    int seg = get_global_id(0);
    int grp = get_global_id(1);
    if (seg >= segments) return;
    int start = seg * GN_SEGMENT;
    int n = min(GN_SEGMENT, groupLength - start);
    int n8 = n & ~7;
    __global const float* src = x + (size_t)grp * (size_t)groupLength + start;
    float8 acc = (float8)(0.0f);
    for (int i = 0; i < n8; i += 8) acc += vload8(0, src + i);
    float sum = gn_hsum8(acc);
    for (int i = n8; i < n; i++) sum += src[i];
    float mean = sum / (float)n;
    float8 m8 = (float8)(mean);
    float8 q = (float8)(0.0f);
    for (int i = 0; i < n8; i += 8) { float8 d = vload8(0, src + i) - m8; q = fma(d, d, q); }
    float m2 = gn_hsum8(q);
    for (int i = n8; i < n; i++) { float d = src[i] - mean; m2 = fma(d, d, m2); }
    int index = grp * segments + seg;
    partial[index] = (float)n;
    partial[totalPartials + index] = mean;
    partial[2 * totalPartials + index] = m2;
}

// Combines the partialsPerGroup partials (count, mean, M2 as struct of arrays, totalPartials apart)
// of one group or row exactly, in blocks of GN_LANES: mean = sum n_i mean_i / length;
// M2 = sum M2_i + sum n_i (mean_i - mean)^2. Shared by group_norm_finalize and adain_finalize.
static inline void gn_combine_partials(__global const float* cnt, int partialsPerGroup, int totalPartials,
                                       int length, __private float* meanOut, __private float* m2Out) {
    __global const float* means = cnt + totalPartials;
    __global const float* m2s = means + totalPartials;
    float total = 0.0f;
    for (int b = 0; b < partialsPerGroup; b += GN_LANES) {
        float s = 0.0f;
        for (int j = b; j < min(b + GN_LANES, partialsPerGroup); j++) s = fma(cnt[j], means[j], s);
        total += s;
    }
    float mean = total / (float)length;
    float m2 = 0.0f;
    for (int b = 0; b < partialsPerGroup; b += GN_LANES) {
        float s = 0.0f;
        for (int j = b; j < min(b + GN_LANES, partialsPerGroup); j++) {
            float d = means[j] - mean;
            s += m2s[j] + cnt[j] * d * d;
        }
        m2 += s;
    }
    *meanOut = mean;
    *m2Out = m2;
}

// One work-item per group (n, g): combines its partialsPerGroup partials exactly
// (mean = sum n_i mean_i / n; M2 = sum M2_i + sum n_i (mean_i - mean)^2), in blocks of 64,
// then writes for each of its channels c the row params[3 * (n * C + c) + {0,1,2}] =
// (mean, rstd * gamma, beta). flags: bit 0 gamma given, bit 1 beta given, bit 2 gamma/beta are
// per sample ([N, C]) rather than per channel ([C]). Absent gamma/beta buffers are not read.
__kernel void group_norm_finalize(__global const float* partial, __global const float* gamma,
                                  __global const float* beta, __global float* params,
                                  int numGroups, int groups, int channels, int partialsPerGroup,
                                  int totalPartials, int groupLength, int flags, float eps) {
    int grp = get_global_id(0);
    if (grp >= numGroups) return;
    float mean, m2;
    gn_combine_partials(partial + (size_t)grp * partialsPerGroup, partialsPerGroup, totalPartials, groupLength, &mean, &m2);
    float rstd = 1.0f / sqrt(m2 / (float)groupLength + eps);
    int perGroup = channels / groups;
    int n = grp / groups, g = grp % groups;
    for (int i = 0; i < perGroup; i++) {
        int c = g * perGroup + i;
        int row = n * channels + c;
        int affineIndex = (flags & 4) ? row : c;
        float scale = (flags & 1) ? rstd * gamma[affineIndex] : rstd;
        float shift = (flags & 2) ? beta[affineIndex] : 0.0f;
        params[3 * row] = mean;
        params[3 * row + 1] = scale;
        params[3 * row + 2] = shift;
    }
}

// Few-shot talking heads' AdaIN rows (one channel per group): combines the row's partials like
// group_norm_finalize, then params[3 r..] = (mean, std[r] / (sigma + eps), meanStyle[r]) with
// sigma the unbiased standard deviation sqrt(M2 / (S - 1)) (torch.std) and eps added to sigma.
__kernel void adain_finalize(__global const float* partial, __global const float* meanStyle,
                             __global const float* stdStyle, __global float* params,
                             int rows, int partialsPerGroup, int totalPartials, int spatial, float eps) {
    int row = get_global_id(0);
    if (row >= rows) return;
    float mean, m2;
    gn_combine_partials(partial + (size_t)row * partialsPerGroup, partialsPerGroup, totalPartials, spatial, &mean, &m2);
    float sigma = sqrt(m2 / (float)(spatial - 1));
    params[3 * row] = mean;
    params[3 * row + 1] = stdStyle[row] / (sigma + eps);
    params[3 * row + 2] = meanStyle[row];
}

// Eval-mode batch norm rows: params[3c..] = (running_mean, weight / sqrt(running_var + eps), bias).
// flags: bit 0 weight given, bit 1 bias given.
__kernel void batch_norm_params(__global const float* runningMean, __global const float* runningVar,
                                __global const float* weight, __global const float* bias,
                                __global float* params, int channels, int flags, float eps) {
    int c = get_global_id(0);
    if (c >= channels) return;
    float inv = 1.0f / sqrt(runningVar[c] + eps);
    params[3 * c] = runningMean[c];
    params[3 * c + 1] = (flags & 1) ? weight[c] * inv : inv;
    params[3 * c + 2] = (flags & 2) ? bias[c] : 0.0f;
}

// y[r, i] = (x[r, i] - mean) * scale + shift with (mean, scale, shift) = params[3 * (r % paramRows)],
// then max(y, 0) when relu != 0 (GroupNorm → ReLU fused: saves a full read+write pass and a
// fresh output buffer). global [spatial, rows], local [L, 1]; x and y may alias.
__kernel void norm_apply(__global const float* x, __global float* y, __global const float* params,
                         int spatial, int rows, int paramRows, int relu) {
    int i = get_global_id(0);
    int r = get_global_id(1);
    if (i >= spatial || r >= rows) return;
    int p = 3 * (r % paramRows);
    size_t at = (size_t)r * (size_t)spatial + (size_t)i;
    float v = (x[at] - params[p]) * params[p + 1] + params[p + 2];
    y[at] = relu != 0 ? fmax(v, 0.0f) : v;
}

// CPU variant of norm_apply: one work-item per NORM_SEGMENT contiguous elements of a row,
// float8 loads and stores. global [segments, rows].
#define NORM_SEGMENT 2048
__kernel void norm_apply_segments(__global const float* x, __global float* y, __global const float* params,
                                  int spatial, int rows, int paramRows, int segments, int relu) {
    int seg = get_global_id(0);
    int r = get_global_id(1);
    if (seg >= segments || r >= rows) return;
    int p = 3 * (r % paramRows);
    float mean = params[p], scale = params[p + 1], shift = params[p + 2];
    int start = seg * NORM_SEGMENT;
    int n = min(NORM_SEGMENT, spatial - start);
    int n8 = n & ~7;
    size_t at = (size_t)r * (size_t)spatial + (size_t)start;
    __global const float* src = x + at;
    __global float* dst = y + at;
    if (relu != 0) {
        for (int i = 0; i < n8; i += 8)
            vstore8(fmax((vload8(0, src + i) - (float8)(mean)) * (float8)(scale) + (float8)(shift), (float8)(0.0f)), 0, dst + i);
        for (int i = n8; i < n; i++) dst[i] = fmax((src[i] - mean) * scale + shift, 0.0f);
        return;
    }
    for (int i = 0; i < n8; i += 8)
        vstore8((vload8(0, src + i) - (float8)(mean)) * (float8)(scale) + (float8)(shift), 0, dst + i);
    for (int i = n8; i < n; i++) dst[i] = (src[i] - mean) * scale + shift;
}

// ==== Pooling (Sources/Kernels/Pooling*.swift) ====

// Average pooling with stride == kernel and no padding, over the last three dims:
// x [planes, D, H, W] -> y [planes, Do, Ho, Wo] (2-D pooling: D = kd = 1). Sums in (z, y, x)
// order, then divides by the window size, as PyTorch's CPU kernels do.
// global [Wo, Ho, planes * Do].
__kernel void avg_pool_strided(__global const float* x, __global float* y,
                               int D, int H, int W, int Do, int Ho, int Wo,
                               int kd, int kh, int kw, int slices) {
    int ox = get_global_id(0), oy = get_global_id(1), s = get_global_id(2);
    if (ox >= Wo || oy >= Ho || s >= slices) return;
    int plane = s / Do, oz = s - plane * Do;
    __global const float* src = x + (((size_t)plane * D + (size_t)oz * kd) * H + (size_t)oy * kh) * W + (size_t)ox * kw;
    float sum = 0.0f;
    for (int dz = 0; dz < kd; dz++)
        for (int dy = 0; dy < kh; dy++)
            for (int dx = 0; dx < kw; dx++)
                sum += src[((size_t)dz * H + dy) * W + dx];
    y[((size_t)s * Ho + oy) * Wo + ox] = sum / (float)(kd * kh * kw);
}

// CPU variant of avg_pool_strided for kw = 1 or 2 (every MegaPortraits pooling): one
// work-item makes 8 consecutive outputs of a row from vload8 / vload16 (.even + .odd), summing
// in the same order as the scalar kernel. global [ceil(Wo / 8), Ho, planes * Do].
__kernel void avg_pool_strided_x8(__global const float* x, __global float* y,
                                  int D, int H, int W, int Do, int Ho, int Wo,
                                  int kd, int kh, int kw, int slices) {
    int ox0 = get_global_id(0) * 8, oy = get_global_id(1), s = get_global_id(2);
    if (ox0 >= Wo || oy >= Ho || s >= slices) return;
    int plane = s / Do, oz = s - plane * Do;
    __global const float* src = x + (((size_t)plane * D + (size_t)oz * kd) * H + (size_t)oy * kh) * W;
    __global float* dst = y + ((size_t)s * Ho + oy) * Wo;
    float divisor = (float)(kd * kh * kw);
    if (ox0 + 8 <= Wo) {
        float8 sum = (float8)(0.0f);
        for (int dz = 0; dz < kd; dz++)
            for (int dy = 0; dy < kh; dy++) {
                __global const float* row = src + ((size_t)dz * H + dy) * W;
                if (kw == 2) { float16 v = vload16(0, row + 2 * ox0); sum += v.even; sum += v.odd; }
                else sum += vload8(0, row + ox0);
            }
        vstore8(sum / (float8)(divisor), 0, dst + ox0);
    } else {
        for (int ox = ox0; ox < Wo; ox++) {
            float sum = 0.0f;
            for (int dz = 0; dz < kd; dz++)
                for (int dy = 0; dy < kh; dy++)
                    for (int dx = 0; dx < kw; dx++) sum += src[((size_t)dz * H + dy) * W + (size_t)ox * kw + dx];
            dst[ox] = sum / divisor;
        }
    }
}

// max_pool2d with padding acting as -inf and NaN propagating (as PyTorch).
// x [planes, H, W] -> y [planes, Ho, Wo]; global [Wo, Ho, planes].
__kernel void max_pool2d(__global const float* x, __global float* y, int H, int W, int Ho, int Wo,
                         int kh, int kw, int sh, int sw, int ph, int pw, int planes) {
    int ox = get_global_id(0), oy = get_global_id(1), p = get_global_id(2);
    if (ox >= Wo || oy >= Ho || p >= planes) return;
    __global const float* src = x + (size_t)p * H * W;
    int y0 = oy * sh - ph, x0 = ox * sw - pw;
    int y1 = min(y0 + kh, H), x1 = min(x0 + kw, W);
    float m = -INFINITY;
    for (int iy = max(y0, 0); iy < y1; iy++)
        for (int ix = max(x0, 0); ix < x1; ix++) {
            float v = src[(size_t)iy * W + ix];
            if (v > m || isnan(v)) m = v;
        }
    y[((size_t)p * Ho + oy) * Wo + ox] = m;
}

// adaptive_avg_pool2d: output cell (oy, ox) averages rows [floor(oy*H/Ho), ceil((oy+1)*H/Ho))
// and the same for columns; x [planes, H, W] -> y [planes, Ho, Wo]; global [Wo, Ho, planes].
__kernel void adaptive_avg_pool2d(__global const float* x, __global float* y, int H, int W,
                                  int Ho, int Wo, int planes) {
    int ox = get_global_id(0), oy = get_global_id(1), p = get_global_id(2);
    if (ox >= Wo || oy >= Ho || p >= planes) return;
    int y0 = (oy * H) / Ho, y1 = ((oy + 1) * H + Ho - 1) / Ho;
    int x0 = (ox * W) / Wo, x1 = ((ox + 1) * W + Wo - 1) / Wo;
    __global const float* src = x + (size_t)p * H * W;
    float sum = 0.0f;
    for (int iy = y0; iy < y1; iy++)
        for (int ix = x0; ix < x1; ix++) sum += src[(size_t)iy * W + ix];
    y[((size_t)p * Ho + oy) * Wo + ox] = sum / (float)(y1 - y0) / (float)(x1 - x0);
}

// ==== Resample (Sources/Kernels/Resample*.swift) ====
// F.interpolate: nearest (2-D, integer factors), bilinear (2-D, any size) and trilinear (3-D,
// integer factors), align_corners=False, with PyTorch's CPU index and weight formulas
// (UpSample.h) and its evaluation order; contraction off so the CPU path is matched exactly.

// torch nearest_idx: source index of output o (scale = 1/factor or in/out, as float).
static inline int rs_nearest(int o, int in, int out, float scale) {
    if (out == in) return o;
    if (out == 2 * in) return o >> 1;
    return min(convert_int(floor((float)o * scale)), in - 1);
}

// torch compute_source_index_and_lambda (align_corners=False): indices i0, i1 and weights l0, l1.
static inline void rs_linear(int o, int in, int out, float scale, int* i0, int* i1, float* l0, float* l1) {
#pragma OPENCL FP_CONTRACT OFF
    if (in == out) { *i0 = o; *i1 = o; *l0 = 1.0f; *l1 = 0.0f; return; }
    float src = scale * ((float)o + 0.5f) - 0.5f;
    src = src < 0.0f ? 0.0f : src;
    int i = min(convert_int(floor(src)), in - 1);
    float lambda = fmin(fmax(src - (float)i, 0.0f), 1.0f);
    *i0 = i; *i1 = i + (i < in - 1 ? 1 : 0); *l1 = lambda; *l0 = 1.0f - lambda;
}

// Nearest upsampling of NCHW planes: one work-item writes 4 consecutive outputs of one output row
// (dim 0: x / 4, dim 1: row over planes × Ho).
__kernel void upsample_nearest2d(__global const float* src, __global float* dst, int H, int W, int Ho, int Wo,
                                 float sh, float sw, int rows) {
    int x0 = get_global_id(0) * 4, r = get_global_id(1);
    if (x0 >= Wo || r >= rows) return;
    int plane = r / Ho, oy = r - plane * Ho;
    __global const float* row = src + ((size_t)plane * H + rs_nearest(oy, H, Ho, sh)) * W;
    __global float* out = dst + (size_t)r * Wo + x0;
    if (x0 + 4 <= Wo) {
        vstore4((float4)(row[rs_nearest(x0, W, Wo, sw)], row[rs_nearest(x0 + 1, W, Wo, sw)],
                         row[rs_nearest(x0 + 2, W, Wo, sw)], row[rs_nearest(x0 + 3, W, Wo, sw)]), 0, out);
    } else {
        for (int k = 0; x0 + k < Wo; ++k) out[k] = row[rs_nearest(x0 + k, W, Wo, sw)];
    }
}

// upsample_nearest2d at exactly F = 2 or 4 times the size on both axes (output o reads input
// o / F, as rs_nearest: the float scale 1/F is exact): 8 input values of a row per work-item,
// each stored F times along the row, on the F output rows they feed (F·r … F·r + F − 1 of the
// [planes·H] input rows r). No gathers and no per-element index arithmetic: the general kernel
// spent its time forming indices and gathering (≈ 1–2.5 GB/s on LivePortrait's ×2 and ×4).
// Global (⌈W/8⌉, planes·H).
__kernel void upsample_nearest2d_pow2(__global const float* src, __global float* dst, int W, int rows, int F) {
    int x0 = get_global_id(0) * 8, r = get_global_id(1);
    if (x0 >= W || r >= rows) return;
    __global const float* in = src + (size_t)r * W + x0;
    int Wo = F * W;
    __global float* out = dst + (size_t)(F * r) * Wo + F * x0;
    if (x0 + 8 <= W && F == 2) {
        float8 v = vload8(0, in);
        float16 d = (float16)(v.s0, v.s0, v.s1, v.s1, v.s2, v.s2, v.s3, v.s3, v.s4, v.s4, v.s5, v.s5, v.s6, v.s6, v.s7, v.s7);
        vstore16(d, 0, out);
        vstore16(d, 0, out + Wo);
    } else if (x0 + 8 <= W && F == 4) {
        float8 v = vload8(0, in);
        float16 lo = (float16)((float4)(v.s0), (float4)(v.s1), (float4)(v.s2), (float4)(v.s3));
        float16 hi = (float16)((float4)(v.s4), (float4)(v.s5), (float4)(v.s6), (float4)(v.s7));
        for (int i = 0; i < 4; ++i) { vstore16(lo, 0, out + i * Wo); vstore16(hi, 1, out + i * Wo); }
    } else {
        for (int k = 0; x0 + k < W && k < 8; ++k) {
            float v = in[k];
            for (int i = 0; i < F; ++i)
                for (int j = 0; j < F; ++j) out[i * Wo + F * k + j] = v;
        }
    }
}

// torch compute_source_index_and_lambda with align_corners=True: src = scale·o,
// scale = (in − 1)/(out − 1) (0 when out = 1).
static inline void rs_linear_aligned(int o, int in, int out, float scale, int* i0, int* i1, float* l0, float* l1) {
#pragma OPENCL FP_CONTRACT OFF
    if (in == out) { *i0 = o; *i1 = o; *l0 = 1.0f; *l1 = 0.0f; return; }
    float src = scale * (float)o;
    int i = min(convert_int(floor(src)), in - 1);
    float lambda = fmin(fmax(src - (float)i, 0.0f), 1.0f);
    *i0 = i; *i1 = i + (i < in - 1 ? 1 : 0); *l1 = lambda; *l0 = 1.0f - lambda;
}

// rs_linear for 8 consecutive outputs o (lane-wise the same arithmetic).
static inline void rs_linear8(int8 o, int in, int out, float scale, int8* i0, int8* i1, float8* l0, float8* l1) {
#pragma OPENCL FP_CONTRACT OFF
    if (in == out) { *i0 = o; *i1 = o; *l0 = (float8)(1.0f); *l1 = (float8)(0.0f); return; }
    float8 src = (float8)(scale) * (convert_float8(o) + 0.5f) - 0.5f;
    src = select(src, (float8)(0.0f), src < 0.0f);
    int8 i = min(convert_int8(floor(src)), (int8)(in - 1));
    float8 lambda = fmin(fmax(src - convert_float8(i), (float8)(0.0f)), (float8)(1.0f));
    // select(), not i - (i < in - 1) (a true vector compare is -1): the same lanes, and Oclgrind
    // mis-evaluates the subtraction of the compare (make gpu-lint).
    *i0 = i; *i1 = select(i, i + 1, i < (int8)(in - 1)); *l1 = lambda; *l0 = 1.0f - lambda;
}

#define RS_GATHER8(r, i) ((float8)((r)[(i).s0], (r)[(i).s1], (r)[(i).s2], (r)[(i).s3], \
                                   (r)[(i).s4], (r)[(i).s5], (r)[(i).s6], (r)[(i).s7]))

// rs_linear_aligned for 8 consecutive outputs o (lane-wise the same arithmetic).
static inline void rs_linear8_aligned(int8 o, int in, int out, float scale, int8* i0, int8* i1, float8* l0, float8* l1) {
#pragma OPENCL FP_CONTRACT OFF
    if (in == out) { *i0 = o; *i1 = o; *l0 = (float8)(1.0f); *l1 = (float8)(0.0f); return; }
    float8 src = (float8)(scale) * convert_float8(o);
    int8 i = min(convert_int8(floor(src)), (int8)(in - 1));
    float8 lambda = fmin(fmax(src - convert_float8(i), (float8)(0.0f)), (float8)(1.0f));
    *i0 = i; *i1 = select(i, i + 1, i < (int8)(in - 1)); *l1 = lambda; *l0 = 1.0f - lambda;
}

// Bilinear resize of NCHW planes: one work-item per run of 8 outputs along x (dim 0: x / 8,
// dim 1: y, dim 2: plane), computed as float8 lanes (2x faster on PoCL than a work-item per
// pixel looping over the planes). out = (a·w0 + b·w1)·h0 + (c·w0 + d·w1)·h1.
// aligned = 1: align_corners=True (BiSeNet's upsampling of its logits), source index scale·o.
__kernel void resize_bilinear2d(__global const float* src, __global float* dst, int H, int W, int Ho, int Wo,
                                float sh, float sw, int planes, int aligned) {
#pragma OPENCL FP_CONTRACT OFF
    int x0 = get_global_id(0) * 8, oy = get_global_id(1), p = get_global_id(2);
    if (x0 >= Wo || oy >= Ho || p >= planes) return;
    int h0, h1;
    float lh0, lh1;
    int8 xs = min((int8)(x0) + (int8)(0, 1, 2, 3, 4, 5, 6, 7), (int8)(Wo - 1)), w0, w1;
    float8 lw0, lw1;
    if (aligned) {
        rs_linear_aligned(oy, H, Ho, sh, &h0, &h1, &lh0, &lh1);
        rs_linear8_aligned(xs, W, Wo, sw, &w0, &w1, &lw0, &lw1);
    } else {
        rs_linear(oy, H, Ho, sh, &h0, &h1, &lh0, &lh1);
        rs_linear8(xs, W, Wo, sw, &w0, &w1, &lw0, &lw1);
    }
    __global const float* r0 = src + ((size_t)p * H + h0) * W;
    __global const float* r1 = src + ((size_t)p * H + h1) * W;
    float8 v = (RS_GATHER8(r0, w0) * lw0 + RS_GATHER8(r0, w1) * lw1) * lh0
             + (RS_GATHER8(r1, w0) * lw0 + RS_GATHER8(r1, w1) * lw1) * lh1;
    __global float* out = dst + ((size_t)p * Ho + oy) * Wo + x0;
    if (x0 + 8 <= Wo) {
        vstore8(v, 0, out);
    } else {
        for (int k = 0; x0 + k < Wo; ++k) out[k] = ((float*)&v)[k];
    }
}

// Trilinear upsampling of NCDHW planes: one work-item per run of 8 outputs along x (dim 0: x / 8,
// dim 1: y, dim 2: plane × Do + z), computed as float8 lanes; the depth and height indices/weights
// are computed once per run. out = ((·)·h0 + (·)·h1)·d0 + ((·)·h0 + (·)·h1)·d1 with
// (·) = x0·w0 + x1·w1, PyTorch's order.
__kernel void upsample_trilinear3d(__global const float* src, __global float* dst, int D, int H, int W,
                                   int Do, int Ho, int Wo, float sd, float sh, float sw, int planes) {
#pragma OPENCL FP_CONTRACT OFF
    int x0 = get_global_id(0) * 8, oy = get_global_id(1), pz = get_global_id(2);
    if (x0 >= Wo || oy >= Ho || pz >= planes * Do) return;
    int plane = pz / Do, oz = pz - plane * Do;
    int d0, d1, h0, h1;
    float ld0, ld1, lh0, lh1;
    rs_linear(oz, D, Do, sd, &d0, &d1, &ld0, &ld1);
    rs_linear(oy, H, Ho, sh, &h0, &h1, &lh0, &lh1);
    __global const float* s = src + (size_t)plane * D * H * W;
    __global const float* r00 = s + (d0 * H + h0) * W;
    __global const float* r01 = s + (d0 * H + h1) * W;
    __global const float* r10 = s + (d1 * H + h0) * W;
    __global const float* r11 = s + (d1 * H + h1) * W;
    int8 xs = min((int8)(x0) + (int8)(0, 1, 2, 3, 4, 5, 6, 7), (int8)(Wo - 1));
    int8 w0, w1;
    float8 lw0, lw1;
    rs_linear8(xs, W, Wo, sw, &w0, &w1, &lw0, &lw1);
    float8 t0 = (RS_GATHER8(r00, w0) * lw0 + RS_GATHER8(r00, w1) * lw1) * lh0
              + (RS_GATHER8(r01, w0) * lw0 + RS_GATHER8(r01, w1) * lw1) * lh1;
    float8 t1 = (RS_GATHER8(r10, w0) * lw0 + RS_GATHER8(r10, w1) * lw1) * lh0
              + (RS_GATHER8(r11, w0) * lw0 + RS_GATHER8(r11, w1) * lw1) * lh1;
    float8 v = t0 * ld0 + t1 * ld1;
    __global float* out = dst + ((size_t)pz * Ho + oy) * Wo + x0;
    if (x0 + 8 <= Wo) {
        vstore8(v, 0, out);
    } else {
        for (int k = 0; x0 + k < Wo; ++k) out[k] = ((float*)&v)[k];
    }
}

// ==== GridSample (Sources/Kernels/GridSample*.swift) ====
// grid_sample (2-D bilinear/nearest, 3-D trilinear/nearest; zeros/border padding), affine_grid and
// the MegaPortraits deformation grid. Coordinates follow PyTorch's CPU kernels (2-D: the vectorised
// formulation, 3-D: the scalar one) with contraction off, so taps and weights equal the Swift path's.

#define GS_BORDER 1
#define GS_NEAREST 1

// Source pixel coordinate of a 2-D grid value (PyTorch GridSamplerKernel.cpp: (g + 1)·s − ½).
static inline float gs_loc2d(float g, int size, int padding, int align) {
#pragma OPENCL FP_CONTRACT OFF
    float x = align ? (g + 1.0f) * ((float)(size - 1) * 0.5f) : (g + 1.0f) * ((float)size * 0.5f) - 0.5f;
    if (padding == GS_BORDER) x = isnan(x) ? 0.0f : fmin((float)(size - 1), fmax(0.0f, x));
    return x;
}

// Source voxel coordinate of a 3-D grid value (PyTorch GridSampler.cpp: ((g + 1)·n − 1) / 2).
static inline float gs_loc3d(float g, int size, int padding, int align) {
#pragma OPENCL FP_CONTRACT OFF
    float x = align ? ((g + 1.0f) * 0.5f) * (float)(size - 1) : ((g + 1.0f) * (float)size - 1.0f) * 0.5f;
    if (padding == GS_BORDER) x = isnan(x) ? (float)(size - 1) : fmin((float)(size - 1), fmax(x, 0.0f));
    return x;
}

// ⌊x⌋ clamped to [-2, size + 1] (outside that every tap is out of range anyway; NaN gives -2).
static inline int gs_cell(float x, int size) { return convert_int(clamp(floor(x), -2.0f, (float)size + 1.0f)); }
static inline int gs_in(int v, int size) { return v >= 0 && v < size; }
// Round half to even, clamped like gs_cell.
static inline int gs_round(float x, int size) { return convert_int(clamp(rint(x), -2.0f, (float)size + 1.0f)); }

// The taps of one 3-D point at grid value (gx, gy, gz): voxel offsets (`outside` when out of range)
// and weights, lanes in PyTorch's order tnw, tne, tsw, tse, bnw, bne, bsw, bse. Nearest mode:
// lane 0 only (weight 1); the other lanes are `outside` with weight 0.
static inline void gs_taps3d(float gx, float gy, float gz, int Di, int Hi, int Wi, int padding, int align, int mode,
                      int outside, int8* offsets, float8* weights) {
#pragma OPENCL FP_CONTRACT OFF
    float ix = gs_loc3d(gx, Wi, padding, align), iy = gs_loc3d(gy, Hi, padding, align), iz = gs_loc3d(gz, Di, padding, align);
    if (mode == GS_NEAREST) {
        int x = gs_round(ix, Wi), y = gs_round(iy, Hi), z = gs_round(iz, Di);
        *offsets = (int8)(outside);
        offsets->s0 = gs_in(x, Wi) && gs_in(y, Hi) && gs_in(z, Di) ? (z * Hi + y) * Wi + x : outside;
        *weights = (float8)(1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f);
        return;
    }
    int x0 = gs_cell(ix, Wi), y0 = gs_cell(iy, Hi), z0 = gs_cell(iz, Di);
    float ax = (float)(x0 + 1) - ix, bx = ix - (float)x0;
    float ay = (float)(y0 + 1) - iy, by = iy - (float)y0;
    float az = (float)(z0 + 1) - iz, bz = iz - (float)z0;
    int vx0 = gs_in(x0, Wi), vx1 = gs_in(x0 + 1, Wi), vy0 = gs_in(y0, Hi);
    int vy1 = gs_in(y0 + 1, Hi), vz0 = gs_in(z0, Di), vz1 = gs_in(z0 + 1, Di);
    int b = (z0 * Hi + y0) * Wi + x0, sz = Hi * Wi;
    *offsets = (int8)(vz0 && vy0 && vx0 ? b : outside, vz0 && vy0 && vx1 ? b + 1 : outside,
                      vz0 && vy1 && vx0 ? b + Wi : outside, vz0 && vy1 && vx1 ? b + Wi + 1 : outside,
                      vz1 && vy0 && vx0 ? b + sz : outside, vz1 && vy0 && vx1 ? b + sz + 1 : outside,
                      vz1 && vy1 && vx0 ? b + sz + Wi : outside, vz1 && vy1 && vx1 ? b + sz + Wi + 1 : outside);
    *weights = (float8)(ax * ay * az, bx * ay * az, ax * by * az, bx * by * az,
                        ax * ay * bz, bx * ay * bz, ax * by * bz, bx * by * bz);
}

// One tap of a plane: 0 outside (offset -1), else value · weight.
#define GS_TAP(p, o, w) (((o) >= 0 ? (p)[max((o), 0)] : 0.0f) * (w))

// 3-D grid_sample on NCDHW data: one work-item per output voxel (dim 0) and batch item (dim 1);
// its 8 taps are computed once and applied to every channel. Used for few channels. In all
// grid_sample kernels `shared` != 0 means one input (batch 1) serves every grid n.
__kernel void grid_sample_3d(__global const float* src, __global const float* grid, __global float* dst,
                             int C, int Di, int Hi, int Wi, int Vo, int padding, int align, int mode, int shared) {
#pragma OPENCL FP_CONTRACT OFF
    int o = get_global_id(0), n = get_global_id(1);
    if (o >= Vo) return;
    int ni = shared ? 0 : n;
    __global const float* g = grid + ((size_t)n * Vo + o) * 3;
    int8 t; float8 w;
    gs_taps3d(g[0], g[1], g[2], Di, Hi, Wi, padding, align, mode, -1, &t, &w);
    int Vi = Di * Hi * Wi;
    for (int c = 0; c < C; ++c) {
        __global const float* p = src + ((size_t)ni * C + c) * Vi;
        float acc = GS_TAP(p, t.s0, w.s0);
        if (mode != GS_NEAREST) {
            acc += GS_TAP(p, t.s1, w.s1); acc += GS_TAP(p, t.s2, w.s2); acc += GS_TAP(p, t.s3, w.s3);
            acc += GS_TAP(p, t.s4, w.s4); acc += GS_TAP(p, t.s5, w.s5); acc += GS_TAP(p, t.s6, w.s6);
            acc += GS_TAP(p, t.s7, w.s7);
        }
        dst[((size_t)n * C + c) * Vo + o] = acc;
    }
}

// NCDHW [N, C, S] -> channels-last [N, S + 1, Cp] (Cp = C rounded up to 4; padded channels and the
// extra voxel S are zeros: out-of-range taps read that voxel). One work-item moves a 4×4 tile:
// 4 voxels (dim 0) × 4 channels (dim 1), batch in dim 2.
__kernel void gs_to_channels_last(__global const float* src, __global float* dst, int C, int Cp, int S) {
    int s0 = get_global_id(0) * 4, c0 = get_global_id(1) * 4, n = get_global_id(2);
    if (s0 > S || c0 >= Cp) return;
    float4 r[4];
    for (int j = 0; j < 4; ++j) {
        int c = c0 + j;
        __global const float* row = src + ((size_t)n * C + c) * S + s0;
        if (c >= C) r[j] = (float4)(0.0f);
        else if (s0 + 4 <= S) r[j] = vload4(0, row);
        else r[j] = (float4)(s0 < S ? row[0] : 0.0f, s0 + 1 < S ? row[1] : 0.0f,
                             s0 + 2 < S ? row[2] : 0.0f, s0 + 3 < S ? row[3] : 0.0f);
    }
    __global float* out = dst + ((size_t)n * (S + 1) + s0) * Cp + c0;
    vstore4((float4)(r[0].s0, r[1].s0, r[2].s0, r[3].s0), 0, out);
    if (s0 + 1 <= S) vstore4((float4)(r[0].s1, r[1].s1, r[2].s1, r[3].s1), 0, out + Cp);
    if (s0 + 2 <= S) vstore4((float4)(r[0].s2, r[1].s2, r[2].s2, r[3].s2), 0, out + 2 * Cp);
    if (s0 + 3 <= S) vstore4((float4)(r[0].s3, r[1].s3, r[2].s3, r[3].s3), 0, out + 3 * Cp);
}

// Trilinear sum of one channel-quad at taps (t, w) from channels-last float4 rows, PyTorch's order.
#define GS_SUM8(base, t, w, k) (base[(t).s0 + (k)] * (w).s0 + base[(t).s1 + (k)] * (w).s1 + base[(t).s2 + (k)] * (w).s2 \
    + base[(t).s3 + (k)] * (w).s3 + base[(t).s4 + (k)] * (w).s4 + base[(t).s5 + (k)] * (w).s5                     \
    + base[(t).s6 + (k)] * (w).s6 + base[(t).s7 + (k)] * (w).s7)

// 3-D grid_sample from the channels-last copy made by gs_to_channels_last. One work-item: 4
// consecutive output voxels (dim 0) × `cblock` channels (dim 1, a multiple of 4) × batch (dim 2).
// The 4×8 taps are computed once; each step gathers 4 channels (float4) for the 4 voxels and
// writes the 4×4 tile transposed, as float4 runs along the NCDHW output rows. Measured on PoCL
// (96×16×64×64): ~40 % less time than one voxel per work-item with scalar NCDHW stores.
__kernel void grid_sample_3d_cl(__global const float* src, __global const float* grid, __global float* dst,
                                int C, int Cp, int Di, int Hi, int Wi, int Vo, int cblock,
                                int padding, int align, int mode, int shared) {
#pragma OPENCL FP_CONTRACT OFF
    int v0 = get_global_id(0) * 4, c0 = get_global_id(1) * cblock, n = get_global_id(2);
    if (v0 >= Vo || c0 >= Cp) return;
    int Vi = Di * Hi * Wi, q = Cp >> 2;
    __global const float* g = grid + (size_t)n * Vo * 3;
    int8 ta, tb, tc, td; float8 wa, wb, wc, wd;
    int va = v0, vb = min(v0 + 1, Vo - 1), vc = min(v0 + 2, Vo - 1), vd = min(v0 + 3, Vo - 1);
    gs_taps3d(g[3 * va], g[3 * va + 1], g[3 * va + 2], Di, Hi, Wi, padding, align, mode, Vi, &ta, &wa);
    gs_taps3d(g[3 * vb], g[3 * vb + 1], g[3 * vb + 2], Di, Hi, Wi, padding, align, mode, Vi, &tb, &wb);
    gs_taps3d(g[3 * vc], g[3 * vc + 1], g[3 * vc + 2], Di, Hi, Wi, padding, align, mode, Vi, &tc, &wc);
    gs_taps3d(g[3 * vd], g[3 * vd + 1], g[3 * vd + 2], Di, Hi, Wi, padding, align, mode, Vi, &td, &wd);
    ta *= q; tb *= q; tc *= q; td *= q;
    __global const float4* base = (__global const float4*)(src + (size_t)(shared ? 0 : n) * (Vi + 1) * Cp);
    __global float* out = dst + ((size_t)n * C + c0) * Vo + v0;
    int full = v0 + 4 <= Vo, k1 = min(c0 + cblock, Cp) >> 2;
    for (int k = c0 >> 2; k < k1; ++k) {
        float4 a = GS_SUM8(base, ta, wa, k), b = GS_SUM8(base, tb, wb, k);
        float4 c = GS_SUM8(base, tc, wc, k), d = GS_SUM8(base, td, wd, k);
        float4 r0 = (float4)(a.s0, b.s0, c.s0, d.s0), r1 = (float4)(a.s1, b.s1, c.s1, d.s1);
        float4 r2 = (float4)(a.s2, b.s2, c.s2, d.s2), r3 = (float4)(a.s3, b.s3, c.s3, d.s3);
        int c4 = 4 * k;
        if (full && c4 + 3 < C) {
            vstore4(r0, 0, out); vstore4(r1, 0, out + Vo); vstore4(r2, 0, out + 2 * Vo); vstore4(r3, 0, out + 3 * Vo);
        } else {
            for (int j = 0; j < 4 && v0 + j < Vo; ++j) {
                if (c4 < C) out[j] = ((float*)&r0)[j];
                if (c4 + 1 < C) out[Vo + j] = ((float*)&r1)[j];
                if (c4 + 2 < C) out[2 * Vo + j] = ((float*)&r2)[j];
                if (c4 + 3 < C) out[3 * Vo + j] = ((float*)&r3)[j];
            }
        }
        out += 4 * Vo;
    }
}

// 2-D grid_sample on NCHW data: one work-item per output pixel (dim 0) and batch item (dim 1);
// 4 taps computed once (PyTorch's vectorised-kernel weights), applied to every channel.
__kernel void grid_sample_2d(__global const float* src, __global const float* grid, __global float* dst,
                             int C, int Hi, int Wi, int Vo, int padding, int align, int mode, int shared) {
#pragma OPENCL FP_CONTRACT OFF
    int o = get_global_id(0), n = get_global_id(1);
    if (o >= Vo) return;
    int ni = shared ? 0 : n;
    __global const float* g = grid + ((size_t)n * Vo + o) * 2;
    float ix = gs_loc2d(g[0], Wi, padding, align), iy = gs_loc2d(g[1], Hi, padding, align);
    int o0, o1 = -1, o2 = -1, o3 = -1;
    float w0 = 1.0f, w1 = 0.0f, w2 = 0.0f, w3 = 0.0f;
    if (mode == GS_NEAREST) {
        int x = gs_round(ix, Wi), y = gs_round(iy, Hi);
        o0 = gs_in(x, Wi) && gs_in(y, Hi) ? y * Wi + x : -1;
    } else {
        int x0 = gs_cell(ix, Wi), y0 = gs_cell(iy, Hi);
        float fw = ix - (float)x0, fe = 1.0f - fw, fn = iy - (float)y0, fs = 1.0f - fn;
        int vx0 = gs_in(x0, Wi), vx1 = gs_in(x0 + 1, Wi), vy0 = gs_in(y0, Hi), vy1 = gs_in(y0 + 1, Hi);
        int b = y0 * Wi + x0;
        o0 = vy0 && vx0 ? b : -1;
        o1 = vy0 && vx1 ? b + 1 : -1;
        o2 = vy1 && vx0 ? b + Wi : -1;
        o3 = vy1 && vx1 ? b + Wi + 1 : -1;
        w0 = fs * fe; w1 = fs * fw; w2 = fn * fe; w3 = fn * fw;
    }
    int Vi = Hi * Wi;
    for (int c = 0; c < C; ++c) {
        __global const float* p = src + ((size_t)ni * C + c) * Vi;
        float acc = GS_TAP(p, o0, w0);
        if (mode != GS_NEAREST) { acc += GS_TAP(p, o1, w1); acc += GS_TAP(p, o2, w2); acc += GS_TAP(p, o3, w3); }
        dst[((size_t)n * C + c) * Vo + o] = acc;
    }
}

// torch.linspace(-1, 1, steps)[i] in float32 as PyTorch's CPU kernel forms it (-1 for one step).
static inline float gs_linspace(int i, int steps) {
#pragma OPENCL FP_CONTRACT OFF
    if (steps == 1) return -1.0f;
    float step = 2.0f / (float)(steps - 1);
    return i < steps / 2 ? -1.0f + step * (float)i : 1.0f - step * (float)(steps - i - 1);
}

// affine_grid's base coordinate: 0 for one step; scaled by (n-1)/n without align_corners.
static inline float gs_affine_base(int i, int steps, int align) {
#pragma OPENCL FP_CONTRACT OFF
    if (steps <= 1) return 0.0f;
    float v = gs_linspace(i, steps);
    return align ? v : v * (float)(steps - 1) / (float)steps;
}

// affine_grid: out[n, (d,) h, w, k] = theta[n, k, :] · (x, y, (z,) 1). dims = 2 or 3 (D = 1 for 2).
__kernel void affine_grid(__global const float* theta, __global float* out, int D, int H, int W, int dims, int align) {
#pragma OPENCL FP_CONTRACT OFF
    int s = get_global_id(0), n = get_global_id(1);
    if (s >= D * H * W) return;
    int x = s % W, y = (s / W) % H, z = s / (W * H);
    float bx = gs_affine_base(x, W, align), by = gs_affine_base(y, H, align), bz = gs_affine_base(z, D, align);
    __global const float* t = theta + (size_t)n * dims * (dims + 1);
    __global float* o = out + ((size_t)n * D * H * W + s) * dims;
    for (int k = 0; k < dims; ++k) {
        __global const float* r = t + k * (dims + 1);
        float v = bx * r[0] + by * r[1];
        if (dims == 3) v += bz * r[2];
        o[k] = v + r[dims];
    }
}

// MegaPortraits deformation grid: out[n, d, h, w, :] = (lin_W[w], lin_H[h], lin_D[d]) + offsets[n, :, d, h, w].
__kernel void deformation_grid(__global const float* offsets, __global float* out, int D, int H, int W) {
    int s = get_global_id(0), n = get_global_id(1);
    int V = D * H * W;
    if (s >= V) return;
    int x = s % W, y = (s / W) % H, z = s / (W * H);
    __global const float* src = offsets + (size_t)n * 3 * V + s;
    vstore3((float3)(gs_linspace(x, W) + src[0], gs_linspace(y, H) + src[V], gs_linspace(z, D) + src[2 * V]),
            (size_t)n * V + s, out);
}

// ==== Peak (Sources/Kernels/DevicePeak.swift) ====

#if defined(FP_FAST_FMAF) || defined(__FMA__)
#define PEAK_FMA(x, m, k) fma(x, m, k)
#else
#define PEAK_FMA(x, m, k) mad(x, m, k)
#endif

// Eight independent float8 multiply-add chains per work-item: 128 FLOP per iteration, no memory
// traffic. `portrait profile` times it to report each kernel's share of the device's real peak.
__kernel void peak_fma(__global float* out, int iterations, float seed) {
    int gid = get_global_id(0);
    float8 a = (float8)(seed + gid * 1e-7f), b = a + 0.1f, c = a + 0.2f, d = a + 0.3f;
    float8 e = a + 0.4f, f = a + 0.5f, g = a + 0.6f, h = a + 0.7f;
    const float8 m = (float8)(0.9999999f), k = (float8)(1e-7f);
    for (int i = 0; i < iterations; ++i) {
        a = PEAK_FMA(a, m, k); b = PEAK_FMA(b, m, k); c = PEAK_FMA(c, m, k); d = PEAK_FMA(d, m, k);
        e = PEAK_FMA(e, m, k); f = PEAK_FMA(f, m, k); g = PEAK_FMA(g, m, k); h = PEAK_FMA(h, m, k);
    }
    float8 s = a + b + c + d + e + f + g + h;
    out[gid] = s.s0 + s.s1 + s.s2 + s.s3 + s.s4 + s.s5 + s.s6 + s.s7;
}

// ==== Face parsing additions (Sources/Kernels/Combine.swift, Resample+Size.swift) ====
// Ops BiSeNet needs beyond the rest of this file: broadcasting add/mul, channel (any-axis)
// concatenation (bilinear resizing with align_corners=True is resize_bilinear2d's `aligned` flag,
// above). Nearest resizing to an arbitrary size reuses upsample_nearest2d above (its index formula is already PyTorch's general one).

// out[i] = a[i] (+ or ×) b[broadcast index of i]. out and a share the 5-D shape (d0..d4, leading
// dims padded with 1); b's strides are 0 along the dims it broadcasts. mode 0: add, 1: multiply.
__kernel void broadcast_binary(__global const float* a, __global const float* b, __global float* out,
                               int n, int d1, int d2, int d3, int d4,
                               int s0, int s1, int s2, int s3, int s4, int mode) {
    int i = get_global_id(0);
    if (i >= n) return;
    int r = i;
    int i4 = r % d4; r /= d4;
    int i3 = r % d3; r /= d3;
    int i2 = r % d2; r /= d2;
    int i1 = r % d1; int i0 = r / d1;
    float v = b[i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3 + i4 * s4];
    out[i] = mode == 0 ? a[i] + v : a[i] * v;
}

// Copies src, viewed as [outer][inner], into dst viewed as [outer][dstInner] at column `offset`
// (torch.cat: inner = the source's size from the concatenation axis on). Global (inner, outer):
// the row comes from the grid, not from a per-element division, which PoCL does not vectorise on
// x86 (the 1-D version moved ≈ 6 GB/s on LivePortrait's hourglass concatenations).
__kernel void concat_copy(__global const float* src, __global float* dst, int inner, int outer, int dstInner, int offset) {
    int r = get_global_id(0), o = get_global_id(1);
    if (r >= inner || o >= outer) return;
    dst[(size_t)o * dstInner + offset + r] = src[(size_t)o * inner + r];
}

// ==== Luma pattern (Sources/Kernels/LumaPattern.swift) ====

// The value at pixel (x, y) of a pattern of C x C cells tiled with a period of P pixels:
// bilinear between the four nearest cell centres, wrapping round the tile. Cell i's centre is
// at tile coordinate (i + 0.5) * P / C. The CPU path computes the same expression in the same order.
static inline float tiled_cell_value(__global const float* cells, int C, int P, int x, int y) {
    float scale = (float)C / (float)P;
    float u = ((float)(x % P) + 0.5f) * scale - 0.5f;
    float v = ((float)(y % P) + 0.5f) * scale - 0.5f;
    float fu = floor(u), fv = floor(v);
    float au = u - fu, av = v - fv;
    int i0 = ((int)fu + C) % C, j0 = ((int)fv + C) % C;
    int i1 = (i0 + 1) % C, j1 = (j0 + 1) % C;
    float top = cells[j0 * C + i0] * (1.0f - au) + cells[j0 * C + i1] * au;
    float bottom = cells[j1 * C + i0] * (1.0f - au) + cells[j1 * C + i1] * au;
    return top * (1.0f - av) + bottom * av;
}

// y = x + strength * pattern on all three channels of [N, 3, H, W] (an equal offset on R, G and
// B changes luma only: BT.601/709 luma weights sum to 1, chroma differences are unchanged).
__kernel void luma_pattern_add(__global const float* x, __global float* y, __global const float* cells,
                               int C, int P, int H, int W, int planes, float strength) {
    int px = get_global_id(0), py = get_global_id(1);
    if (px >= W || py >= H) return;
    float d = strength * tiled_cell_value(cells, C, P, px, py);
    for (int p = 0; p < planes; p++) {
        int i = (p * H + py) * W + px;
        y[i] = x[i] + d;
    }
}

// ============================================================================================
// Face detection (YuNet) — ops added for Sources/Face
// ============================================================================================

// sum + Σ plane[oy·sh − ph + ky][ox·sw − pw + kx] · f[ky·kw + kx] over the kh × kw taps in
// row-major order, taps outside the H × W plane adding zero (read at a clamped address and
// selected away, no branch, so PoCL vectorises across x). Shared by depthwise_conv2d and
// grouped_conv2d (one call per input channel of the group, the running sum carried through).
static inline float window_accumulate(float sum, __global const float* plane, __global const float* f, int H, int W,
                               int oy, int ox, int kh, int kw, int sh, int sw, int ph, int pw) {
    for (int ky = 0; ky < kh; ky++) {
        int iy = oy * sh - ph + ky;
        int rowValid = iy >= 0 && iy < H;
        __global const float* row = plane + (size_t)clamp(iy, 0, H - 1) * W;
        for (int kx = 0; kx < kw; kx++) {
            int ix = ox * sw - pw + kx;
            float v = row[clamp(ix, 0, W - 1)];
            sum += ((rowValid && ix >= 0 && ix < W) ? v : 0.0f) * f[ky * kw + kx];
        }
    }
    return sum;
}

// depthwise_conv2d: conv2d with groups = C, one kh×kw filter per channel, zero padding.
// x [planes = N·C, H, W], w [C, kh, kw], b [C] (used when has_bias) -> y [planes, Ho, Wo];
// global [Wo, Ho, planes]. Taps in row-major order, then the bias (as the CPU reference). Loads
// use clamped addresses and a select instead of branches, so PoCL vectorises across x.
__kernel void depthwise_conv2d(__global const float* x, __global const float* w, __global const float* b,
                               __global float* y, int has_bias, int C, int H, int W, int Ho, int Wo,
                               int kh, int kw, int sh, int sw, int ph, int pw, int planes) {
    int ox = get_global_id(0), oy = get_global_id(1), p = get_global_id(2);
    if (ox >= Wo || oy >= Ho || p >= planes) return;
    int c = p % C;
    __global const float* src = x + (size_t)p * H * W;
    __global const float* f = w + (size_t)c * kh * kw;
    float sum = window_accumulate(0.0f, src, f, H, W, oy, ox, kh, kw, sh, sw, ph, pw);
    y[((size_t)p * Ho + oy) * Wo + ox] = sum + (has_bias ? b[c] : 0.0f);
}

// depthwise_conv2d specialised for k×k, stride 1, padding k/2 (3×3: every YuNet depthwise
// layer; 7×7: ConvNeXt's depthwise convolution in LivePortrait's motion extractor): one body for
// both, each work-item computing 8 consecutive outputs of DEPTHWISE_ROWS rows as float8s, from
// one run of 16 inputs per input row (pad = 1 or 3; one vload16 inside the row; at the ends of a
// row of whole 8-wide runs one vload16 or vload8 moved into place by fixed swizzles with zeros
// past the ends; element by element in rows of other widths) whose k windows are swizzles (the generic kernel loads k² per output).
// Same tap order as the generic kernel (row by row, each row left to right). K is a literal at
// every call, so the loops unroll as in a hand-written kernel.
// global [ceil(W/8), ceil(H/DEPTHWISE_ROWS), planes].
// The run of depthwise_run16 at a row's ends (not inlined, so the callers' loops stay small
// enough to unroll).
__attribute__((noinline)) static float16 depthwise_edge16(__global const float* row, int start, int W, const int pad) {
    const float4 z4 = (float4)(0.0f);
    const float3 z3 = (float3)(0.0f);
    if (W >= 16 && start == -pad) {                      // left end: pad zeros, then the row's first values
        float16 r = vload16(0, row);
        return pad == 1 ? (float16)(0.0f, r.s012, r.s3456789a, r.sbcde) : (float16)(z3, r.s0, r.s1234, r.s56789abc);
    }
    if (W >= 16 && W % 8 == 0 && start == W - 8 - pad) { // right end of a row of whole runs: its last 16 values, moved
        float16 r = vload16(0, row + W - 16);
        return pad == 1 ? (float16)(r.s789abcde, r.sf, z4, z3) : (float16)(r.s56789abc, r.sdef, z4, 0.0f);
    }
    if (W == 8) {                                        // an 8-wide row: both ends at once
        float8 r = vload8(0, row);
        return pad == 1 ? (float16)(0.0f, r, z4, z3) : (float16)(z3, r, z4, 0.0f);
    }
#define DEPTHWISE_AT(i) ((start + (i) >= 0 && start + (i) < W) ? row[clamp(start + (i), 0, W - 1)] : 0.0f)
    return (float16)(DEPTHWISE_AT(0), DEPTHWISE_AT(1), DEPTHWISE_AT(2), DEPTHWISE_AT(3), DEPTHWISE_AT(4), DEPTHWISE_AT(5),
                     DEPTHWISE_AT(6), DEPTHWISE_AT(7), DEPTHWISE_AT(8), DEPTHWISE_AT(9), DEPTHWISE_AT(10), DEPTHWISE_AT(11),
                     DEPTHWISE_AT(12), DEPTHWISE_AT(13), DEPTHWISE_AT(14), DEPTHWISE_AT(15));
#undef DEPTHWISE_AT
}

static inline float16 depthwise_run16(__global const float* row, int start, int W, const int pad) {
    return start >= 0 && start + 16 <= W ? vload16(0, row + start) : depthwise_edge16(row, start, W, pad);
}

// The 8 inputs under tap kx of 8 consecutive outputs: v[kx .. kx + 7] (kx < 7).
static inline float8 depthwise_window8(float16 v, const int kx) {
    switch (kx) {
    case 0: return v.s01234567;
    case 1: return v.s12345678;
    case 2: return v.s23456789;
    case 3: return v.s3456789a;
    case 4: return v.s456789ab;
    case 5: return v.s56789abc;
    default: return v.s6789abcd;
    }
}

#define DEPTHWISE_ROWS 4
static inline void depthwise_row8(__global const float* x, __global const float* w, __global const float* b,
                                  __global float* y, int has_bias, int C, int H, int W, int planes, const int K) {
    int gx = get_global_id(0), oy0 = get_global_id(1) * DEPTHWISE_ROWS, p = get_global_id(2);
    int ox0 = gx * 8, pad = K / 2;
    if (ox0 >= W || oy0 >= H || p >= planes) return;
    int c = p % C;
    __global const float* src = x + (size_t)p * H * W;
    __global const float* f = w + (size_t)c * K * K;
    float8 acc[DEPTHWISE_ROWS];
    for (int j = 0; j < DEPTHWISE_ROWS; j++) acc[j] = (float8)(0.0f);
    // Input row oy0 - pad + i feeds output row oy0 + j through kernel row i - j: every input row
    // is loaded once for the DEPTHWISE_ROWS outputs, and each output still sees its kernel rows in
    // ascending order.
    for (int i = 0; i < DEPTHWISE_ROWS + K - 1; i++) {
        int iy = oy0 - pad + i;
        if (iy < 0 || iy >= H) continue;
        float16 v = depthwise_run16(src + (size_t)iy * W, ox0 - pad, W, pad);
        for (int j = 0; j < DEPTHWISE_ROWS; j++) {
            int ky = i - j;
            if (ky < 0 || ky >= K) continue;
            for (int kx = 0; kx < K; kx++) acc[j] += depthwise_window8(v, kx) * f[ky * K + kx];
        }
    }
    float bias = has_bias ? b[c] : 0.0f;
    for (int j = 0; j < DEPTHWISE_ROWS && oy0 + j < H; j++) {
        float8 r = acc[j] + (float8)(bias);
        __global float* out = y + ((size_t)p * H + oy0 + j) * W;
        if (ox0 + 8 <= W) {
            vstore8(r, 0, out + ox0);
        } else {
            float t[8];
            vstore8(r, 0, t);
            for (int i = 0; i < W - ox0; i++) out[ox0 + i] = t[i];
        }
    }
}

__kernel void depthwise_conv2d_3x3(__global const float* x, __global const float* w, __global const float* b,
                                   __global float* y, int has_bias, int C, int H, int W, int planes) {
    depthwise_row8(x, w, b, y, has_bias, C, H, W, planes, 3);
}

__kernel void depthwise_conv2d_7x7(__global const float* x, __global const float* w, __global const float* b,
                                   __global float* y, int has_bias, int C, int H, int W, int planes) {
    depthwise_row8(x, w, b, y, has_bias, C, H, W, planes, 7);
}

// ==== LivePortrait ops (LayerNorm+Ops, GlobalResponseNorm+Ops, Softmax+Ops, PixelShuffle+Ops,
// Modulation+Ops, KeypointMotion+Ops in Sources/Kernels) ====

// layer_norm over dim 1 of x viewed as [outer, C, S]: one work-item per run of 8 positions
// (s0..s0+7, n), two-pass mean and biased variance over the C values (stride S) as float8 lanes
// (the loads of a channel are one vload8, not 8 strided scalars), then
// (x - mean) * rstd * w[c] + b[c]. A run past S (its tail) takes the positions one by one in
// the same order, so every position sums its channels in the same sequence either way.
// flags: 1 weight, 2 bias. global [ceil(S / 8), outer].
__kernel void layer_norm_channels(__global const float* x, __global const float* w, __global const float* b,
                                  __global float* y, int C, int S, int flags, float eps) {
    int s0 = get_global_id(0) * 8, n = get_global_id(1);
    if (s0 >= S) return;
    size_t base = (size_t)n * C * S + s0;
    if (s0 + 8 <= S) {
        float8 sum = (float8)(0.0f);
        for (int c = 0; c < C; ++c) sum += vload8(0, x + base + (size_t)c * S);
        float8 mean = sum / (float)C;
        float8 squares = (float8)(0.0f);
        for (int c = 0; c < C; ++c) { float8 d = vload8(0, x + base + (size_t)c * S) - mean; squares += d * d; }
        float8 inv = 1.0f / sqrt(squares / (float)C + eps);
        for (int c = 0; c < C; ++c) {
            size_t i = base + (size_t)c * S;
            vstore8((vload8(0, x + i) - mean) * inv * ((flags & 1) ? w[c] : 1.0f) + ((flags & 2) ? b[c] : 0.0f), 0, y + i);
        }
        return;
    }
    for (int k = 0; k < S - s0; ++k) {
        size_t at = base + k;
        float sum = 0.0f;
        for (int c = 0; c < C; ++c) sum += x[at + (size_t)c * S];
        float mean = sum / (float)C;
        float squares = 0.0f;
        for (int c = 0; c < C; ++c) { float d = x[at + (size_t)c * S] - mean; squares += d * d; }
        float inv = 1.0f / sqrt(squares / (float)C + eps);
        for (int c = 0; c < C; ++c) {
            size_t i = at + (size_t)c * S;
            y[i] = (x[i] - mean) * inv * ((flags & 1) ? w[c] : 1.0f) + ((flags & 2) ? b[c] : 0.0f);
        }
    }
}

// GRN step 1: g[row] = sqrt(sum of x^2 over the row's S values), one work-item per row. The sum
// is formed as GRN_LANES lane-strided partial sums (lane l takes s = l, l + 64, ...: eight float8
// accumulators over runs of 64, the tail lane by lane), then a pairwise tree (64 -> 32 -> ... -> 1):
// the order of a 64-lane work-group with a tree in local memory, without its barriers. global [rows].
#define GRN_LANES 64
#define GRN_SQUARES(k) { float8 v = vload8(k, p + s); a##k += v * v; }
__kernel void grn_norms(__global const float* x, __global float* g, int S, int rows) {
    int row = get_global_id(0);
    if (row >= rows) return;
    __global const float* p = x + (size_t)row * S;
    float8 a0 = (float8)(0.0f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    int s = 0;
    for (; s + GRN_LANES <= S; s += GRN_LANES) {
        GRN_SQUARES(0) GRN_SQUARES(1) GRN_SQUARES(2) GRN_SQUARES(3)
        GRN_SQUARES(4) GRN_SQUARES(5) GRN_SQUARES(6) GRN_SQUARES(7)
    }
    float part[GRN_LANES];
    vstore8(a0, 0, part); vstore8(a1, 1, part); vstore8(a2, 2, part); vstore8(a3, 3, part);
    vstore8(a4, 4, part); vstore8(a5, 5, part); vstore8(a6, 6, part); vstore8(a7, 7, part);
    for (int lane = 0; lane < S - s; ++lane) part[lane] += p[s + lane] * p[s + lane];
    for (int k = GRN_LANES / 2; k > 0; k >>= 1)
        for (int lane = 0; lane < k; ++lane) part[lane] += part[lane + k];
    g[row] = sqrt(part[0]);
}

// GRN step 2: scale[n, c] = g[n, c] / (mean over c of g[n, :] + eps), one work-group of GRN_LANES
// work-items per n: lane-strided partial sums, a tree in local memory, then each lane scales its
// channels (the sum is formed once per n, not once per channel). global [64, N].
__kernel __attribute__((reqd_work_group_size(GRN_LANES, 1, 1))) void grn_scale(__global const float* g, __global float* scale,
                                                                              int C, float eps) {
    __local float part[GRN_LANES];
    int lane = get_local_id(0), n = get_group_id(1);
    __global const float* row = g + (size_t)n * C;
    float acc = 0.0f;
    for (int c = lane; c < C; c += GRN_LANES) acc += row[c];
    part[lane] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = GRN_LANES / 2; k > 0; k >>= 1) {
        if (lane < k) part[lane] += part[lane + k];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float inv = 1.0f / (part[0] / (float)C + eps);
    for (int c = lane; c < C; c += GRN_LANES) scale[(size_t)n * C + c] = row[c] * inv;
}

// GRN step 3: y = gamma[c] * (x * scale[row]) + beta[c] + x for row = n * C + c, 8 positions of a
// row per work-item (one vload8/vstore8; a run past S one by one). global [ceil(S / 8), rows].
__kernel void grn_apply(__global const float* x, __global const float* gamma, __global const float* beta,
                        __global const float* scale, __global float* y, int S, int rows, int C) {
    int s0 = get_global_id(0) * 8, row = get_global_id(1);
    if (s0 >= S || row >= rows) return;
    int c = row % C;
    float gc = gamma[c], bc = beta[c], sc = scale[row];
    size_t i = (size_t)row * S + s0;
    if (s0 + 8 <= S) {
        float8 v = vload8(0, x + i);
        vstore8(gc * (v * sc) + bc + v, 0, y + i);
        return;
    }
    for (int k = 0; k < S - s0; ++k) {
        float v = x[i + k];
        y[i + k] = gc * (v * sc) + bc + v;
    }
}

// softmax along the middle axis of x viewed as [outer, C, inner]: one work-item per position
// (i, o); maximum, sum of exp(x - max), then exp(x - max) / sum. global [inner, outer].
__kernel void softmax_axis(__global const float* x, __global float* y, int C, int inner, int outer) {
    int i = get_global_id(0), o = get_global_id(1);
    if (i >= inner || o >= outer) return;
    size_t base = (size_t)o * C * inner + i;
    float peak = -INFINITY;
    for (int c = 0; c < C; ++c) peak = fmax(peak, x[base + (size_t)c * inner]);
    float sum = 0.0f;
    for (int c = 0; c < C; ++c) {
        size_t at = base + (size_t)c * inner;
        float e = exp(x[at] - peak);
        y[at] = e;
        sum += e;
    }
    for (int c = 0; c < C; ++c) y[base + (size_t)c * inner] /= sum;
}

// softmax along a long middle axis (C > SOFTMAX_ROWS, inner % 4 == 0; the few-shot attention's
// 4096 keys): the axis is cut into blocks of SOFTMAX_ROWS rows so that a work-group's loads walk a
// few pages, not C of them, and each work-item takes 4 adjacent positions (vector exp).
// 1) softmax_axis_partial, global [inner/4, blocks, outer]: per block, the maximum m_b and
//    s_b = sum exp(x - m_b); stats [outer, blocks, 2, inner] (m_b, then s_b).
// 2) softmax_axis_combine, global [inner, outer]: m = max m_b, s = sum s_b * exp(m_b - m);
//    total [outer, 2, inner] (m, then s).
// 3) softmax_axis_scale, global [inner/4, blocks, outer]: y = exp(x - m) / s.
#define SOFTMAX_ROWS 64
__kernel void softmax_axis_partial(__global const float* x, __global float* stats, int C, int inner, int blocks) {
    int q = get_global_id(0), b = get_global_id(1), o = get_global_id(2);
    if (q * 4 >= inner || b >= blocks) return;
    int c0 = b * SOFTMAX_ROWS, c1 = min(C, c0 + SOFTMAX_ROWS);
    __global const float* p = x + (size_t)o * C * inner + (size_t)q * 4;
    float4 peak = (float4)(-INFINITY);
    for (int c = c0; c < c1; ++c) peak = fmax(peak, vload4(0, p + (size_t)c * inner));
    float4 sum = (float4)(0.0f);
    for (int c = c0; c < c1; ++c) sum += exp(vload4(0, p + (size_t)c * inner) - peak);
    __global float* s = stats + ((size_t)o * blocks + b) * 2 * inner + (size_t)q * 4;
    vstore4(peak, 0, s);
    vstore4(sum, 0, s + inner);
}

__kernel void softmax_axis_combine(__global const float* stats, __global float* total, int inner, int blocks) {
    int i = get_global_id(0), o = get_global_id(1);
    if (i >= inner) return;
    __global const float* s = stats + (size_t)o * blocks * 2 * inner + i;
    float peak = -INFINITY;
    for (int b = 0; b < blocks; ++b) peak = fmax(peak, s[(size_t)b * 2 * inner]);
    float sum = 0.0f;
    for (int b = 0; b < blocks; ++b) sum += s[(size_t)b * 2 * inner + inner] * exp(s[(size_t)b * 2 * inner] - peak);
    total[(size_t)o * 2 * inner + i] = peak;
    total[(size_t)o * 2 * inner + inner + i] = sum;
}

__kernel void softmax_axis_scale(__global const float* x, __global const float* total, __global float* y,
                                 int C, int inner, int blocks) {
    int q = get_global_id(0), b = get_global_id(1), o = get_global_id(2);
    if (q * 4 >= inner || b >= blocks) return;
    int c0 = b * SOFTMAX_ROWS, c1 = min(C, c0 + SOFTMAX_ROWS);
    __global const float* t = total + (size_t)o * 2 * inner + (size_t)q * 4;
    float4 peak = vload4(0, t), sum = vload4(0, t + inner);
    size_t base = (size_t)o * C * inner + (size_t)q * 4;
    for (int c = c0; c < c1; ++c) {
        size_t at = base + (size_t)c * inner;
        vstore4(exp(vload4(0, x + at) - peak) / sum, 0, y + at);
    }
}

// transpose of the last two dims: y [B, N, M] from x [B, M, N], y[b, j, i] = x[b, i, j].
// global [M, N, B] (rounded up to the work-group size; guarded).
__kernel void transpose_last2(__global const float* x, __global float* y, int M, int N, int B) {
    int i = get_global_id(0), j = get_global_id(1), b = get_global_id(2);
    if (i >= M || j >= N || b >= B) return;
    size_t plane = (size_t)b * M * N;
    y[plane + (size_t)j * M + i] = x[plane + (size_t)i * N + j];
}

// pixel_shuffle: y [planes, H*r, W*r] from x [planes*r*r, H, W] (planes = N*C),
// y[p, h*r + i, w*r + j] = x[p*r*r + i*r + j, h, w]. One work-item per output element.
__kernel void pixel_shuffle(__global const float* x, __global float* y, int H, int W, int r, int n) {
    int o = get_global_id(0);
    if (o >= n) return;
    int Wo = W * r, Ho = H * r;
    int ox = o % Wo, t = o / Wo;
    int oy = t % Ho, p = t / Ho;
    int source = (p * r + oy % r) * r + ox % r;
    y[o] = x[((size_t)source * H + oy / r) * W + ox / r];
}

// SPADE modulation: y = x * (1 + gamma) + beta, element-wise.
__kernel void modulate(__global const float* x, __global const float* gamma, __global const float* beta,
                       __global float* y, int n) {
#pragma OPENCL FP_CONTRACT OFF
    int i = get_global_id(0);
    if (i < n) y[i] = x[i] * (1.0f + gamma[i]) + beta[i];
}

// Instance norm fused with the SPADE modulation: v = (x - mean) * scale + shift with the row's
// group-norm params (row = i / S), then v * (1 + gamma) + beta, then CONV_ACTIVATE (the identity
// unless built with -DCONV_ACT: spade_modulate's fallback when its convolutions are not Winograd).
__kernel void norm_modulate_apply(__global const float* x, __global const float* gamma, __global const float* beta,
                                  __global const float* params, __global float* y, int S, int rows) {
#pragma OPENCL FP_CONTRACT OFF
    // global [S, rows]: the row comes from the grid, not from a per-element division (which
    // PoCL cannot vectorise on x86: a 1-D version ran at a third of its neighbours' bandwidth).
    int s = get_global_id(0), row = get_global_id(1);
    if (s >= S || row >= rows) return;
    size_t i = (size_t)row * S + s;
    int p = 3 * row;
    float v = (x[i] - params[p]) * params[p + 1] + params[p + 2];
    y[i] = CONV_ACTIVATE(v * (1.0f + gamma[i]) + beta[i]);
}

// LivePortrait's identity grid coordinate along an axis of `steps` points: 2 * (i / (n - 1)) - 1.
static inline float kp_coordinate(int i, int steps) {
#pragma OPENCL FP_CONTRACT OFF
    return 2.0f * ((float)i / (float)(steps - 1)) - 1.0f;
}

// create_sparse_motions: out [N, K+1, D, H, W, 3]; k = 0 the identity grid, k >= 1
// (G - driver[k-1]) + source[k-1]. global [W, D*H, N*(K+1)]: the divisions are per row, not per
// voxel (PoCL does not vectorise integer division on x86; per-voxel v % W, v / W % H and v / (W·H)
// made this kernel several times slower than its output's bandwidth).
__kernel void sparse_motion(__global const float* source, __global const float* driver, __global float* out,
                            int K, int D, int H, int W) {
#pragma OPENCL FP_CONTRACT OFF
    int x = get_global_id(0), zy = get_global_id(1), kn = get_global_id(2);
    if (x >= W || zy >= D * H) return;
    int y = zy % H, z = zy / H, k = kn % (K + 1), n = kn / (K + 1);
    int V = D * H * W, v = zy * W + x;
    float3 g = (float3)(kp_coordinate(x, W), kp_coordinate(y, H), kp_coordinate(z, D));
    if (k > 0) {
        int kp = 3 * (n * K + k - 1);
        g = (g - (float3)(driver[kp], driver[kp + 1], driver[kp + 2])) + (float3)(source[kp], source[kp + 1], source[kp + 2]);
    }
    vstore3(g, ((size_t)n * (K + 1) + k) * V + v, out);
}

// exp(-0.5 * |g - kp|^2 / variance) for 8 voxels of a row (x coordinates gx; y, z shared),
// squares summed x, y, z as PyTorch does; the vector exp runs 8 lanes at once.
static inline float8 kp_gaussian8(float8 gx, float gy, float gz, float3 kp, float variance) {
#pragma OPENCL FP_CONTRACT OFF
    float8 dx = gx - kp.x;
    float dy = gy - kp.y, dz = gz - kp.z;
    float8 squares = dx * dx + dy * dy + dz * dz;
    return exp(-0.5f * squares / variance);
}

// create_heatmap_representations: out [N, K+1, 1, D, H, W]; k = 0 zeros, k >= 1
// gaussian(driver[k-1]) - gaussian(source[k-1]). 8 consecutive voxels of a row per work-item
// (float8, so exp is the vector one: per-voxel scalar exp made this kernel several times slower
// than its output's bandwidth). global [ceil(W/8), D*H, N*(K+1)].
__kernel void keypoint_heatmaps(__global const float* source, __global const float* driver, __global float* out,
                                int K, int D, int H, int W, float variance) {
#pragma OPENCL FP_CONTRACT OFF
    int x0 = get_global_id(0) * 8, zy = get_global_id(1), kn = get_global_id(2);
    if (x0 >= W || zy >= D * H) return;
    int y = zy % H, z = zy / H, k = kn % (K + 1), n = kn / (K + 1);
    float8 value = (float8)(0.0f);
    if (k > 0) {
        float8 gx = 2.0f * (convert_float8((int8)(x0) + (int8)(0, 1, 2, 3, 4, 5, 6, 7)) / (float)(W - 1)) - 1.0f;
        float gy = kp_coordinate(y, H), gz = kp_coordinate(z, D);
        int kp = 3 * (n * K + k - 1);
        value = kp_gaussian8(gx, gy, gz, (float3)(driver[kp], driver[kp + 1], driver[kp + 2]), variance)
              - kp_gaussian8(gx, gy, gz, (float3)(source[kp], source[kp + 1], source[kp + 2]), variance);
    }
    __global float* dst = out + ((size_t)n * (K + 1) + k) * D * H * W + (size_t)zy * W + x0;
    if (x0 + 8 <= W) {
        vstore8(value, 0, dst);
    } else {
        float lanes[8];
        vstore8(value, 0, lanes);
        for (int j = 0; x0 + j < W; ++j) dst[j] = lanes[j];
    }
}

// Deformation from the softmax mask: out[n, v, :] = sum over k of mask[n, k, v] * motion[n, k, v, :]
// (mask [N, K, V], motion [N, K, V, 3], out [N, V, 3]), terms in k order. global [V, N].
__kernel void weighted_motion_sum(__global const float* mask, __global const float* motion, __global float* out,
                                  int K, int V) {
#pragma OPENCL FP_CONTRACT OFF
    int v = get_global_id(0), n = get_global_id(1);
    if (v >= V) return;
    float3 acc = (float3)(0.0f);
    for (int k = 0; k < K; ++k) {
        size_t m = ((size_t)n * K + k) * V + v;
        acc += mask[m] * vload3(m, motion);
    }
    vstore3(acc, (size_t)n * V + v, out);
}

// ==== Grouped convolution (Sources/Kernels/GroupedConvolution*.swift) ====

// grouped_conv2d: conv2d with groups = G, zero padding. x [N, Cin, H, W], w [Cout, Cin/G, kh, kw],
// b [Cout] (used when has_bias) -> y [planes = N·Cout, Ho, Wo]; global [Wo, Ho, planes]. Direct:
// one work-item per output, summing its group's Cin/G channels × kh × kw taps (channel, then
// row-major taps; out-of-range taps read a clamped address and add zero), then the bias.
__kernel void grouped_conv2d(__global const float* x, __global const float* w, __global const float* b,
                             __global float* y, int has_bias, int Cin, int Cout, int G, int H, int W, int Ho, int Wo,
                             int kh, int kw, int sh, int sw, int ph, int pw, int planes) {
    int ox = get_global_id(0), oy = get_global_id(1), p = get_global_id(2);
    if (ox >= Wo || oy >= Ho || p >= planes) return;
    int n = p / Cout, o = p % Cout;
    int cg = Cin / G, group = o / (Cout / G);
    __global const float* src = x + ((size_t)n * Cin + (size_t)group * cg) * H * W;
    __global const float* f = w + (size_t)o * cg * kh * kw;
    float sum = 0.0f;
    for (int c = 0; c < cg; c++) {
        sum = window_accumulate(sum, src + (size_t)c * H * W, f, H, W, oy, ox, kh, kw, sh, sw, ph, pw);
        f += kh * kw;
    }
    y[((size_t)p * Ho + oy) * Wo + ox] = sum + (has_bias ? b[o] : 0.0f);
}

// ==== TFLite network ops (Sources/Kernels/PReLU+Ops.swift, ConstantPad+Ops.swift) ====

// y = x ≥ 0 ? x : slope[c]·x, c = (i / inner) % channels (one slope: inner = n, channels = 1).
__kernel void prelu(__global const float* x, __global const float* slope, __global float* y, int n, int inner, int channels) {
    int i = get_global_id(0);
    if (i < n) {
        float v = x[i];
        y[i] = v >= 0.0f ? v : v * slope[(i / inner) % channels];
    }
}

// Zero padding of [N, C, H, W] to [N, Co, Ho, Wo]: one work-item per output value, the input
// placed at (front, top, left). planes = N·Co.
__kernel void constant_pad(__global const float* x, __global float* y, int c, int h, int w, int co, int ho, int wo,
                           int front, int top, int left, int planes) {
    int ox = get_global_id(0), oy = get_global_id(1), plane = get_global_id(2);
    if (ox >= wo || oy >= ho || plane >= planes) return;
    int b = plane / co, ch = plane % co - front, iy = oy - top, ix = ox - left;
    float v = 0.0f;
    if (ch >= 0 && ch < c && iy >= 0 && iy < h && ix >= 0 && ix < w) v = x[((b * c + ch) * h + iy) * w + ix];
    y[(plane * ho + oy) * wo + ox] = v;
}
