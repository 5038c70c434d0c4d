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
// conv_pad_input copies the input once into a zero-padded, row-interleaved scratch (so the
// inner loop has no bounds checks and walks memory contiguously), conv_pack_weights reorders
// the weights into reading order with the output channel innermost (Cout rounded up to 8 with
// zeros) plus a padded bias, and one conv_*_tile kernel where each work-item computes 8 output
// channels × 8 consecutive output x positions in eight named float8 accumulators
// (opencl-notes §0, §1.8). The last x tile of a row reads past the row (into the next one, or
// into slack at the end of the scratch); those lanes are never stored.

// Zero-padded, row-interleaved copy of x [N][C][D][H][W]: xp[n][zp][yp][c][xq] =
// x[n][c][zp-pd][yp-ph][xq-pw] inside the input, else 0. Putting the channel between y and x
// makes the tile kernel's walk over channels (for a fixed tap row) one contiguous stream.
// One work-item per padded row; global (C, N·Dp·Hp); every element of xp is written.
__kernel void conv_pad_input(__global const float* x, __global float* xp, int C,
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
    int rowPitch = Cin * Wp;
    __global const float* xn = xp + ((n * Dp + oz * sd) * Hp + oy * sh) * rowPitch + x0 * SX;
    for (int kz = 0; kz < KD; ++kz) {
        for (int ky = 0; ky < KH; ++ky) {
            __global const float* r = xn + (kz * Hp + ky) * rowPitch;
            for (int ic = 0; ic < Cin; ++ic, r += Wp) {
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
__kernel void group_norm_partial(__global const float* x, __global float* partial,
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
inline float gn_hsum8(float8 v) { return ((v.s0 + v.s1) + (v.s2 + v.s3)) + ((v.s4 + v.s5) + (v.s6 + v.s7)); }
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
    __global const float* cnt = partial + (size_t)grp * partialsPerGroup;
    __global const float* means = cnt + totalPartials;
    __global const float* m2s = means + totalPartials;
    float total = 0.0f;
    for (int b = 0; b < partialsPerGroup; b += GN_LANES) {
        float s = 0.0f;
        for (int j = b; j < min(b + GN_LANES, partialsPerGroup); j++) s = fma(cnt[j], means[j], s);
        total += s;
    }
    float mean = total / (float)groupLength;
    float m2 = 0.0f;
    for (int b = 0; b < partialsPerGroup; b += GN_LANES) {
        float s = 0.0f;
        for (int j = b; j < min(b + GN_LANES, partialsPerGroup); j++) {
            float d = means[j] - mean;
            s += m2s[j] + cnt[j] * d * d;
        }
        m2 += s;
    }
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

// y[r, i] = (x[r, i] - mean) * scale + shift with (mean, scale, shift) = params[3 * (r % paramRows)].
// global [spatial, rows], local [L, 1]; x and y may alias.
__kernel void norm_apply(__global const float* x, __global float* y, __global const float* params,
                         int spatial, int rows, int paramRows) {
    int i = get_global_id(0);
    int r = get_global_id(1);
    if (i >= spatial || r >= rows) return;
    int p = 3 * (r % paramRows);
    size_t at = (size_t)r * (size_t)spatial + (size_t)i;
    y[at] = (x[at] - params[p]) * params[p + 1] + params[p + 2];
}

// CPU variant of norm_apply: one work-item per NORM_SEGMENT contiguous elements of a row,
// float8 loads and stores. global [segments, rows].
#define NORM_SEGMENT 2048
__kernel void norm_apply_segments(__global const float* x, __global float* y, __global const float* params,
                                  int spatial, int rows, int paramRows, int segments) {
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

// ==== GridSample (Sources/Kernels/GridSample*.swift) ====
