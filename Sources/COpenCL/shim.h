// OpenCL 3.0 headers, with OpenCL 1.2-era APIs (clCreateCommandQueue...) still declared.
#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
