#ifndef RETORT_COPENBLAS_SHIM_H
#define RETORT_COPENBLAS_SHIM_H
#include <cblas.h>

/// Number of threads OpenBLAS uses; wrapped so Swift never touches a C global directly.
static inline int retort_blas_threads(void) { return openblas_get_num_threads(); }
static inline void retort_blas_set_threads(int n) { openblas_set_num_threads(n); }
#endif
