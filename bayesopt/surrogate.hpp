#pragma once
// The BO surrogate: a GP on the encoded unit cube with standardized outputs, and the policy that
// keeps it up to date as observations arrive.
//
// Defaults: Matérn 5/2 ARD times an output scale ~ LogNormal(0, 1), plus a short-range term
// (`short_range`, below), a learned constant mean,
// noise by NoiseMode, and length scales (unit-cube units) ~ Gamma(3, 6) (mean 0.5, BoTorch's
// classic prior), or with LengthscalePrior::DimensionScaled ~ LogNormal(sqrt(2) + log(D)/2,
// sqrt(3)) (Hvarfner et al. 2024, "Vanilla Bayesian optimization performs great in high
// dimensions"), whose long length scales suit D >= ~20; at D <= 8 and 50 evaluations it measured
// far worse here (bo_bench: Ackley5 regret 12.6 vs 3.4, Styblinski-Tang8 135 vs 39, 4 seeds). Values are minimized: y are the internal (sign-adjusted)
// objective values; the GP sees them through OutputTransform (standardization, and a
// Yeo-Johnson power warp unless warp_outputs is off or the noise is fixed). The warp's exponent
// is fitted with the GP's hyperparameters, by the warped GP's evidence (output_transform.hpp's
// PowerWarp), in [-2, 6].
//
// Refit policy: Map refits the MAP hyperparameters whenever new data arrived (warm start from the
// last fit plus cheap random restarts); Fast refits every `refit_every` new observations and
// otherwise extends the Cholesky factor with add_point (standardization kept from the last fit).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gpbo/bayesopt/output_transform.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

/// auto: at every refit, the evidence decides between a learned noise (variance ~ LogNormal(-4, 1),
/// standardized units) and no noise (as `none`), so deterministic objectives are interpolated and
/// noisy ones smoothed without the user saying which they have;
/// none: fixed tiny noise variance 1e-6 (standardized units); fixed: a known noise standard
/// deviation in the objective's units.
enum class NoiseMode { Auto, None, Fixed };
/// map: MAP refit on every new observation ("default"); fast: refit every k observations;
/// mcmc: hyperparameter posterior samples by NUTS (gp/fully_bayesian.hpp), acquisition averaged over them.
enum class HyperMode { Map, Fast, Mcmc };

/// short: Gamma(3, 6); dimension_scaled: LogNormal(sqrt(2) + log(D)/2, sqrt(3)).
enum class LengthscalePrior { Short, DimensionScaled };

/// How the kernel treats categorical parameters (their one-hot columns).
/// overlap: one length scale per categorical parameter, k = exp(-(1/C) sum_g [c_g != c'_g] / l_g)
///   over the C categorical parameters (an SE kernel on each one-hot block with a shared length
///   scale sqrt(C l_g): the same on valid points, smooth for the relaxed acquisition search), and
///   with continuous parameters K = K_cont + K_cat + K_cont K_cat, each term with its own output
///   scale (the kernel of BoTorch's MixedSingleTaskGP). Main effects of a category are learned
///   apart from the continuous part.
/// one_hot: the Matérn ARD kernel over all columns, one length scale per choice (before 2026-12-02;
///   states saved then load with it).
enum class CategoricalKernel { Overlap, OneHot };

/// Whether the kernel has the short-range term of SurrogateOptions::short_range. Auto: on, but the
/// Optimizer turns it off for the acquisitions that expect noise (noisy_ei, log_nei): with
/// scattered points noise and short-range structure explain the data alike, the term then wins
/// the noise choice of NoiseMode::Auto, and log_nei loses its noise model (noisy Hartmann-6, sd
/// 0.1, 100 evaluations: 0.107 with the term, 0.0725 without). A Surrogate treats Auto as On.
enum class ShortRange { Auto, On, Off };

/// off: every value is trusted as observed (with the model's noise);
/// detect: at every refit, values the model cannot explain get a noise variance of their own,
/// when the evidence says so (gp/outliers.hpp: relevance pursuit with the hyperparameters held,
/// prior outlier fraction 0.05): first among the values robustly standardized (a fitted warp may
/// bend gross errors into a tail), then under the fitted warp; the hyperparameters are refitted
/// with the variances found until the set no longer changes (at most twice more). Flagged values
/// are clamped into the others' range for the model (their size then sets neither the
/// standardization nor the warp), and are no incumbent and no recommendation. Branin, noise sd
/// 0.5, a tenth of the values off by 1000 |f| + 1000, 60 evaluations, 20 seeds, median regret
/// of the recommended point: downwards 17.1 -> 0.030, either way 52.0 -> 0.058, upwards
/// 0.156 -> 0.060; with no errors 0.054 -> 0.039 (19 of 20 seeds as with off)
/// (bench/results/2026-12-06-s33/, -s34/).
enum class OutlierMode { Off, Detect };

