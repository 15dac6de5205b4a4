#pragma once
// A parametric, monotone map of a GP's targets fitted together with the kernel's hyperparameters:
// a warped GP (Snelson, Rasmussen & Ghahramani, "Warped Gaussian processes", NIPS 2004). The GP
// models w = warp(y; p) and the fit maximizes
//   log p(y) = LML(w) + sum_i log dw_i/dy_i  (+ log priors of the kernel's hyperparameters),
// the likelihood of the ORIGINAL values, so that warps are compared on the same data. The warp
// owns the observed values (all n rows) and returns the targets in the GP's modeled units.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

namespace gpbo {

/// A warp's outputs at one parameter vector p (P entries) for all n observations.
struct WarpedTargets {
  Eigen::VectorXd w;           // n warped targets (modeled units)
  Eigen::VectorXd log_slope;   // n values of log dw_i/dy_i
  Eigen::MatrixXd dw;          // n x P: dw_i/dp_j (only when derivatives were asked for)
  Eigen::MatrixXd dlog_slope;  // n x P: d log_slope_i/dp_j (only when derivatives were asked for)
};

/// The largest noise variance carried into a model's units (where 1 is the values' spread): a
/// value this much noisier than the others' spread tells the model nothing, and the cap keeps
/// the factorization finite (1e-200 f(x) told with sd 1 gave inf, and every fit failed).
inline constexpr double kMaxCarriedVariance = 1e200;

/// Known noise variances v of unwarped values carried into the warp's units by its slopes
/// (log_slope = log dw/dy at each value): v (dw/dy)^2, the delta method, at most
/// kMaxCarriedVariance. Formed in logs: a tiny v (1e-322) at a steep slope (1e160) gave inf
/// times 0.
inline Eigen::VectorXd carried_variances(const Eigen::VectorXd& v, const Eigen::VectorXd& log_slope) {
  return (v.array().log() + 2.0 * log_slope.array()).exp().min(kMaxCarriedVariance).matrix();
}

class TargetWarp {
 public:
  virtual ~TargetWarp() = default;
  [[nodiscard]] virtual Eigen::Index num_params() const = 0;
  [[nodiscard]] virtual Eigen::Index num_targets() const = 0;
  /// Box bounds of the parameters (the fit stays inside them).
  [[nodiscard]] virtual Eigen::VectorXd lower() const = 0;
  [[nodiscard]] virtual Eigen::VectorXd upper() const = 0;
  [[nodiscard]] virtual WarpedTargets apply(const Eigen::VectorXd& p, bool derivatives) const = 0;
};

}  // namespace gpbo
