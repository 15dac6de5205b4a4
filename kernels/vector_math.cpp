#include "gpbo/kernels/vector_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(GPBO_HAVE_LIBMVEC) && defined(__x86_64__)
#include <immintrin.h>
#define GPBO_VECTOR_MATH 1
// glibc's vector variants of exp and log (x86-64 vector function ABI names; libmvec.so.1 since 2.22).
extern "C" __m128d _ZGVbN2v_exp(__m128d);
extern "C" __m256d _ZGVdN4v_exp(__m256d);
extern "C" __m128d _ZGVbN2v_log(__m128d);
extern "C" __m256d _ZGVdN4v_log(__m256d);
#endif

namespace gpbo {
namespace {

enum class Op { exp, log };

void apply_scalar(Op op, double* a, std::size_t n) {
  if (op == Op::exp) {
    for (std::size_t i = 0; i < n; ++i) a[i] = std::exp(a[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) a[i] = std::log(a[i]);
  }
}

#ifdef GPBO_VECTOR_MATH
void apply_sse2(Op op, double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    const __m128d x = _mm_loadu_pd(a + i);
    _mm_storeu_pd(a + i, op == Op::exp ? _ZGVbN2v_exp(x) : _ZGVbN2v_log(x));
  }
  apply_scalar(op, a + i, n - i);
}

// Compiled for AVX2 whatever the build's baseline; only called when the CPU has it.
__attribute__((target("avx2"))) void apply_avx2(Op op, double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d x = _mm256_loadu_pd(a + i);
    _mm256_storeu_pd(a + i, op == Op::exp ? _ZGVdN4v_exp(x) : _ZGVdN4v_log(x));
  }
  apply_scalar(op, a + i, n - i);
}

bool cpu_has_avx2() {
  // cpu_init first: this may run from another library's static initializer, before GCC's own.
  static const bool has = (__builtin_cpu_init(), __builtin_cpu_supports("avx2") != 0);
  return has;
}
#endif

void apply(Op op, double* a, std::size_t n) {
#ifdef GPBO_VECTOR_MATH
  if (cpu_has_avx2()) {
    apply_avx2(op, a, n);
  } else {
    apply_sse2(op, a, n);
  }
#else
  apply_scalar(op, a, n);
#endif
}

void apply_baseline(Op op, double* a, std::size_t n) {
#ifdef GPBO_VECTOR_MATH
  apply_sse2(op, a, n);
#else
  apply_scalar(op, a, n);
#endif
}

}  // namespace

void exp_in_place(double* a, std::size_t n) { apply(Op::exp, a, n); }
void log_in_place(double* a, std::size_t n) { apply(Op::log, a, n); }
void exp_in_place_baseline(double* a, std::size_t n) { apply_baseline(Op::exp, a, n); }
void log_in_place_baseline(double* a, std::size_t n) { apply_baseline(Op::log, a, n); }

void log1p_in_place(double* a, std::size_t n) {
  constexpr std::size_t kChunk = 256;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double u[kChunk];
  for (std::size_t i0 = 0; i0 < n; i0 += kChunk) {
    const std::size_t m = std::min(kChunk, n - i0);
    double* x = a + i0;
    for (std::size_t i = 0; i < m; ++i) u[i] = 1.0 + x[i];
    log_in_place(u, m);
    for (std::size_t i = 0; i < m; ++i) {
      const double v = 1.0 + x[i];
      // v - 1 is the part of x that v holds; scaling log(v) by x / (v - 1) restores the rest.
      // Where v is 1 the answer is x (|x| < 1.2e-16); where v is inf, inf / inf would be NaN.
      x[i] = v == 1.0 ? x[i] : (v == kInf ? v : u[i] * (x[i] / (v - 1.0)));
    }
  }
}

const char* exp_in_place_implementation() {
#ifdef GPBO_VECTOR_MATH
  return cpu_has_avx2() ? "avx2" : "sse2";
#else
  return "scalar";
#endif
}

}  // namespace gpbo
