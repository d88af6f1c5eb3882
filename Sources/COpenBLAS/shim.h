#ifndef RETORT_COPENBLAS_SHIM_H
#define RETORT_COPENBLAS_SHIM_H
#include <cblas.h>

/// Number of threads OpenBLAS uses; wrapped so Swift never touches a C global directly.
static inline int retort_blas_threads(void) { return openblas_get_num_threads(); }
static inline void retort_blas_set_threads(int n) { openblas_set_num_threads(n); }

/// A spin-wait hint (x86 `pause`): a thread polling for work yields the core's execution
/// resources to its sibling hyperthread and saves power. Used by Retort's worker threads,
/// which wait for products and other parallel loops the way OpenBLAS's own threads would.
static inline void retort_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}
#endif
