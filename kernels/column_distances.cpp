#include "gpbo/kernels/column_distances.hpp"

#include "gpbo/kernels/simd_dispatch.hpp"

namespace gpbo {
namespace {

// Dimensions are taken four at a time, so that each pass over the rows reads and writes the
// output (or updates the accumulators) once per four columns of Z.
GPBO_MULTIVERSION
void squared_distances_impl(const double* __restrict Z, long ld, long d, long len, const double* __restrict z,
                            double* __restrict out) {
  for (long a = 0; a < len; ++a) out[a] = 0.0;
  long k = 0;
  for (; k + 4 <= d; k += 4) {
    const double *c0 = Z + k * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
    const double z0 = z[k], z1 = z[k + 1], z2 = z[k + 2], z3 = z[k + 3];
#pragma omp simd
    for (long a = 0; a < len; ++a) {
      const double t0 = c0[a] - z0, t1 = c1[a] - z1, t2 = c2[a] - z2, t3 = c3[a] - z3;
      out[a] += (t0 * t0 + t1 * t1) + (t2 * t2 + t3 * t3);
    }
  }
  for (; k < d; ++k) {
    const double* c = Z + k * ld;
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
                               const double* __restrict w, const double* __restrict v, double* __restrict s) {
  long k = 0;
  for (; k + 4 <= d; k += 4) {
    const double *c0 = Z + k * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
    const double z0 = z[k], z1 = z[k + 1], z2 = z[k + 2], z3 = z[k + 3];
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (long a = 0; a < len; ++a) {
      // m = 0 adds 0 also where a difference squared overflowed (0 inf would be NaN); any other
      // m gives the same sum as before.
      const double m = w[a] * v[a];
      const double t0 = c0[a] - z0, t1 = c1[a] - z1, t2 = c2[a] - z2, t3 = c3[a] - z3;
      s0 += m == 0.0 ? 0.0 : m * (t0 * t0);
      s1 += m == 0.0 ? 0.0 : m * (t1 * t1);
      s2 += m == 0.0 ? 0.0 : m * (t2 * t2);
      s3 += m == 0.0 ? 0.0 : m * (t3 * t3);
    }
    s[k] += s0;
    s[k + 1] += s1;
    s[k + 2] += s2;
    s[k + 3] += s3;
  }
  for (; k < d; ++k) {
    const double* c = Z + k * ld;
    const double zk = z[k];
    double acc = 0.0;
#pragma omp simd reduction(+ : acc)
    for (long a = 0; a < len; ++a) {
      const double t = c[a] - zk;
      const double m = w[a] * v[a];
      acc += m == 0.0 ? 0.0 : m * (t * t);
    }
    s[k] += acc;
  }
}

}  // namespace

void squared_distances_to(const Eigen::MatrixXd& Z, Eigen::Index first, const double* z, double* out) {
  squared_distances_impl(Z.data() + first, Z.rows(), Z.cols(), Z.rows() - first, z, out);
}

void add_weighted_squared_differences(const Eigen::MatrixXd& Z, Eigen::Index first, const double* z, const double* w,
                                      const double* v, double* s) {
  weighted_differences_impl(Z.data() + first, Z.rows(), Z.cols(), Z.rows() - first, z, w, v, s);
}

}  // namespace gpbo
