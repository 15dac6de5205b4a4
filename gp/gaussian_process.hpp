#pragma once
// Exact Gaussian-process regression: y_i = m + f(x_i) + eps_i, f ~ GP(0, k), eps_i ~ N(0, s2).
//
// Conventions
// - Points are rows: X is n x d, y has n entries. Every public input and output (X, y,
//   predictions, gradients with respect to x) is in the USER's units.
// - Internally the model works on transformed data: inputs mapped by an InputMap (to the unit
//   cube by default) and outputs by an OutputMap (standardized by default). The kernel, the
//   noise variance and the mean constant live in these MODELED units: a length scale of 0.1
//   means a tenth of the input range, a noise variance of 0.01 means 1% of the (standardized)
//   output variance. Switch both maps off (GpOptions) to model raw units.
// - Hyperparameters form one flat vector "params" of the FREE (not fixed) hyperparameters in
//   the order: kernel hyperparameters (Kernel::hyperparameters() order, log space), then the
//   noise variance (log space) when learned, then the mean constant (raw value, not log) when
//   learned. Gradients are with respect to these coordinates.
// - log_marginal_likelihood() and friends are those of the modeled (transformed) targets.
//
// Numerics: Cholesky (Eigen LLT) of K + s2 I, adding jitter 1e-10 x mean(diag) and escalating
// x10 up to 1e-4 x mean(diag) when it fails; predictions use triangular solves with all test
// points at once. See gp/spd_inverse.hpp for the inverse used by the likelihood gradient.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gpbo/core/random.hpp"
#include "gpbo/gp/target_warp.hpp"
#include "gpbo/kernels/kernel.hpp"
#include "gpbo/kernels/prior.hpp"

namespace gpbo {

/// Thrown when K + s2 I cannot be Cholesky-factorized even with the largest jitter.
/// what() says what to try (larger noise lower bound, removing duplicate points, ...).
class CholeskyError : public std::runtime_error {
 public:
  CholeskyError(const std::string& message, double largest_jitter)
      : std::runtime_error(message), largest_jitter_(largest_jitter) {}
  /// The largest (absolute) jitter that was tried.
  [[nodiscard]] double largest_jitter() const { return largest_jitter_; }

