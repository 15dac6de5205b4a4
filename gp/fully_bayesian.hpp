#pragma once
// Fully-Bayesian GP hyperparameters: instead of one MAP point, S draws of the free
// hyperparameters from their posterior p(params | data) ∝ exp(LML + log priors) (bounds act as
// a truncation), by coordinate-wise slice sampling (mcmc/slice.hpp); predictions are the
// equal-weight mixture of the S conditional GPs.
//
// The model's priors should be proper (or the bounds tight): with flat priors on unbounded
// directions the posterior may be improper. Reproducible from the seed.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "gp/gaussian_process.hpp"

namespace gpbo {

struct FullyBayesianOptions {
  int samples = 16;           // S hyperparameter draws kept
  int warmup = 64;            // slice sweeps that adapt the widths (discarded)
  int thin = 2;               // keep every thin-th sweep
  std::uint64_t seed = 0;     // the sampler uses make_rng(seed, 0)
};

class FullyBayesianGp {
 public:
  /// `model` carries the kernel, options, priors and data; sampling starts from its current
  /// hyperparameters (a MAP fit first is a good start).
  explicit FullyBayesianGp(GaussianProcess model);

  /// Draws the hyperparameters (replacing earlier draws); warm-starts from the last call.
  void sample(const FullyBayesianOptions& options = {});
  /// S x p matrix of draws of the free hyperparameters (GaussianProcess::params() order).
  [[nodiscard]] const Eigen::MatrixXd& draws() const { return draws_; }
  /// The S conditional models (same data, one draw each).
  [[nodiscard]] const std::vector<GaussianProcess>& models() const { return models_; }
  [[nodiscard]] const GaussianProcess& base_model() const { return base_; }

  /// Mixture prediction in user units: mean = average of the S means; variance = average of
  /// (variance + mean^2) minus mean^2 (law of total variance). full_cov is not supported.
  [[nodiscard]] Prediction predict(const Eigen::MatrixXd& Xs, bool include_noise = false) const;

 private:
  GaussianProcess base_;
  Eigen::MatrixXd draws_;
  std::vector<GaussianProcess> models_;
  Eigen::VectorXd widths_;
};

}  // namespace gpbo
