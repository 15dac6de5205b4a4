#pragma once
// Elliptical slice sampling (Murray, Adams & MacKay 2010) for targets of the form
//     p(f) ∝ N(f | m, Sigma) * exp(log_likelihood(f)),
// e.g. latent GP values under a GP prior. Each update draws nu ~ N(0, Sigma) and slice-samples
// the angle on the ellipse m + (f - m) cos t + nu sin t, shrinking the angle bracket toward the
// current point: no step size, no gradient, always moves, and exact for any likelihood.
//
// The Gaussian factor comes from one of:
//  1. a GaussianPriorModel (the prior and the log-likelihood given separately, the natural
//     interface for GP latent functions): the sampler uses them directly;
//  2. any other LogDensity: the sampler uses a Gaussian reference N(m, Sigma) and the
//     "likelihood" log p(f) - log N(f | m, Sigma), which leaves the target unchanged. The
//     reference is the one given to the constructor, or (when options.adapt) estimated during
//     warmup: the first half of warmup runs coordinate-wise slice sampling (slice.hpp; widths
//     adapted in the first quarter), the reference is the mean and k x the covariance of its
//     second-quarter draws (dense from at least 10 d draws, else diagonal; regularized like
//     Stan's metric; k = 2 for d <= 9, falling toward 1 as 1 / (1 - 1.5 / sqrt(d)) above), and the
//     second half of warmup is elliptical slice sampling with it. For a nearly Gaussian
//     posterior the draws are then nearly independent. Without adaptation, or with fewer than 20
//     second-quarter slice draws to estimate it from (warmup < 78), the reference is N(0, I),
//     which mixes poorly far from the posterior's location and scale (2-D N(30, 0.1^2 I), 4 x
//     1000 draws: bulk ESS about 50 with warmup 76, about 3500 with warmup 78).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// N(mean, L L') with L lower triangular (the Cholesky factor of the covariance).
struct GaussianPrior {
  Eigen::VectorXd mean;
  Eigen::MatrixXd chol;  ///< lower-triangular L, Sigma = L L'

  /// From a covariance matrix; throws std::invalid_argument if it is not symmetric positive definite
  /// or the sizes differ.
  static GaussianPrior from_covariance(const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance);
  /// N(0, I) of dimension d.
  static GaussianPrior standard(int d);

  [[nodiscard]] int dimension() const { return static_cast<int>(mean.size()); }
  /// Normalized log density log N(f | mean, L L').
  [[nodiscard]] double log_density(const Eigen::VectorXd& f) const;
  /// Gradient of log_density: -Sigma^-1 (f - mean).
  [[nodiscard]] Eigen::VectorXd gradient(const Eigen::VectorXd& f) const;
  /// nu ~ N(0, Sigma) (zero mean: the ellipse's auxiliary direction).
  void draw_centered(Rng& rng, Eigen::VectorXd& nu) const;
};

/// A target given as a Gaussian prior and a log-likelihood, usable by every sampler (its log
/// density is log N(f | prior) + log_likelihood(f)) and natively by elliptical slice sampling.
class GaussianPriorModel : public LogDensity {
 public:
  using LogLikelihood = std::function<double(const Eigen::VectorXd&)>;
  /// log-likelihood with gradient: returns the value and fills grad (resizing it).
  using LogLikelihoodGradient = std::function<double(const Eigen::VectorXd&, Eigen::VectorXd&)>;

  /// Value-only likelihood: for the gradient-free samplers (elliptical slice, slice, rwm,
  /// ensemble); log_density_gradient then throws std::logic_error.
  GaussianPriorModel(GaussianPrior prior, LogLikelihood log_likelihood, std::vector<std::string> names = {},
                     std::string model_name = "model");
  /// Likelihood with gradient: usable by the Hamiltonian samplers too.
  GaussianPriorModel(GaussianPrior prior, LogLikelihoodGradient log_likelihood_gradient,
                     std::vector<std::string> names = {}, std::string model_name = "model");

  [[nodiscard]] int dimension() const override { return prior_.dimension(); }
  double log_density_gradient(const Eigen::VectorXd& f, Eigen::VectorXd& grad) const override;
  [[nodiscard]] double log_density(const Eigen::VectorXd& f) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override { return names_; }
  [[nodiscard]] std::string name() const override { return model_name_; }

  [[nodiscard]] const GaussianPrior& prior() const { return prior_; }
  /// The log-likelihood alone (NaN reported as -infinity).
  [[nodiscard]] double log_likelihood(const Eigen::VectorXd& f) const;

 private:
  GaussianPrior prior_;
  LogLikelihood value_;
  LogLikelihoodGradient value_gradient_;
  std::vector<std::string> names_;
  std::string model_name_;
};

/// One elliptical slice update of f (log-likelihood `loglik_f` at f, updated in place) under
/// `prior`; returns the number of log-likelihood evaluations it took.
int elliptical_slice_step(const GaussianPrior& prior, const std::function<double(const Eigen::VectorXd&)>& log_likelihood,
                          Eigen::VectorXd& f, double& loglik_f, Rng& rng);

/// The Sampler "ess". Uses SamplerOptions: warmup, draws, thin, adapt (and slice_width,
/// slice_max_steps for the adaptive reference's slice phase). Reports no CmdStan
/// sampler diagnostics (every update moves); density_evaluations counts likelihood calls.
class EllipticalSliceSampler : public Sampler {
 public:
  /// Adaptive Gaussian reference for models that are not GaussianPriorModels.
  EllipticalSliceSampler() = default;
  /// Fixed Gaussian reference for models that are not GaussianPriorModels.
  explicit EllipticalSliceSampler(GaussianPrior reference) : reference_(std::move(reference)) {}

  [[nodiscard]] std::string name() const override { return "ess"; }
  [[nodiscard]] bool uses_gradient() const override { return false; }
  ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                  const IterationCallback& progress = {}) const override;

 private:
  std::optional<GaussianPrior> reference_;
};

}  // namespace gpbo::mcmc