 private:
  double largest_jitter_;
};

/// The prior mean function: zero, or a constant that may be learned.
struct MeanOptions {
  enum class Kind { Zero, Constant };
  Kind kind = Kind::Constant;
  double value = 0.0;                   // the constant (modeled units): initial or fixed value
  bool learn = true;                    // optimize the constant (Kind::Constant only)
  double lower = -1e3, upper = 1e3;     // bounds on the constant (modeled units)
  std::optional<double> prior_sd;       // Normal(0, prior_sd) prior on the constant; none = flat
};

/// Gaussian observation noise with variance s2 (modeled units), learned or fixed.
struct NoiseOptions {
  double variance = 1e-2;               // initial (learned) or fixed value
  bool learn = true;
  double lower = 1e-6, upper = 10.0;    // bounds on the variance (not log); optimized in log space
  std::optional<Prior> prior;           // prior on the variance; none = flat in log space
};

/// How the GP maps its data. Defaults suit direct use; the BO layer switches the maps off when
/// it maps to the unit cube and standardizes itself.
struct GpOptions {
  MeanOptions mean;
  NoiseOptions noise;
  bool scale_inputs = true;             // map inputs to the unit cube
  Eigen::RowVectorXd input_lower;       // known input bounds (1 x d); empty = min/max of the data
  Eigen::RowVectorXd input_upper;
  bool standardize_outputs = true;      // subtract the mean of y, divide by its standard deviation
                                        // (divisor n; equal values: by |mean|; one value: by 1)
};

/// What is wrong with `options`, if anything: the first invalid field as a path relative to the
/// options ("noise/lower", "input_upper/1") and the problem ("must be positive"). The
/// GaussianProcess constructor throws with it; gp_from_json names the field's path in the file.
struct GpOptionsProblem {
  std::string field, problem;
};
[[nodiscard]] std::optional<GpOptionsProblem> find_gp_options_problem(const GpOptions& options);

/// Affine input map z = (x - lower) ./ (upper - lower), column by column. Empty = identity.
struct InputMap {
  Eigen::RowVectorXd lower, upper;
  [[nodiscard]] bool identity() const { return lower.size() == 0; }
  [[nodiscard]] Eigen::MatrixXd apply(const Eigen::MatrixXd& X) const;
  /// d z_j / d x_j, 1 x d (ones for the identity).
  [[nodiscard]] Eigen::RowVectorXd jacobian(Eigen::Index d) const;
};

/// Affine output map z = (y - shift) / scale.
struct OutputMap {
  double shift = 0.0, scale = 1.0;
};

/// A free or fixed hyperparameter of the whole model (kernel, noise, mean).
struct GpHyperparameter {
  std::string name;        // "kernel.<kernel name>", "noise_variance", "mean"
  double value = 0.0;      // log(theta) for positive quantities; raw value for the mean
  double lower = 0.0;      // bounds in the same coordinate as value
  double upper = 0.0;
  bool log_scale = true;   // value is log(theta)
  bool fixed = false;      // not part of the free "params" vector
};

/// Thrown by GaussianProcess::predict and predict_gradient when a predicted mean or variance is
/// not finite: the kernel's arithmetic overflowed at a point far outside the data (a linear
/// kernel's x'x at 1e155). point() is its row among the points given.
class PredictionOverflow : public std::invalid_argument {
 public:
  PredictionOverflow(Eigen::Index point, const std::string& what) : std::invalid_argument(what), point_(point) {}
  [[nodiscard]] Eigen::Index point() const { return point_; }