struct SurrogateOptions {
  LengthscalePrior lengthscale_prior = LengthscalePrior::Short;
  NoiseMode noise = NoiseMode::Auto;
  double noise_sd = 0.0;          // NoiseMode::Fixed, objective units
  HyperMode mode = HyperMode::Map;
  std::size_t refit_every = 5;    // HyperMode::Fast
  int restarts = 1;               // random restarts of each refit beside the warm start
  int first_fit_restarts = 4;     // restarts of the first fit (no warm start yet)
  int max_evaluations = 80;       // L-BFGS evaluations per start
  std::size_t restart_subset = 64;  // refits with more than twice this many points run the starts on a subset (0 = never)
  std::size_t mcmc_samples = 8;   // hyperparameter samples kept in mcmc mode
  std::size_t mcmc_thin = 2;      // NUTS iterations between kept samples
  unsigned threads = 1;           // threads of each fit (results do not depend on it)
  bool warp_outputs = true;       // fit a power warp of the outputs, by the evidence (ignored with NoiseMode::Fixed)
  CategoricalKernel categorical_kernel = CategoricalKernel::Overlap;
  /// Adds a short-range term to the kernel of a space without categorical parameters (with them it
  /// measured no better: bench/results/2026-12-04-s20): an isotropic
  /// Matérn 5/2 with length scale ~ LogNormal(log 0.05, 0.5) (unit-cube units) and output scale
  /// ~ LogNormal(log 0.01, 2) (standardized units). The smooth ARD term averages sharp local
  /// structure away (a cusp at the optimum, ripples); where samples crowd, as they do near the
  /// incumbent, this term follows it, and elsewhere its small output scale leaves the model as
  /// it was. bo_bench, 50 evaluations, 60 seeds: Ackley-5 median regret 2.49 -> 0.10,
  /// Rastrigin-4 18.1 -> 5.98, the other functions about the same (bench/results/2026-12-04-s20).
  /// States saved before it existed load with it off.
  ShortRange short_range = ShortRange::Auto;
  OutlierMode outliers = OutlierMode::Off;
};

/// Snapshot of the fitted state, for saving and restoring an optimizer exactly.
struct SurrogateState {
  bool fitted = false;
  Eigen::VectorXd params;                 // free GP hyperparameters (gp/ "params" layout)
  std::vector<Eigen::VectorXd> samples;   // mcmc mode: hyperparameter samples
  OutputTransform transform;              // output map of the fitted model
  std::size_t size = 0;                   // observations in the model
  std::size_t size_at_fit = 0;            // observations at the last refit
  /// NoiseMode::Auto: the noise-free model won the last refit's evidence comparison; its free
  /// hyperparameters (`params` always holds the learned-noise model's, the warm start of refits).
  bool noiseless = false;
  Eigen::VectorXd noiseless_params;
  /// mcmc mode: the NUTS adaptation the next sampling run starts from (step size 0 and an empty
  /// metric: none yet), and the observations when its metric was last estimated.
  double mcmc_stepsize = 0.0;
  Eigen::VectorXd mcmc_inverse_metric;
  std::size_t mcmc_metric_size = 0;
  /// OutlierMode::Detect: the extra noise variance of each of the first size_at_fit values (y's
  /// units squared, 0 for values taken as observed); empty when none was flagged.
  Eigen::VectorXd outlier_variances;
};

class Surrogate {
 public:
  /// `categorical_groups`: the encoded columns of each categorical parameter (its one-hot
  /// block); empty when the space has none.
  Surrogate(std::size_t dim, SurrogateOptions options, std::vector<std::vector<int>> categorical_groups = {});
  // Copies are deep (the models are values) and independent of the original.

  /// Brings the models up to date with X (n x D, encoded) and y (n, internal values to minimize).
  /// The rows must extend the rows given before (observations only ever get appended).
  /// `noise_variances` (n, y's units squared, or empty): known noise of each value, added to the
  /// learned noise (GaussianProcess::set_data's point_noise). Under the power warp each variance
  /// is carried by the warp's slope at its value (OutputTransform::variance_to_model), also while
  /// the warp's exponent is fitted (FitOptions::warp_point_noise).
  void update(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng,
              const Eigen::VectorXd& noise_variances = Eigen::VectorXd());
  /// Drops the data (keeping the hyperparameters as the warm start): the next update() refits
  /// on whatever rows it is given, for when earlier rows left the data.
  void forget_data();
  /// The GP models: one (MAP) or the posterior samples (mcmc). Valid after update().
  [[nodiscard]] const std::vector<GaussianProcess>& models() const { return models_; }
  /// An internal value in the GP's output units.
  [[nodiscard]] double standardize(double y) const { return state_.transform.apply(y); }
  [[nodiscard]] const SurrogateState& state() const { return state_; }
  /// Rebuilds the models from a saved state and the same data update() had seen.
  void restore(const SurrogateState& state, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
               const Eigen::VectorXd& noise_variances = Eigen::VectorXd());
  [[nodiscard]] const SurrogateOptions& options() const { return options_; }
  /// The one-hot column groups the kernel treats as categories (none with CategoricalKernel::OneHot).
  [[nodiscard]] const std::vector<std::vector<int>>& categorical_groups() const { return categorical_groups_; }

