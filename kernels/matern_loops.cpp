#include "gpbo/kernels/matern_loops.hpp"

#include <algorithm>
#include <cmath>

#include "gpbo/kernels/simd_dispatch.hpp"

namespace gpbo::matern_loops {
namespace {

// Scaled distances are capped where exp(-s) is already 0 in double precision, so that points
// very far apart (or d2 = inf after overflow) give k = 0 and dk = 0 instead of inf * 0 = NaN.
constexpr double kMaxScaledDistance = 1e3;

GPBO_MULTIVERSION
void roots_impl(const double* __restrict d2, long n, double c, double* __restrict s, double* __restrict e) {
#pragma omp simd
  for (long i = 0; i < n; ++i) {
    s[i] = std::min(std::sqrt(c * d2[i]), kMaxScaledDistance);
    e[i] = -s[i];
  }
}

GPBO_MULTIVERSION
void values_impl(int two_nu, const double* __restrict s, const double* __restrict e, long n, double* __restrict k,
                 double* __restrict dk) {
  switch (two_nu) {
    case 1:
#pragma omp simd
      for (long i = 0; i < n; ++i) k[i] = e[i];
      // f = exp(-r), df/d(r^2) = -exp(-r) / (2 r); 0 at r = 0, where its factor vanishes.
      if (dk) {
#pragma omp simd
        for (long i = 0; i < n; ++i) dk[i] = s[i] > 0.0 ? -0.5 * e[i] / s[i] : 0.0;
      }
      return;
    case 3:
#pragma omp simd
      for (long i = 0; i < n; ++i) k[i] = (1.0 + s[i]) * e[i];
      if (dk) {
#pragma omp simd
        for (long i = 0; i < n; ++i) dk[i] = -1.5 * e[i];
      }
      return;
    default:
#pragma omp simd
      for (long i = 0; i < n; ++i) k[i] = (1.0 + s[i] + s[i] * s[i] * (1.0 / 3.0)) * e[i];
      if (dk) {
#pragma omp simd
        for (long i = 0; i < n; ++i) dk[i] = (-5.0 / 6.0) * (1.0 + s[i]) * e[i];
      }
      return;
  }
}

GPBO_MULTIVERSION
void derivative_impl(int two_nu, const double* __restrict d2, const double* __restrict k, long n, double* __restrict dk) {
  switch (two_nu) {
    case 1:
#pragma omp simd
      for (long i = 0; i < n; ++i) {
        const double r = std::min(std::sqrt(d2[i]), kMaxScaledDistance);
        dk[i] = r > 0.0 ? -0.5 * k[i] / r : 0.0;
      }
      return;
    case 3:
#pragma omp simd
      for (long i = 0; i < n; ++i) dk[i] = -1.5 * k[i] / (1.0 + std::min(std::sqrt(3.0 * d2[i]), kMaxScaledDistance));
      return;
    default:
#pragma omp simd
      for (long i = 0; i < n; ++i) {
        const double s = std::min(std::sqrt(5.0 * d2[i]), kMaxScaledDistance);
        dk[i] = (-5.0 / 6.0) * (1.0 + s) * k[i] / (1.0 + s + s * s * (1.0 / 3.0));
      }
      return;
  }
}

}  // namespace

void roots(const double* d2, Eigen::Index n, double c, double* s, double* e) { roots_impl(d2, n, c, s, e); }
void values(int two_nu, const double* s, const double* e, Eigen::Index n, double* k, double* dk) {
  values_impl(two_nu, s, e, n, k, dk);
}
void derivative_from_values(int two_nu, const double* d2, const double* k, Eigen::Index n, double* dk) {
  derivative_impl(two_nu, d2, k, n, dk);
}

}  // namespace gpbo::matern_loops
