#pragma once
// Log marginal likelihood of an exact GP and its gradient over the free hyperparameters:
//   LML = -1/2 r^T alpha - sum_i log L_ii - n/2 log(2 pi),  r = y - m,  alpha = K^{-1} r,
//   dLML/du_j = 1/2 sum_ab W_ab dK_ab/du_j  with  W = alpha alpha^T - K^{-1},
//   d/d log s2 = 1/2 s2 tr(W),  d/dm = sum_i alpha_i.
// One evaluator owns a kernel copy and an n x n workspace, so each optimizer thread uses its own.
// With a TargetWarp (gp/target_warp.hpp) the parameters gain the warp's P entries at the end, y
// is the warp's output at them, and the value gains sum_i log dw_i/dy_i:
//   d/dp_j = -alpha^T dw/dp_j + sum_i d log_slope_i / dp_j.
// Known noise variances v_i of the unwarped values (set_warped_point_noise) enter the diagonal as
// v_i (dw_i/dy_i)^2 at the current warp (the delta method), adding
//   d/dp_j += sum_i W_ii v_i (dw_i/dy_i)^2 d log_slope_i / dp_j.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include <utility>
#include <vector>

#include "gpbo/gp/param_layout.hpp"
#include "gpbo/gp/target_warp.hpp"

namespace gpbo {

class MarginalLikelihood {
 public:
  /// X, y are the modeled (mapped) data; `base` holds the values of the fixed hyperparameters.
  MarginalLikelihood(const Kernel& kernel, const GpOptions& options, Eigen::MatrixXd X, Eigen::VectorXd y,
                     ModelValues base);
  /// Targets from `warp` (not owned; it must outlive this): y is ignored and row i of X models
  /// the warp's target rows[i] (all targets in order when rows is empty).
  MarginalLikelihood(const Kernel& kernel, const GpOptions& options, Eigen::MatrixXd X, const TargetWarp& warp,
                     std::vector<Eigen::Index> rows, ModelValues base);

  /// Known noise variances of the rows (modeled units; empty = none), added to the diagonal
  /// with the model's noise (GaussianProcess::set_data's point_noise).
  void set_point_noise(Eigen::VectorXd point_noise);
  /// With a warp: known noise variances of all the warp's targets in the units of the values it
  /// warps (empty = none); each is carried into modeled units by the warp's slope.
  void set_warped_point_noise(Eigen::VectorXd variances);

  /// LML at params and, when gradient != nullptr, its gradient. Throws CholeskyError.
  double lml(const Eigen::VectorXd& params, Eigen::VectorXd* gradient);
  /// LML + log priors (the MAP objective / log posterior) and its gradient.
  double log_posterior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient);
  /// Log priors alone.
  double log_prior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient);

  [[nodiscard]] const ParamLayout& layout() const { return layout_; }
  /// Bounds of the whole parameter vector: the layout's, then the warp's.
  [[nodiscard]] Eigen::VectorXd lower() const;
  [[nodiscard]] Eigen::VectorXd upper() const;
  /// Number of parameters: layout().size() plus the warp's.
  [[nodiscard]] Eigen::Index size() const;
  [[nodiscard]] const ModelValues& base() const { return base_; }

 private:
  KernelPtr kernel_;
  ParamLayout layout_;
  Eigen::MatrixXd X_;
  Eigen::VectorXd y_;
  Eigen::VectorXd point_noise_;
  Eigen::VectorXd warped_point_noise_;  // all of the warp's targets, unwarped units
  ModelValues base_;
  const TargetWarp* warp_ = nullptr;
  std::vector<Eigen::Index> rows_;
  Eigen::MatrixXd work_;  // K + noise I, then its Cholesky factor, then W = alpha alpha^T - K^{-1}
  Eigen::MatrixXd gram_;  // K(X, X) of the last evaluation with a gradient
  Eigen::MatrixXd derivative_;  // what the kernel kept with gram_ for the contraction (may be empty)
};

}  // namespace gpbo
