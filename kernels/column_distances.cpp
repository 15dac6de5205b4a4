#include "gpbo/kernels/column_distances.hpp"

// Plain loops that the compiler vectorizes; `omp simd` (with -fopenmp-simd, no OpenMP runtime)
// allows the reduction to be vectorized as well.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GPBO_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define GPBO_MULTIVERSION
#endif

namespace gpbo {
namespace {

GPBO_MULTIVERSION
void squared_distances_impl(const double* __restrict Z, long ld, long d, long len, const double* __restrict z,
                            double* __restrict out) {
  for (long a = 0; a < len; ++a) out[a] = 0.0;
  for (long k = 0; k < d; ++k) {
    const double* __restrict c = Z + k * ld;
    const double zk = z[k];
#pragma omp simd
    for (long a = 0; a < len; ++a) {
      const double t = c[a] - zk;
      out[a] += t * t;
    }
  }
}

GPBO_MULTIVERSION
void weighted_differences_impl(const double* __restrict Z, long ld, long d, long len, const double* __restrict z,
                               const double* __restrict m, double* __restrict s) {
  for (long k = 0; k < d; ++k) {
    const double* __restrict c = Z + k * ld;
    const double zk = z[k];
    double acc = 0.0;
#pragma omp simd reduction(+ : acc)
    for (long a = 0; a < len; ++a) {
      const double t = c[a] - zk;
      acc += m[a] * t * t;
    }
    s[k] += acc;
  }
}

}  // namespace

void squared_distances_to(const Eigen::MatrixXd& Z, Eigen::Index first, const double* z, double* out) {
  squared_distances_impl(Z.data() + first, Z.rows(), Z.cols(), Z.rows() - first, z, out);
}

void add_weighted_squared_differences(const Eigen::MatrixXd& Z, Eigen::Index first, const double* z, const double* m,
                                      double* s) {
  weighted_differences_impl(Z.data() + first, Z.rows(), Z.cols(), Z.rows() - first, z, m, s);
}

}  // namespace gpbo
