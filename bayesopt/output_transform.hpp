#pragma once
// The monotone output transform the surrogate models: y -> (psi_lambda((y - m1) / s1) - m2) / s2,
// with psi the Yeo-Johnson power transform (Yeo & Johnson 2000) and lambda chosen by maximum
// likelihood of a normal fit to the transformed values. It compresses heavy tails (e.g. the huge
// values of Rosenbrock far from its valley) so that a stationary GP can model the region that
// matters, keeps the order of values (the best point stays the best) and is the identity map
// (lambda = 1) on symmetric data. m1, s1 and m2, s2 are means and standard deviations.
//
// Before all that, penalty values (penalties.hpp) are capped: standardizing with them would erase
// every difference among the others. Values from `penalty_from` up count as `penalty_value`.
// Values are internal (lower is better), so for maximization a -1e30 penalty is capped as well.

#include <Eigen/Core>
#include <limits>

namespace gpbo::bo {

struct OutputTransform {
  double shift = 0.0, scale = 1.0;        // pre-standardization (m1, s1)
  double lambda = 1.0;                    // Yeo-Johnson exponent
  double post_shift = 0.0, post_scale = 1.0;  // standardization after the power transform (m2, s2)
  double penalty_from = std::numeric_limits<double>::infinity();  // values >= this are penalties
  double penalty_value = 0.0;                                       // ... and count as this

  /// Fits the transform to values y: lambda maximizes the likelihood in [lambda_min, lambda_max],
  /// and is kept at 1 unless that gains more than 3 log-likelihood units. With warp = false
  /// lambda stays 1 and the map is plain standardization (of the capped values).
  static OutputTransform fit(const Eigen::VectorXd& y, bool warp, double lambda_min = -1.0, double lambda_max = 2.0);
  [[nodiscard]] double apply(double y) const;
  /// y, or penalty_value for a penalty.
  [[nodiscard]] double capped(double y) const { return y >= penalty_from ? penalty_value : y; }
  [[nodiscard]] Eigen::VectorXd apply(const Eigen::VectorXd& y) const;
};

/// The Yeo-Johnson transform psi_lambda(x).
double yeo_johnson(double x, double lambda);

}  // namespace gpbo::bo
