#pragma once
// The equal-weight mixture of normals a fully Bayesian GP predicts at each point (one normal per
// hyperparameter draw): its distribution function and quantiles, so intervals are the mixture's
// own rather than those of one normal with its mean and variance.

#include <vector>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

/// P(Y <= x) at row `row` for Y the equal-weight mixture of N(parts[k].mean(row),
/// parts[k].variance(row)). A part with variance 0 is a point mass.
double mixture_cdf(const std::vector<Prediction>& parts, Eigen::Index row, double x);

/// The p-quantile (0 < p < 1) at row `row` of that mixture: the root of mixture_cdf - p, which
/// lies between the smallest and largest of the parts' own p-quantiles. One part: its normal
/// quantile exactly. Throws std::invalid_argument for no parts or p outside (0, 1).
double mixture_quantile(const std::vector<Prediction>& parts, Eigen::Index row, double p);

}  // namespace gpbo