  /// Whether the value in row i was flagged an outlier at the last refit (OutlierMode::Detect).
  [[nodiscard]] bool outlier(Eigen::Index i) const {
    return i < state_.outlier_variances.size() && state_.outlier_variances[i] > 0.0;
  }
  /// `model` (one of models(), extended with rows from `first_new` on) with those rows'
  /// outliers flagged as a refit would, the earlier rows as they are (OutlierMode::Detect; the
  /// model unchanged otherwise): what recommend() and predict() use between refits. `flagged`,
  /// if given, gets one flag per row: flagged at the last refit or now.
  [[nodiscard]] GaussianProcess with_new_outliers(GaussianProcess model, Eigen::Index first_new,
                                                  std::vector<bool>* flagged = nullptr) const;

  /// A fresh, unfitted GP with the default kernel, priors and noise settings for this space.
  [[nodiscard]] GaussianProcess make_gp() const { return make_gp(options_.noise); }
  /// How many free hyperparameters SurrogateState::params (or, `noiseless`, noiseless_params)
  /// holds: what a saved state must carry for this space and these options.
  [[nodiscard]] Eigen::Index free_parameter_count(bool noiseless) const {
    return make_gp(noiseless ? NoiseMode::None : options_.noise).params().size();
  }

 private:
  [[nodiscard]] GaussianProcess make_gp(NoiseMode noise) const;
  void refit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng);
  /// One fit of gp_ to y through the output transform (of a log of y with `log`), the warp's
  /// exponent fitted with the hyperparameters when warp_outputs: the transform, the evidence and
  /// the hyperparameters found.
  struct WarpFit {
    OutputTransform transform;
    double log_posterior = 0.0;
    Eigen::VectorXd params;
  };
  /// OutlierMode::Detect: flags the outliers of the fit `chosen` (outliers_), refitting while
  /// the set changes; gp_ ends with their variances at chosen's hyperparameters.
  void flag_outliers(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng, bool warp_outputs, WarpFit& chosen);
  /// Whether the refit with n observations chooses among the value's models again (refit()).
  [[nodiscard]] bool choice_due(std::size_t n) const;
  WarpFit fit_targets(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng, bool warp_outputs, ValueLog log);
  /// NoiseMode::Auto: fits the noise-free model to the data gp_ holds and keeps whichever of the
  /// two has the larger (Laplace-approximated) evidence.
  void choose_noise_model();
  [[nodiscard]] GaussianProcess& active() { return state_.noiseless ? *noiseless_ : *gp_; }
  void sample_posterior(Rng& rng);
  void set_sample_models();  // models_ = gp_ at each of state_.samples
  [[nodiscard]] double fixed_noise_variance(double scale) const;  // NoiseMode::Fixed, in units of `scale`
  /// The noise variances of the first `rows` values known beyond the model's own noise (y's
  /// units squared): the given ones plus, with `outliers`, those of the flagged outliers. Empty
  /// when all are 0.
  [[nodiscard]] Eigen::VectorXd known_variances(Eigen::Index rows, bool outliers = true) const;
  /// The values as the model takes them: flagged outliers (outliers_) clamped into the range of
  /// the others, so that their size sets neither the standardization nor the warp (their own
  /// variances already keep them from pulling the model).
  [[nodiscard]] Eigen::VectorXd model_values(const Eigen::VectorXd& y) const;
  /// known_variances in the GP's units under `t` (empty when none).
  [[nodiscard]] Eigen::VectorXd modeled_noise(const OutputTransform& t, const Eigen::VectorXd& y, Eigen::Index rows,
                                              bool outliers = true) const;

  [[nodiscard]] std::unique_ptr<Kernel> make_kernel() const;

  std::size_t dim_;
  std::vector<std::vector<int>> categorical_groups_;
  bool short_range_ = false;  // SurrogateOptions::short_range applies: on and no categorical parameter
  SurrogateOptions options_;
  std::optional<GaussianProcess> gp_;   // the MAP model; kept across updates for warm starts
  std::optional<GaussianProcess> noiseless_;  // NoiseMode::Auto: the noise-free alternative
  std::vector<GaussianProcess> models_;
  SurrogateState state_;
  bool forgotten_ = false;  // forget_data() was called: the next update() refits
  Eigen::VectorXd noise_variances_;  // the last update()'s known noise variances (empty: none)
  Eigen::VectorXd outliers_;  // the outlier variances in use (state_'s once a refit succeeds)
};

}  // namespace gpbo::bo