 private:
  Eigen::Index point_;
};

/// Batched predictions, user units. covariance is filled only when asked for.
struct Prediction {
  Eigen::VectorXd mean;
  Eigen::VectorXd variance;
  Eigen::MatrixXd covariance;
  Eigen::MatrixXd target_means;  // rows x S, with PredictOptions::target_weights only
};

struct PredictOptions {
  bool full_cov = false;       // also return the joint covariance of the test points
  bool include_noise = false;  // noisy observations (noise_variance and the kernel sum's white terms) rather than f
  /// The means only (Prediction::variance left empty): O(n) work a point instead of the
  /// variance's O(n^2) triangular solve, for large batches where only the mean is wanted.
  /// Not with full_cov.
  bool mean_only = false;
  /// Test points handled at once (0: automatic, about 8M cross-covariances per block, so memory
  /// stays bounded for any number of test points). Ignored with full_cov.
  Eigen::Index block_rows = 0;
  /// Representer weights of S other target vectors at the training inputs (n x S, from
  /// representer_weights()): their posterior means fill Prediction::target_means. Models that
  /// differ only in their targets share the covariance, so one prediction serves them all.
  const Eigen::MatrixXd* target_weights = nullptr;
};

/// Prediction at one point with gradients with respect to x (user units), for acquisitions.
struct PointPrediction {
  double mean = 0.0;
  double variance = 0.0;                 // of f (noise excluded unless asked)
  Eigen::RowVectorXd mean_gradient;      // 1 x d
  Eigen::RowVectorXd variance_gradient;  // 1 x d
  Eigen::VectorXd target_means;          // S, with target weights only (PredictOptions::target_weights)
  Eigen::MatrixXd target_mean_gradients; // S x d, row s the gradient of target_means[s]
};

/// Closed-form leave-one-out predictive distributions of the noisy targets y_i, user units.
struct LooPrediction {
  Eigen::VectorXd mean;
  Eigen::VectorXd variance;  // includes the noise variance
};

/// How fit() searches for the MAP hyperparameters.
struct FitOptions {
  /// Random starts in addition to start 0 (the current values). gpbo fit's --restarts default
  /// is this value: the library and the CLI fit the same data to the same model. The BO layer,
  /// which refits often, sets its own (SurrogateOptions::restarts, first_fit_restarts).
  int restarts = 4;
  std::uint64_t seed = 0;        // start s draws from make_rng(seed, s)
  unsigned threads = 0;          // 0 = default_thread_count(); results do not depend on it
  bool use_priors = true;        // MAP (log likelihood + log priors); false = maximum likelihood
  int max_evaluations = 300;     // per L-BFGS run
  double ftol_rel = 1e-7;        // L-BFGS relative tolerance on the objective
  /// When > 0 and smaller than n, every start is first optimized on a random subset of this
  /// many points and only the best one is refined on all the data. Keep it at ten points an
  /// input or more: on fewer the starts are ranked on too little, and the refit on all the data
  /// can end in a model that calls everything noise. 1 is refused.
  std::size_t subset_size = 0;
  /// With subset_size: refine through nested subsets of 2m, 4m, ... points before all the data.
  bool subset_doubling = false;
  /// A warp of the targets fitted jointly (gp/target_warp.hpp; not owned; its targets are the
  /// GP's rows in order), starting from warp_start. The GP then models the warp's targets at the
  /// optimum (set as its data, in modeled units) and FitResult::warp_params holds that optimum.
  const TargetWarp* warp = nullptr;
  Eigen::VectorXd warp_start = Eigen::VectorXd();
  /// With a warp: known noise variances of the values it warps (one per row, their units; empty
  /// = none). Each enters the evidence as v_i (dw_i/dy_i)^2 at the warp being tried, and the
  /// fitted GP holds them so (as its point_noise, user units). The GP's own point_noise must
  /// then be empty.
  Eigen::VectorXd warp_point_noise = Eigen::VectorXd();
};

/// What fit() found.
struct FitResult {
  double log_posterior = 0.0;             // objective at the optimum (LML + log priors if used, + the warp's log Jacobian)
  double log_marginal_likelihood = 0.0;
  int best_start = 0;
  std::vector<double> start_objectives;   // final objective of each start (subset data if used)
  int evaluations = 0;                    // objective evaluations over all starts
  int refine_evaluations = 0;             // of which in the refinement after a subset pre-fit
  Eigen::VectorXd warp_params;            // the warp's parameters at the optimum (FitOptions::warp)
};

class GaussianProcess {
 public:
  GaussianProcess(KernelPtr kernel, GpOptions options = {});
  GaussianProcess(const GaussianProcess& other);
  GaussianProcess& operator=(const GaussianProcess& other);
  GaussianProcess(GaussianProcess&&) noexcept = default;
  GaussianProcess& operator=(GaussianProcess&&) noexcept = default;
  ~GaussianProcess() = default;

  /// Training inputs after the input map (in units of its range from its lower bound) and
  /// targets after the output map must lie closer to 0 than this: beyond it the kernel's
  /// distances, a linear kernel's x'x or y' K^-1 y overflow. set_data and add_point refuse others.
  static constexpr double kMappedLimit = 1e100;

