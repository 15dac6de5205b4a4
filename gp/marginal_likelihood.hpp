#pragma once
// Log marginal likelihood of an exact GP and its gradient over the free hyperparameters:
//   LML = -1/2 r^T alpha - sum_i log L_ii - n/2 log(2 pi),  r = y - m,  alpha = K^{-1} r,
//   dLML/du_j = 1/2 sum_ab W_ab dK_ab/du_j  with  W = alpha alpha^T - K^{-1},
//   d/d log s2 = 1/2 s2 tr(W),  d/dm = sum_i alpha_i.
// One evaluator owns a kernel copy and an n x n workspace, so each optimizer thread uses its own.

#include <Eigen/Core>

#include "gpbo/gp/param_layout.hpp"

namespace gpbo {

class MarginalLikelihood {
 public:
  /// X, y are the modeled (mapped) data; `base` holds the values of the fixed hyperparameters.
  MarginalLikelihood(const Kernel& kernel, const GpOptions& options, Eigen::MatrixXd X, Eigen::VectorXd y,
                     ModelValues base);

  /// LML at params and, when gradient != nullptr, its gradient. Throws CholeskyError.
  double lml(const Eigen::VectorXd& params, Eigen::VectorXd* gradient);
  /// LML + log priors (the MAP objective / log posterior) and its gradient.
  double log_posterior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient);
  /// Log priors alone.
  double log_prior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient);

  [[nodiscard]] const ParamLayout& layout() const { return layout_; }
  [[nodiscard]] const ModelValues& base() const { return base_; }

 private:
  KernelPtr kernel_;
  ParamLayout layout_;
  Eigen::MatrixXd X_;
  Eigen::VectorXd y_;
  ModelValues base_;
  Eigen::MatrixXd work_;  // K + noise I, then its Cholesky factor, then W = alpha alpha^T - K^{-1}
  Eigen::MatrixXd gram_;  // K(X, X) of the last evaluation with a gradient
  Eigen::MatrixXd derivative_;  // what the kernel kept with gram_ for the contraction (may be empty)
};

}  // namespace gpbo
