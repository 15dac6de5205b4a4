#include "gpbo/kernels/vector_exp.hpp"

#include <cmath>

#if defined(GPBO_HAVE_LIBMVEC) && defined(__x86_64__)
#include <immintrin.h>
#define GPBO_VECTOR_EXP 1
// glibc's vector variants of exp (x86-64 vector function ABI names; libmvec.so.1 since 2.22).
extern "C" __m128d _ZGVbN2v_exp(__m128d);
extern "C" __m256d _ZGVdN4v_exp(__m256d);
#endif

namespace gpbo {
namespace {

void exp_scalar(double* a, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) a[i] = std::exp(a[i]);
}

#ifdef GPBO_VECTOR_EXP
void exp_sse2(double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(a + i, _ZGVbN2v_exp(_mm_loadu_pd(a + i)));
  exp_scalar(a + i, n - i);
}

// Compiled for AVX2 whatever the build's baseline; only called when the CPU has it.
__attribute__((target("avx2"))) void exp_avx2(double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(a + i, _ZGVdN4v_exp(_mm256_loadu_pd(a + i)));
  exp_scalar(a + i, n - i);
}

bool cpu_has_avx2() {
  // cpu_init first: this may run from another library's static initializer, before GCC's own.
  static const bool has = (__builtin_cpu_init(), __builtin_cpu_supports("avx2") != 0);
  return has;
}
#endif

}  // namespace

void exp_in_place(double* a, std::size_t n) {
#ifdef GPBO_VECTOR_EXP
  if (cpu_has_avx2()) {
    exp_avx2(a, n);
  } else {
    exp_sse2(a, n);
  }
#else
  exp_scalar(a, n);
#endif
}

void exp_in_place_baseline(double* a, std::size_t n) {
#ifdef GPBO_VECTOR_EXP
  exp_sse2(a, n);
#else
  exp_scalar(a, n);
#endif
}

const char* exp_in_place_implementation() {
#ifdef GPBO_VECTOR_EXP
  return cpu_has_avx2() ? "avx2" : "sse2";
#else
  return "scalar";
#endif
}

}  // namespace gpbo
