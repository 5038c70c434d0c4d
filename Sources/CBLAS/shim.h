// OpenBLAS's CBLAS interface (cblas_sgemm), used by the CPU convolutions.
#include <cblas.h>
