#pragma once
// Surrogate models that differ only in their targets at the same inputs, held as one GP.
//
// Noisy EI's fantasies (bayesopt/noisy_ei.hpp) are one noise-free model conditioned on many
// posterior draws at the evaluated points: the same kernel, inputs and factorization, so the same
// posterior variance and different means. Kept as one model and a matrix of targets, a batch of
// candidates costs one cross-covariance and one triangular solve for all of them; the means are
// one matrix product more. A model without extra targets is its own single member, so the
// acquisition search treats every surrogate (one MAP model, mcmc samples, fantasies) alike.
//
// Units: targets, means and variances are in the model's user units (for the optimizer, the
// standardized values it models); inputs are rows of the encoded unit cube.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstddef>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

/// Posterior of every member at a batch of points: one variance, a mean per member.
struct MemberPredictions {
  Eigen::MatrixXd means;     // rows x members
  Eigen::VectorXd variance;  // rows, shared
};

/// Posterior of every member at one point, with gradients in the point.
struct MemberPointPredictions {
  Eigen::VectorXd means;               // members
  Eigen::MatrixXd mean_gradients;      // members x d
  double variance = 0.0;               // shared
  Eigen::RowVectorXd variance_gradient;  // 1 x d
};

class SharedCovarianceModels {
 public:
  /// The model as its only member.
  explicit SharedCovarianceModels(GaussianProcess model);
  /// One member per column of `targets` (model.size() x S, S >= 1): `model` conditioned on that
  /// column instead of its own targets.
  SharedCovarianceModels(GaussianProcess model, Eigen::MatrixXd targets);

  [[nodiscard]] std::size_t members() const;
  /// The model whose covariance the members share (for one member, that member).
  [[nodiscard]] const GaussianProcess& model() const { return model_; }
  /// The members' targets at model().X(), one column each; empty when the model is the member.
  [[nodiscard]] const Eigen::MatrixXd& targets() const { return targets_; }

  [[nodiscard]] MemberPredictions predict(const Eigen::MatrixXd& U) const;
  [[nodiscard]] MemberPointPredictions predict_gradient(const Eigen::RowVectorXd& u) const;
  /// Observes u in every member at that member's posterior mean there (the kriging believer of
  /// a pending point) and returns those means.
  Eigen::VectorXd believe(const Eigen::RowVectorXd& u);

 private:
  GaussianProcess model_;
  Eigen::MatrixXd targets_, weights_;  // weights_: model_.representer_weights(targets_)
};

}  // namespace gpbo::bo