  // ---- data ----
  /// Replaces the data (n x d, n values; n may be 0), recomputes the input/output maps as the
  /// options say, and refactorizes at the current hyperparameters.
  void set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
  /// The same with known noise variances of the observations (n values >= 0, in y's units
  /// squared): heteroscedastic measurement error added to the model's own noise, so that
  /// K + (s2 + v_i) I is factorized (scikit-learn's alpha array, BoTorch's train_Yvar). The
  /// learned or fixed s2 is what a new observation would add (predict's include_noise).
  /// In modeled units a variance counts as at most kMaxCarriedVariance (target_warp.hpp): such a
  /// point carries next to no weight, and a larger one would overflow.
  /// Not with a target warp (FitOptions::warp), whose units the variances are not in.
  void set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& point_noise);
  /// The output map set_data(X, y) computes with standardize_outputs: y's mean and standard
  /// deviation (see GpOptions for equal values and one value). Throws std::invalid_argument when
  /// that sd squared is no normal double (about 1e-154 < sd < 1e154 is needed).
  [[nodiscard]] static OutputMap standardization(const Eigen::VectorXd& y);
  /// Replaces the data using the given maps as they are (used when loading a saved model);
  /// `point_noise` as above (empty = none).
  void set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const InputMap& input_map,
                const OutputMap& output_map, const Eigen::VectorXd& point_noise = Eigen::VectorXd());
  /// Appends one observation with hyperparameters and maps unchanged: O(n^2) extension of
  /// the Cholesky factor (falls back to a full refactorization with jitter if it must). The
  /// next fit() recomputes maps that set_data(X, y) (or the first add_point) computed. The first
  /// point into an empty model centres the outputs on its value without scaling them (one value
  /// has no spread): a model grown point by point and never fitted works in the outputs' units.
  /// `point_noise`: its known noise variance (y's units squared), as in set_data.
  void add_point(const Eigen::RowVectorXd& x, double y, double point_noise = 0.0);

  // ---- hyperparameters ----
  /// Maximizes the log marginal likelihood (+ log priors) over the free hyperparameters with
  /// L-BFGS from several starts in parallel, keeps the best, and refactorizes.
  /// Needs at least 2 points (std::invalid_argument otherwise: with one, the output scale
  /// collapses). With a handful of points and no priors the likelihood says little and its
  /// maximum can be degenerate (two or three: a length scale at its bound), so the model is
  /// overconfident away from the data: give the hyperparameters priors (Kernel::set_prior, then
  /// this is a MAP fit) or fix them. A fixed noise far below the scatter of repeated inputs'
  /// values leaves K + s2 I singular: the factorization's jitter, which grows with the output
  /// scale, then serves as the noise, and the fit may raise the output scale to use it. Compare
  /// jitter() with noise_variance() afterwards (gpbo fit refuses a jitter above both it and 1e-6).
  FitResult fit(const FitOptions& options = {});
  [[nodiscard]] std::vector<GpHyperparameter> hyperparameters() const;
  [[nodiscard]] std::vector<std::string> param_names() const;  // free ones, params order
  [[nodiscard]] Eigen::VectorXd params() const;
  [[nodiscard]] Eigen::VectorXd params_lower() const;
  [[nodiscard]] Eigen::VectorXd params_upper() const;
  /// Sets the free hyperparameters and refactorizes (if there is data). If the factorization
  /// fails (CholeskyError), the model keeps its previous hyperparameters.
  void set_params(const Eigen::VectorXd& params);
  /// A random start for the free hyperparameters, as fit()'s restarts draw them: length scales
  /// log-uniform in [0.02, 5] (x sqrt of their count), the others from their priors (uniform in
  /// [current - 3, current + 3] when there is none). See ParamLayout::sample.
  [[nodiscard]] Eigen::VectorXd sample_params(Rng& rng) const;

  // ---- likelihood ----
  /// Log marginal likelihood of the modeled targets at the current hyperparameters.
  [[nodiscard]] double log_marginal_likelihood() const;
  /// LML at `params` (free hyperparameters) and, if gradient != nullptr, its gradient. Does not
  /// change the model. Throws CholeskyError if K cannot be factorized.
  [[nodiscard]] double lml_and_gradient(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) const;
  /// Sum of the log priors of the free hyperparameters at `params`, and its gradient.
  [[nodiscard]] double log_prior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) const;
  /// lml_and_gradient + log_prior: the MAP objective and the log posterior density for MCMC.
  [[nodiscard]] double log_posterior_and_gradient(const Eigen::VectorXd& params,
                                                  Eigen::VectorXd* gradient) const;

  // ---- prediction (user units) ----
  /// Posterior (prior, when there is no data) at the rows of Xs.
  [[nodiscard]] Prediction predict(const Eigen::MatrixXd& Xs, const PredictOptions& options = {}) const;
  /// Mean, variance and their gradients with respect to x at one point.
  /// With `target_weights` (as PredictOptions::target_weights), also those targets' means and
  /// their gradients.
  [[nodiscard]] PointPrediction predict_gradient(const Eigen::RowVectorXd& x, bool include_noise = false,
                                                 const Eigen::MatrixXd* target_weights = nullptr) const;
  /// (K + s2 I)^{-1} (map(Y) - mean) for targets Y (n x S, user units) at the training inputs
  /// X(): the weights whose products with the cross-covariances give the posterior means of
  /// the models that differ from this one only in their targets (modeled units).
  [[nodiscard]] Eigen::MatrixXd representer_weights(const Eigen::MatrixXd& Y) const;
  /// n_samples joint posterior draws at the rows of Xs: returns Xs.rows() x n_samples.
  [[nodiscard]] Eigen::MatrixXd sample_posterior(const Eigen::MatrixXd& Xs, int n_samples, Rng& rng,
                                                 bool include_noise = false) const;
  /// Leave-one-out predictions for every training point at the current hyperparameters.
  [[nodiscard]] LooPrediction loo() const;

  // ---- accessors ----
  [[nodiscard]] const Eigen::MatrixXd& X() const { return X_; }   // user units
  [[nodiscard]] const Eigen::VectorXd& y() const { return y_; }   // user units
  /// Known noise variances of the observations (user units squared); empty when none were given.
  [[nodiscard]] const Eigen::VectorXd& point_noise() const { return point_noise_; }
  [[nodiscard]] Eigen::Index size() const { return X_.rows(); }
  [[nodiscard]] Eigen::Index input_dim() const { return dim_; }
  [[nodiscard]] const Kernel& kernel() const { return *kernel_; }
  [[nodiscard]] const GpOptions& options() const { return options_; }
  [[nodiscard]] const InputMap& input_map() const { return input_map_; }
  [[nodiscard]] const OutputMap& output_map() const { return output_map_; }
  [[nodiscard]] double noise_variance() const;   // modeled units
  [[nodiscard]] double mean_value() const;       // modeled units (0 for a zero mean)
  /// Jitter added to the diagonal in the current factorization (0 when none was needed).
  [[nodiscard]] double jitter() const { return jitter_; }

 private:
  void map_data();
  void refactorize();
  /// Sets the free hyperparameters without refactorizing (the caller refactorizes next).
  void assign_params(const Eigen::VectorXd& params);
  [[nodiscard]] Eigen::Index num_kernel_free() const;
  [[nodiscard]] auto factor() const { return chol_.topLeftCorner(size(), size()); }

  KernelPtr kernel_;
  GpOptions options_;
  Eigen::Index dim_ = -1;              // input dimension, -1 until data or bounds fix it
  double log_noise_ = 0.0;
  double mean_ = 0.0;
  Eigen::MatrixXd X_, Xm_;             // user and mapped inputs
  Eigen::VectorXd y_, ym_;             // user and mapped targets
  Eigen::VectorXd point_noise_;        // known noise variances, user units squared (empty: none)
  /// point_noise_ in modeled units (divided by the output scale squared, at most
  /// kMaxCarriedVariance); empty when none.
  [[nodiscard]] Eigen::VectorXd modeled_point_noise() const;
  InputMap input_map_;
  OutputMap output_map_;
  Eigen::MatrixXd chol_;               // lower Cholesky factor in the top-left n x n (capacity grows)
  Eigen::VectorXd whitened_;           // L^{-1} (ym - mean), kept so add_point() extends it
  Eigen::VectorXd alpha_;              // (K + s2 I)^{-1} (ym - mean) = L^{-T} whitened_
  double jitter_ = 0.0;
  // Points the maps were computed from, when set_data(X, y) computed them; -1 when they were
  // given (set_data with maps, a loaded model). fit() recomputes computed maps that add_point()
  // has outgrown: a model grown from empty kept the first value as its whole output scale.
  Eigen::Index maps_size_ = -1;
};

}  // namespace gpbo
