#pragma once
// Elementwise loops of the Matérn profiles (see matern.hpp), in s = sqrt(c r^2) with c = 2 nu:
//   nu = 1/2: k = e;  3/2: k = (1 + s) e;  5/2: k = (1 + s + s^2 / 3) e;  e = exp(-s),
// and dk = df/d(r^2). Built for AVX2 and the baseline (simd_dispatch.hpp). Internal to kernels/.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

namespace gpbo::matern_loops {

/// s = sqrt(c d2) and e = -s (exp is applied by the caller, in place, to e).
void roots(const double* d2, Eigen::Index n, double c, double* s, double* e);
/// k (and dk unless null) from s and e = exp(-s); two_nu is 1, 3 or 5. k may alias neither.
void values(int two_nu, const double* s, const double* e, Eigen::Index n, double* k, double* dk);
/// dk from d2 and k = f(d2), without exp.
void derivative_from_values(int two_nu, const double* d2, const double* k, Eigen::Index n, double* dk);

}  // namespace gpbo::matern_loops
