#pragma once
// Mean and standard deviation of a sample that stay right for any finite values: the plain
// formulas overflow once deviations pass ~1e154 (their squares pass the double range), which
// would turn an objective measured in huge units into NaN standardized values, and underflow to
// 0 for deviations below ~1e-154.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

namespace gpbo {

struct MeanSd {
  double mean = 0.0;
  double sd = 0.0;
};

/// Mean and standard deviation sqrt(sum (v_i - mean)^2 / (n - ddof)) of v (ddof 0: population,
/// 1: sample). Bit-identical to the plain formulas whenever they do not overflow; otherwise
/// computed with scaling (Eigen's stableNorm). sd is 0 for fewer than ddof + 1 values; inf only when the values span
/// more than the double range.
MeanSd mean_sd(const Eigen::VectorXd& v, int ddof);

}  // namespace gpbo
