#pragma once
// Elementwise math on arrays used in the kernels' inner loops.

#include <Eigen/Core>
#include <cmath>

namespace gpbo {

/// a <- exp(a) entrywise. Eigen's vectorized exp is fastest when AVX is enabled (e.g. with
/// GPBO_NATIVE); with only the x86-64 baseline (SSE2) glibc's scalar exp measured about twice
/// as fast as Eigen's SSE2 path, so that is used there.
inline void exp_in_place(Eigen::Ref<Eigen::ArrayXd> a) {
#if defined(__x86_64__) && !defined(__AVX__)
  for (Eigen::Index i = 0; i < a.size(); ++i) a[i] = std::exp(a[i]);
#else
  a = a.exp();
#endif
}

}  // namespace gpbo
