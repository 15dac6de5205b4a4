#pragma once
// Fully-Bayesian GP hyperparameters: instead of one MAP point, S draws of the free
// hyperparameters from their posterior p(params | data) ∝ exp(LML + log priors) (bounds act as
// a truncation), by NUTS (mcmc/nuts.hpp) or coordinate-wise slice sampling (mcmc/slice.hpp);
// predictions are the equal-weight mixture of the S conditional GPs.
//
// The model's priors should be proper (or the bounds tight): with flat priors on unbounded
// directions the posterior may be improper. Reproducible from the seed.
//
// Two entry points share one sampler:
//  - sample_hyperparameters(), a free function on a GaussianProcess (the BO surrogate's mcmc mode
//    calls it);
//  - FullyBayesianGp, which owns the model, its draws and the conditional models, warm-starts each
//    sample() from the previous draws and adaptation, and follows data changes (set_data,
//    add_point).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

/// The MCMC algorithm that draws the hyperparameters.
///
/// Default NUTS. Measured with `gpbo fit --hyper mcmc --samples 400 --threads 1` on
/// configs/data/friedman_train.csv (150 x 5, Matérn-5/2 ARD: 8 hyperparameters), seeds 1 and 2:
/// NUTS (max tree depth 5) gave min bulk ESS 187 / 88 over the hyperparameters in 7.5 / 7.9 s with
/// no divergences; slice sampling 15 / 34 in 8.2 / 8.9 s (the ARD length scales and the output scale
/// are correlated, which coordinate-wise slice steps cross slowly); posterior means agreed within 2
/// MCSE. Both match the 1-D quadrature posterior in tests/gp. Slice sampling needs no
/// gradient and no step size: prefer it if NUTS reports divergences.
enum class HyperSampler { Nuts, Slice };

/// "nuts" or "slice"; throws std::invalid_argument naming the choices otherwise.
HyperSampler parse_hyper_sampler(const std::string& text);
std::string hyper_sampler_name(HyperSampler sampler);

struct FullyBayesianOptions {
  int samples = 16;           // S hyperparameter draws kept
  int warmup = 64;            // adaptation iterations (slice widths; NUTS step size and metric), discarded
  int thin = 2;               // keep every thin-th iteration
  std::uint64_t seed = 0;     // the sampler uses make_rng(seed, 0)
  HyperSampler sampler = HyperSampler::Nuts;
  int max_treedepth = 5;      // NUTS: at most 2^max_treedepth leapfrog steps (likelihood gradients) per iteration
  /// NUTS: re-estimate the diagonal metric in the warmup's slow window. false keeps the warm
  /// start's metric and adapts only the step size, so a short warmup suffices when the posterior
  /// moved little since that metric was adapted (identity when there is none).
  bool adapt_metric = true;
};

/// What one run adapted, to warm-start the next run.
struct HyperSamplerAdaptation {
  Eigen::VectorXd widths;     // slice: per-coordinate bracket widths (empty: start from 1)
  double stepsize = 0.0;      // NUTS: step size (0: start from 1)
  Eigen::VectorXd inverse_metric;  // NUTS: diagonal inverse metric, one entry per hyperparameter (empty: identity)
};

/// Result of sample_hyperparameters().
struct HyperparameterDraws {
  Eigen::MatrixXd draws;                // S x p, GaussianProcess::params() coordinates and order
  HyperSamplerAdaptation adaptation;    // pass back for a warm start
  long long evaluations = 0;            // log-posterior evaluations (NUTS: with gradient), warmup included
  int divergences = 0;                  // NUTS divergent sampling iterations, thinned or kept
};

/// Draws options.samples points of gp's free hyperparameters from their posterior, starting at
/// `start` (finite log posterior, e.g. the MAP fit or the last draw of a previous run), with the
/// step size, inverse metric / widths of `warm` (a warm part of the wrong size is ignored). Without
/// data the draws are of the priors alone (improper where a hyperparameter has none: bounded only
/// by its bounds). Throws std::invalid_argument for bad options
/// or an infeasible start.
HyperparameterDraws sample_hyperparameters(const GaussianProcess& gp, const Eigen::VectorXd& start,
                                           const FullyBayesianOptions& options,
                                           const HyperSamplerAdaptation& warm = {});

/// Equal-weight mixture prediction of several models at the rows of Xs (user units): the mean is
/// the average of the means; the variance is the average of the variances plus the (population)
/// variance of the means (law of total variance), computed around the mixture mean.
Prediction mixture_predict(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& Xs,
                           bool include_noise = false);
/// Each model's own prediction at the rows of Xs (the parts of the mixture; normal_mixture.hpp
/// gives its quantiles).
std::vector<Prediction> predict_each(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& Xs,
                                     bool include_noise = false);
/// The same combination of given predictions (means and variances of equal length, e.g. the
/// leave-one-out predictions of each model); needs at least one.
Prediction mixture_of(const std::vector<Prediction>& parts);

class FullyBayesianGp {
 public:
  /// `model` carries the kernel, options, priors and data; sampling starts from its current
  /// hyperparameters (a MAP fit first is a good start).
  explicit FullyBayesianGp(GaussianProcess model);

  /// Draws the hyperparameters (replacing earlier draws); warm-starts from the last draw and the
  /// adaptation (step size and metric / widths) of the previous call.
  void sample(const FullyBayesianOptions& options = {});
  /// Uses the given S x p draws (e.g. read back from a file) as if sample() had produced them.
  void set_draws(const Eigen::MatrixXd& draws);

  /// Replaces the data (see GaussianProcess::set_data); the existing draws are kept, their
  /// conditional models refitted to the new data, and the next sample() starts from them.
  void set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
  /// Appends one observation to the base model and every conditional model (O(n^2) each); the
  /// draws are kept until the next sample().
  void add_point(const Eigen::RowVectorXd& x, double y);

  /// S x p matrix of draws of the free hyperparameters (GaussianProcess::params() order).
  [[nodiscard]] const Eigen::MatrixXd& draws() const { return draws_; }
  /// The S conditional models (same data, one draw each).
  [[nodiscard]] const std::vector<GaussianProcess>& models() const { return models_; }
  [[nodiscard]] const GaussianProcess& base_model() const { return base_; }
  /// The adaptation of the last sample() (what the next one starts from).
  [[nodiscard]] const HyperSamplerAdaptation& adaptation() const { return adaptation_; }
  /// Divergences and evaluations of the last sample().
  [[nodiscard]] int divergences() const { return divergences_; }
  [[nodiscard]] long long evaluations() const { return evaluations_; }

  /// mixture_predict() of the conditional models (the base model before any draws).
  /// full_cov is not supported.
  [[nodiscard]] Prediction predict(const Eigen::MatrixXd& Xs, bool include_noise = false) const;
  /// The conditional models' own predictions, the mixture's parts (one part, the base model's,
  /// before any draws): for the mixture's quantiles and density (normal_mixture.hpp).
  [[nodiscard]] std::vector<Prediction> predict_parts(const Eigen::MatrixXd& Xs, bool include_noise = false) const;

 private:
  void rebuild_models();

  GaussianProcess base_;
  Eigen::MatrixXd draws_;
  std::vector<GaussianProcess> models_;
  HyperSamplerAdaptation adaptation_;
  int divergences_ = 0;
  long long evaluations_ = 0;
};

}  // namespace gpbo
