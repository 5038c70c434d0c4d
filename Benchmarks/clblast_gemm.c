// CLBlast's SGEMM on the network's GEMM shapes, on the same OpenCL device our kernels run on, to
// decide whether the engine should call CLBlast (issue 8 item 2). Benchmark only: CLBlast is not a
// build or CI dependency.
//
// Build and run (Debian: apt-get install libclblast-dev):
//   cc -O2 Benchmarks/clblast_gemm.c -lclblast -lOpenCL -o /tmp/clblast_gemm && /tmp/clblast_gemm
// Compare with `portrait profile --ops --only conv2d,conv3d,matmul` in the same session
// (docs/performance.md, "CLBlast").
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/// One GEMM shape: `batch` products of an M×K by a K×N matrix (row-major), named after the
/// network op it stands for.
struct Shape {
    const char *name;
    size_t m, n, k, batch;
};

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static cl_mem filled(cl_context context, cl_command_queue queue, size_t count) {
    cl_int status;
    cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, count * sizeof(float), NULL, &status);
    if (status != CL_SUCCESS) { fprintf(stderr, "clCreateBuffer: %d\n", status); exit(1); }
    float *host = malloc(count * sizeof(float));
    for (size_t i = 0; i < count; ++i) host[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    clEnqueueWriteBuffer(queue, buffer, CL_TRUE, 0, count * sizeof(float), host, 0, NULL, NULL);
    free(host);
    return buffer;
}

/// Median of `repeats` timed calls (after one warm-up call, which includes CLBlast's kernel build).
static double time_gemm(cl_context context, cl_command_queue queue, struct Shape s, int repeats) {
    cl_mem a = filled(context, queue, s.batch * s.m * s.k);
    cl_mem b = filled(context, queue, s.batch * s.k * s.n);
    cl_mem c = filled(context, queue, s.batch * s.m * s.n);
    double times[16];
    for (int r = -1; r < repeats; ++r) {
        double start = seconds();
        CLBlastStatusCode status = s.batch == 1
            ? CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, s.m, s.n, s.k, 1.0f,
                           a, 0, s.k, b, 0, s.n, 0.0f, c, 0, s.n, &queue, NULL)
            : CLBlastSgemmStridedBatched(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, s.m, s.n, s.k, 1.0f,
                                         a, 0, s.k, s.m * s.k, b, 0, s.n, s.k * s.n, 0.0f, c, 0, s.n, s.m * s.n,
                                         s.batch, &queue, NULL);
        if (status != CLBlastSuccess) { fprintf(stderr, "%s: CLBlast status %d\n", s.name, status); exit(1); }
        clFinish(queue);
        if (r >= 0) times[r] = seconds() - start;
    }
    clReleaseMemObject(a); clReleaseMemObject(b); clReleaseMemObject(c);
    for (int i = 0; i < repeats; ++i)
        for (int j = i + 1; j < repeats; ++j)
            if (times[j] < times[i]) { double t = times[i]; times[i] = times[j]; times[j] = t; }
    return times[repeats / 2];
}

int main(void) {
    cl_platform_id platform;
    cl_device_id device;
    cl_int status = clGetPlatformIDs(1, &platform, NULL);
    if (status == CL_SUCCESS) status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL);
    if (status != CL_SUCCESS) { fprintf(stderr, "no OpenCL device (%d): install pocl-opencl-icd\n", status); return 1; }
    char name[256];
    clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof name, name, NULL);
    cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &status);
    cl_command_queue queue = clCreateCommandQueue(context, device, 0, &status);
    // The 1×1 convolutions are plain GEMMs (weight [Cout][Cin] × input [Cin][positions]); the
    // Winograd convolutions are batches of GEMMs, one per transform point.
    struct Shape shapes[] = {
        {"P 1536->512 k1 @64^2 (conv as GEMM)", 512, 4096, 1536, 1},
        {"G3D skip 96->96 k1 @16x64^2", 96, 65536, 96, 1},
        {"matmul 512^3", 512, 512, 512, 1},
        {"G2D 512->512 k3 @64^2: F(4x4) 36 x (512x256x512)", 512, 256, 512, 36},
        {"G2D 128->64 k3 @256^2: F(4x4) 36 x (64x4096x128)", 64, 4096, 128, 36},
        {"G3D 384->384 k3 @16^3: F(2x2x2) 64 x (384x512x384)", 384, 512, 384, 64},
    };
    printf("CLBlast SGEMM on %s (median of 5 after a warm-up)\n", name);
    printf("%-52s %10s %10s\n", "shape", "ms", "GFLOP/s");
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; ++i) {
        struct Shape s = shapes[i];
        double t = time_gemm(context, queue, s, 5);
        double flops = 2.0 * s.m * s.n * s.k * s.batch;
        printf("%-52s %10.2f %10.1f\n", s.name, t * 1e3, flops / t / 1e9);
    }
    clReleaseCommandQueue(queue);
    clReleaseContext(context);
    return 0;
}
