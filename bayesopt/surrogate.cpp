#include "gpbo/bayesopt/surrogate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <utility>

#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/noise_evidence.hpp"
#include "gpbo/gp/outliers.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/squared_exponential.hpp"
#include "gpbo/kernels/sum.hpp"

namespace gpbo::bo {
namespace {

constexpr double kNoneNoise = 1e-6;  // NoiseMode::None, standardized units
// SurrogateOptions::short_range: the prior medians of its length scale (unit cube) and output
// scale (standardized units). Chosen on bo_bench at 50 evaluations over 60 seeds among length
// scales 0.01-0.07 and output scales 0.001-0.1 (bench/results/2026-12-04-s20).
constexpr double kShortRangeLengthscale = 0.05;
constexpr double kShortRangeOutputscale = 0.01;
// Range of the output warp's exponent, fitted by the evidence. Wide, so that the data decide:
// Rosenbrock's and Branin's fits go below -1 (the huge values far from the valley saturate),
// Ackley's above 2 (its cone at the optimum rounded into a bowl; 2026-12-02-s7).
constexpr double kWarpLambdaLower = -2.0;
constexpr double kWarpLambdaUpper = 6.0;

// OutlierMode::Detect: the look at robustly standardized values (Surrogate::flag_outliers) flags
// only values at least this many robust standard deviations from the median: on the worse side
// kGrossDeviations, on the better side (lower internal values) kBetterSideDeviations. Its
// hyperparameters were fitted under the warp, which suits the bulk of the values but not a
// heavy tail in these units: nearer values it would flag are left to the look under the warp.
// At 20, Branin's legitimate corners were flagged once the search had crowded near the optimum
// (bench/results/2026-12-06-s33). Heavy tails are on the worse side (losses that blow up, sums
// of squares); on the better side the values end at the optimum, and a gross value there becomes
// the incumbent and leads the search: the bound is nearer (bench/results/2026-12-06-s34).
constexpr double kGrossDeviations = 100.0;
constexpr double kBetterSideDeviations = 40.0;

// Values standardized by their median and a robust spread, not warped: gross outliers, which
// inflate a standard deviation and which a fitted warp may bend into the data's tail, stand out
// of it by many units. The spread is the larger of the scaled median absolute deviation and the
// standard deviation of the middle 60% of the values: the first collapses when the search has
// crowded over half the values near one level, the second holds while fewer than a fifth of
// the values are errors on one side.
OutputTransform robust_standardization(const Eigen::VectorXd& y) {
  OutputTransform t = OutputTransform::with_lambda(y, 1.0);  // for its penalty cap
  std::vector<double> v(static_cast<std::size_t>(y.size()));
  for (Eigen::Index i = 0; i < y.size(); ++i) v[static_cast<std::size_t>(i)] = t.capped(y[i]);
  std::sort(v.begin(), v.end());
  const auto median = [](const std::vector<double>& sorted) {
    const std::size_t h = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted[h] : 0.5 * (sorted[h - 1] + sorted[h]);
  };
  const double m = median(v);
  std::vector<double> deviations;
  for (const double x : v) deviations.push_back(std::abs(x - m));
  std::sort(deviations.begin(), deviations.end());
  const auto lo = static_cast<std::ptrdiff_t>(v.size() / 5), hi = static_cast<std::ptrdiff_t>(v.size() - v.size() / 5);
  const Eigen::Map<const Eigen::VectorXd> middle(v.data() + lo, hi - lo);
  const double middle_sd = middle.size() > 1 ? std::sqrt((middle.array() - middle.mean()).square().sum() /
                                                        static_cast<double>(middle.size() - 1))
                                             : 0.0;
  const double spread = std::max(1.4826 * median(deviations), middle_sd);
  if (!(spread > 0.0) || !std::isfinite(spread)) return t;  // most values tie: keep the plain map
  t.shift = m;
  t.scale = spread;
  t.post_shift = 0.0;
  t.post_scale = 1.0;
  return t;
}

}  // namespace

Surrogate::Surrogate(std::size_t dim, SurrogateOptions options, std::vector<std::vector<int>> categorical_groups)
    : dim_(dim), categorical_groups_(std::move(categorical_groups)), options_(options) {
  short_range_ = options_.short_range != ShortRange::Off && categorical_groups_.empty();
  if (options_.categorical_kernel == CategoricalKernel::OneHot) categorical_groups_.clear();
  if (dim_ == 0) throw std::invalid_argument("Surrogate: the search space has no free dimension");
}

std::unique_ptr<Kernel> Surrogate::make_kernel() const {
  const int d = static_cast<int>(dim_);
  std::vector<bool> categorical(dim_, false);
  for (const auto& g : categorical_groups_)
    for (int c : g) categorical[static_cast<std::size_t>(c)] = true;
  std::vector<int> continuous;
  for (int c = 0; c < d; ++c)
    if (!categorical[static_cast<std::size_t>(c)]) continuous.push_back(c);
  const auto matern = [&] {
    auto k = std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, true,
                                            categorical_groups_.empty() ? std::vector<int>{} : continuous);
    k->set_bounds("lengthscale", 1e-3, 1e3);
    if (options_.lengthscale_prior == LengthscalePrior::DimensionScaled) {
      const double mu = std::sqrt(2.0) + 0.5 * std::log(static_cast<double>(d));
      k->set_prior("lengthscale", Prior::log_normal(mu, std::sqrt(3.0)));
      k->set_value("lengthscale", std::exp(mu - 1.0));  // between the prior's mode and median
    } else {
      k->set_prior("lengthscale", Prior::gamma(3.0, 6.0));
      k->set_value("lengthscale", 0.5);  // the prior mean
    }
    return k;
  };
  // CategoricalKernel::Overlap (surrogate.hpp). The prior on s_g = sqrt(C l_g) is about that of
  // sqrt(C l) for l ~ Gamma(3, 6), the continuous length scales' prior, as in BoTorch.
  const double C = static_cast<double>(categorical_groups_.size());
  // One SE kernel with a length scale per group: the product of the groups' SE kernels in one pass.
  const auto overlap = [&] {
    auto k = std::make_unique<SquaredExponentialKernel>(d, true);
    k->set_lengthscale_groups(categorical_groups_);
    k->set_bounds("lengthscale", 1e-2, 1e3);
    k->set_prior("lengthscale", Prior::log_normal(0.5 * std::log(0.5 * C), 0.5));
    k->set_value("lengthscale", std::sqrt(0.5 * C));
    return k;
  };
  const auto scaled = [](KernelPtr k) {
    auto s = std::make_unique<ScaleKernel>(std::move(k), 1.0);
    s->set_prior("outputscale", Prior::log_normal(0.0, 1.0));
    s->set_bounds("outputscale", 1e-3, 1e3);
    return s;
  };
  // SurrogateOptions::short_range: an isotropic Matérn 5/2 (spaces without categorical parameters).
  const auto short_range = [&] {
    auto k = std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, false);
    k->set_bounds("lengthscale", 1e-3, 1.0);
    k->set_prior("lengthscale", Prior::log_normal(std::log(kShortRangeLengthscale), 0.5));
    k->set_value("lengthscale", kShortRangeLengthscale);
    auto s = std::make_unique<ScaleKernel>(std::move(k), kShortRangeOutputscale);
    s->set_prior("outputscale", Prior::log_normal(std::log(kShortRangeOutputscale), 2.0));
    s->set_bounds("outputscale", 1e-6, 1e3);
    return s;
  };
  if (categorical_groups_.empty()) {
    if (!short_range_) return scaled(matern());
    std::vector<KernelPtr> terms;
    terms.push_back(scaled(matern()));
    terms.push_back(short_range());
    return std::make_unique<SumKernel>(std::move(terms));
  }
  if (continuous.empty()) return scaled(overlap());
  // Mixed spaces: main effects of each part plus their interaction (as BoTorch's MixedSingleTaskGP).
  std::vector<KernelPtr> interaction;
  interaction.push_back(matern());
  interaction.push_back(overlap());
  std::vector<KernelPtr> terms;
  terms.push_back(scaled(matern()));
  terms.push_back(scaled(overlap()));
  terms.push_back(scaled(std::make_unique<ProductKernel>(std::move(interaction))));
  return std::make_unique<SumKernel>(std::move(terms));
}

GaussianProcess Surrogate::make_gp(NoiseMode noise) const {
  auto kernel = make_kernel();
  GpOptions o;
  o.scale_inputs = false;          // inputs are already the encoded unit cube
  o.standardize_outputs = false;   // Surrogate standardizes itself (kept fixed between refits)
  o.mean.kind = MeanOptions::Kind::Constant;
  o.mean.learn = true;
  o.mean.lower = -10.0;
  o.mean.upper = 10.0;
  switch (noise) {
    case NoiseMode::Auto:
      o.noise.learn = true;
      o.noise.variance = 1e-4;
      o.noise.lower = 1e-6;
      o.noise.upper = 1.0;
      o.noise.prior = Prior::log_normal(-4.0, 1.0);
      break;
    case NoiseMode::None:
      o.noise.learn = false;
      o.noise.variance = kNoneNoise;
      o.noise.lower = kNoneNoise;
      break;
    case NoiseMode::Fixed:
      o.noise.learn = false;
      o.noise.variance = kNoneNoise;  // set from noise_sd at each refit, once the scale is known
      o.noise.lower = 1e-9;
      break;
  }
  return GaussianProcess(std::move(kernel), o);
}

double Surrogate::fixed_noise_variance(double scale) const {
  // noise_sd in standardized units; finite even when the values' scale is tiny (an infinite
  // variance would make every model-based suggestion fall back to a random one).
  return std::clamp(std::pow(options_.noise_sd / scale, 2), 1e-9, 1e300);
}

void Surrogate::forget_data() {
  state_.size = state_.size_at_fit = 0;
  state_.outlier_variances.resize(0);  // flags of rows that may no longer be where they were
  outliers_.resize(0);
  state_.mcmc_metric_size = 0;  // other data, another posterior: the next sampling adapts in full
  forgotten_ = true;
}

Eigen::VectorXd Surrogate::known_variances(Eigen::Index rows, bool outliers) const {
  Eigen::VectorXd v = noise_variances_.size() > 0 ? Eigen::VectorXd(noise_variances_.head(rows)) : Eigen::VectorXd::Zero(rows);
  // Rows told since the last refit have no outlier variance yet.
  if (outliers) {
    const Eigen::Index m = std::min(rows, outliers_.size());
    v.head(m) += outliers_.head(m);
  }
  if (!(v.array() > 0.0).any()) return {};
  return v;
}

Eigen::VectorXd Surrogate::model_values(const Eigen::VectorXd& y) const {
  const Eigen::Index flagged_rows = std::min(y.size(), outliers_.size());
  if (flagged_rows == 0 || !(outliers_.head(flagged_rows).array() > 0.0).any()) return y;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (i >= flagged_rows || !(outliers_[i] > 0.0)) lo = std::min(lo, y[i]), hi = std::max(hi, y[i]);
  if (!(lo <= hi)) return y;  // every value flagged (cannot happen: each of the two looks flags a quarter at most)
  Eigen::VectorXd out = y;
  for (Eigen::Index i = 0; i < flagged_rows; ++i)
    if (outliers_[i] > 0.0) out[i] = std::clamp(y[i], lo, hi);
  return out;
}

Eigen::VectorXd Surrogate::modeled_noise(const OutputTransform& t, const Eigen::VectorXd& y, Eigen::Index rows, bool outliers) const {
  const Eigen::VectorXd v = known_variances(rows, outliers);
  if (v.size() == 0) return {};
  Eigen::VectorXd out(rows);
  for (Eigen::Index i = 0; i < rows; ++i) out[i] = t.variance_to_model(v[i], y[i]);
  return out;
}

void Surrogate::update(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng, const Eigen::VectorXd& noise_variances) {
  if (noise_variances.size() != 0 && noise_variances.size() != y.size())
    throw std::invalid_argument("Surrogate::update: one noise variance per value, or none");
  noise_variances_ = noise_variances;
  const auto n = static_cast<std::size_t>(X.rows());
  if (std::exchange(forgotten_, false)) {
    refit(X, y, rng);
    return;
  }
  if (n < state_.size) throw std::invalid_argument("Surrogate::update: observations can only be appended");
  if (state_.fitted && n == state_.size) return;
  const bool refit_due = !state_.fitted || options_.mode != HyperMode::Fast || n - state_.size_at_fit >= options_.refit_every;
  if (refit_due) {
    refit(X, y, rng);
    return;
  }
  GaussianProcess& model = active();
  const Eigen::VectorXd noise = modeled_noise(state_.transform, y, static_cast<Eigen::Index>(n));
  for (std::size_t i = state_.size; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    model.add_point(X.row(r), standardize(y[r]), noise.size() > 0 ? noise[r] : 0.0);
  }
  state_.size = n;
  models_.assign(1, model);
}

Surrogate::WarpFit Surrogate::fit_targets(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng, bool warp_outputs,
                                          ValueLog log) {
  // The warp's exponent is fitted with the hyperparameters, from the last fit's of the same kind
  // (or, at first, from the one that makes the values' histogram most normal).
  const bool same_kind = state_.fitted && (state_.transform.value_log() != ValueLog::None) == (log != ValueLog::None);
  const double lambda_start = same_kind ? state_.transform.lambda : OutputTransform::fit(y, warp_outputs, -1.0, 2.0, log).lambda;
  const OutputTransform transform = OutputTransform::with_lambda(y, warp_outputs ? lambda_start : 1.0, log);
  if (options_.noise == NoiseMode::Fixed) {
    GpOptions o = gp_->options();
    const double v = fixed_noise_variance(transform.scale);
    if (o.noise.variance != v) {
      o.noise.variance = v;
      GaussianProcess fresh(gp_->kernel().clone(), o);
      gp_ = std::move(fresh);
    }
  }
  const Eigen::VectorXd ys = transform.apply(y);
  const std::optional<PowerWarp> warp =
      warp_outputs ? PowerWarp::make(y, kWarpLambdaLower, kWarpLambdaUpper, log) : std::nullopt;
  // Known noise variances are in the values' units: a warp fitted with them carries each by its
  // slope at the value as it goes (FitOptions::warp_point_noise).
  const Eigen::VectorXd known = known_variances(X.rows());
  const bool known_noise = known.size() > 0;
  gp_->set_data(X, ys, warp ? Eigen::VectorXd() : modeled_noise(transform, y, X.rows()));
  FitOptions f;
  f.restarts = state_.fitted ? options_.restarts : options_.first_fit_restarts;
  f.seed = draw_seed(rng);
  f.threads = options_.threads;
  f.max_evaluations = options_.max_evaluations;
  // Cheap restarts: with many points every start first runs on a random subset, and only the
  // best is refined on all the data.
  if (state_.fitted && options_.restart_subset > 0 && static_cast<std::size_t>(X.rows()) > 2 * options_.restart_subset)
    f.subset_size = options_.restart_subset;
  if (warp) {
    f.warp = &*warp;
    f.warp_start = Eigen::VectorXd::Constant(1, std::clamp(lambda_start, kWarpLambdaLower, kWarpLambdaUpper));
    if (known_noise) f.warp_point_noise = known;
  }
  const FitResult fitted = gp_->fit(f);
  WarpFit out{warp ? OutputTransform::with_lambda(y, fitted.warp_params[0], log) : transform, fitted.log_posterior, Eigen::VectorXd()};
  // The same targets and variances as restore() will compute from the state (bit for bit).
  if (warp && known_noise) gp_->set_data(X, out.transform.apply(y), modeled_noise(out.transform, y, X.rows()));
  out.params = gp_->params();
  return out;
}

bool Surrogate::choice_due(std::size_t n) const {
  // The two logs cost two more fits, O(n^3) each: past 80 observations the choice is made again
  // only when n passes a multiple of n / 40 (every 5th refit at 200 points, one at a time).
  // Rosenbrock-4, 20 seeds, side by side: the last of 200 iterations 0.160 -> 0.086 s, a whole
  // run 13.1 -> 8.3 s; median regret at 200 0.753 -> 0.749, at 50 the same run for run
  // (bench/results/2026-12-05-s31).
  const std::size_t every = std::max<std::size_t>(1, n / 40);
  return !state_.fitted || n / every != state_.size_at_fit / every;
}

void Surrogate::refit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y_told, Rng& rng) {
  const bool warp_outputs = options_.warp_outputs && options_.noise != NoiseMode::Fixed;
  // The state changes only once the fit succeeded: after a failed one the last model stays in
  // use, and a save writes it with its own transform (a reloaded optimizer then agrees). gp_
  // holds the new data by then, so the next update starts from scratch rather than extend it.
  forgotten_ = true;
  if (!gp_) gp_ = make_gp();
  outliers_ = state_.outlier_variances;  // the last refit's (a failed one may have left others)
  const Eigen::VectorXd y = model_values(y_told);
  // Values spanning decades: the warped GPs of log y and of log(y - m + c) as well, and whichever
  // of the three has the highest evidence (of y itself: each log's Jacobian is in its warp).
  // Measured (bench/results/2026-12-05-s30/README.md): Branin reported over 12 decades, 40
  // evaluations, 10 seeds, median regret 0.68 -> 5.8e-4; Hartmann-6 so, at 50, 0.95 -> 8.3e-5;
  // Rosenbrock-4 at 50, 20 seeds, 25.9 -> 2.91, but at 200 0.14 -> 0.75; sphere-4 at 50
  // 1.8e-5 -> 4.8e-5. Branin, Hartmann-6, Ackley-5 and Styblinski-Tang-8 never span four decades
  // within 50 evaluations: unchanged.
  const bool logs = warp_outputs && OutputTransform::log_worth_trying(y);
  const bool choose = logs && choice_due(static_cast<std::size_t>(X.rows()));
  // Between choices only the model chosen last is refitted (a log no longer worth trying aside).
  const ValueLog kept = logs && !choose ? state_.transform.value_log() : ValueLog::None;
  WarpFit chosen;
  try {
    chosen = fit_targets(X, y, rng, warp_outputs, kept);
  } catch (const std::exception&) {
    if (kept == ValueLog::None) throw;
    chosen = fit_targets(X, y, rng, warp_outputs, ValueLog::None);
  }
  if (choose) {
    bool last_fitted = true;  // whether gp_ holds `chosen` as fitted
    for (const ValueLog log : {ValueLog::Plain, ValueLog::Shifted}) {
      try {
        WarpFit other = fit_targets(X, y, rng, warp_outputs, log);
        last_fitted = other.log_posterior > chosen.log_posterior;
        if (last_fitted) chosen = std::move(other);
      } catch (const std::exception&) {  // a failed second opinion leaves the others standing
        last_fitted = false;
      }
    }
    if (!last_fitted) {  // back to the chosen model, with the targets restore() computes for it
      gp_->set_data(X, chosen.transform.apply(y), modeled_noise(chosen.transform, y, X.rows()));
      gp_->set_params(chosen.params);
    }
  }
  if (options_.outliers == OutlierMode::Detect) flag_outliers(X, y_told, rng, warp_outputs, chosen);
  state_.transform = chosen.transform;
  state_.outlier_variances = outliers_;
  forgotten_ = false;
  state_.fitted = true;
  state_.params = gp_->params();
  state_.size = state_.size_at_fit = static_cast<std::size_t>(X.rows());
  state_.noiseless = false;
  state_.noiseless_params.resize(0);
  if (options_.noise == NoiseMode::Auto) choose_noise_model();
  models_.assign(1, active());
  if (options_.mode == HyperMode::Mcmc) sample_posterior(rng);
}

void Surrogate::flag_outliers(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng, bool warp_outputs, WarpFit& chosen) {
  const Eigen::Index n = X.rows();
  const auto support = [](const Eigen::VectorXd& v, Eigen::Index rows) {
    std::vector<Eigen::Index> s;
    for (Eigen::Index i = 0; i < std::min(rows, v.size()); ++i)
      if (v[i] > 0.0) s.push_back(i);
    return s;
  };
  // A look at the targets under `t` at the hyperparameters just fitted, from the known noise
  // plus `given` (y's units; not the variances flagged before, which would hide their points):
  // each new outlier's variance in y's units, where the fits and restore() carry them (through
  // the warp's slope).
  const auto look = [&](const OutputTransform& t, const Eigen::VectorXd& given) {
    Eigen::VectorXd base = known_variances(n, false);
    if (base.size() == 0) base = Eigen::VectorXd::Zero(n);
    base += given;
    for (Eigen::Index i = 0; i < n; ++i) base[i] = t.variance_to_model(base[i], y[i]);
    GaussianProcess probe = *gp_;
    probe.set_data(X, t.apply(y), base);
    const OutlierResult found = gpbo::find_outliers(probe);
    Eigen::VectorXd v = Eigen::VectorXd::Zero(n);
    for (const Eigen::Index i : found.outliers) {
      const double slope2 = t.variance_to_model(1.0, y[i]);
      v[i] = slope2 > 0.0 ? std::min(found.variance[i] / slope2, 1e300) : 0.0;
    }
    return v;
  };
  for (int round = 0;; ++round) {
    // The fitted warp may have bent gross values into the data's tail (a log of values below
    // -1e4 among values near 10 is a fine tail), where they pull the model towards them and
    // make their neighbours look wrong: first a look at the values robustly standardized,
    // where they stand out, then one under the fitted transform with those already weighed.
    const OutputTransform robust = robust_standardization(y);
    Eigen::VectorXd gross = look(robust, Eigen::VectorXd::Zero(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      const double z = robust.apply(y[i]);  // internal values: below the median is better
      if (z > -kBetterSideDeviations && z < kGrossDeviations) gross[i] = 0.0;
    }
    const Eigen::VectorXd v = gross + look(chosen.transform, gross);
    const bool settled = support(v, n) == support(outliers_, n);
    outliers_ = (v.array() > 0.0).any() ? v : Eigen::VectorXd();
    if (settled || round == 2) break;
    chosen = fit_targets(X, model_values(y), rng, warp_outputs, chosen.transform.value_log());
  }
  // The model in use carries the variances just found, at the fitted hyperparameters, as
  // restore() will rebuild it.
  const Eigen::VectorXd params = gp_->params();
  const Eigen::VectorXd ym = model_values(y);
  gp_->set_data(X, chosen.transform.apply(ym), modeled_noise(chosen.transform, ym, n));
  gp_->set_params(params);
  chosen.params = params;
}

GaussianProcess Surrogate::with_new_outliers(GaussianProcess model, Eigen::Index first_new, std::vector<bool>* flagged) const {
  const Eigen::Index n = model.size();
  if (flagged) {
    flagged->assign(static_cast<std::size_t>(n), false);
    for (Eigen::Index i = 0; i < std::min(n, first_new); ++i) (*flagged)[static_cast<std::size_t>(i)] = outlier(i);
  }
  if (options_.outliers != OutlierMode::Detect || first_new >= n || n < 2) return model;
  const OutlierResult found = gpbo::find_outliers(model);
  Eigen::VectorXd noise = model.point_noise().size() == n ? model.point_noise() : Eigen::VectorXd::Zero(n);
  bool any = false;
  for (const Eigen::Index i : found.outliers) {
    if (i < first_new) continue;
    noise[i] += found.variance[i];
    any = true;
    if (flagged) (*flagged)[static_cast<std::size_t>(i)] = true;
  }
  if (any) model.set_data(model.X(), model.y(), model.input_map(), model.output_map(), noise);
  return model;
}

void Surrogate::choose_noise_model() {
  const Eigen::Index k = noise_param_index(*gp_);
  const Eigen::VectorXd p1 = gp_->params();
  // Same free hyperparameters without the noise entry: the warm start of the noise-free fit.
  Eigen::VectorXd from_noisy(p1.size() - 1);
  from_noisy << p1.head(k), p1.tail(p1.size() - k - 1);
  if (!noiseless_) noiseless_ = make_gp(NoiseMode::None);
  const Eigen::VectorXd previous = noiseless_->params();
  auto objective = [&](const Eigen::VectorXd& p) {
    try {
      return noiseless_->log_posterior_and_gradient(p, nullptr);
    } catch (const CholeskyError&) {
      return -std::numeric_limits<double>::infinity();
    }
  };
  // Start from whichever is better: the learned-noise optimum or the last noise-free one.
  try {
    noiseless_->set_data(gp_->X(), gp_->y(), gp_->point_noise());
    noiseless_->set_params(objective(previous) > objective(from_noisy) ? previous : from_noisy);
  } catch (const CholeskyError&) {
    noiseless_.reset();
    return;
  }
  FitOptions f;
  f.restarts = 0;
  f.max_evaluations = options_.max_evaluations;
  f.threads = 1;
  double log_evidence0 = -std::numeric_limits<double>::infinity();
  try {
    noiseless_->fit(f);
    log_evidence0 = objective(noiseless_->params());
  } catch (const CholeskyError&) {
    noiseless_.reset();  // the data cannot be interpolated: keep the noise
    return;
  }
  state_.noiseless_params = noiseless_->params();
  // The learned noise's evidence by Laplace's method (gp/noise_evidence.hpp); a noise at its
  // lower bound is the noise-free model already.
  state_.noiseless = noise_at_lower_bound(*gp_) || log_evidence0 >= laplace_noise_log_evidence(*gp_);
}

void Surrogate::sample_posterior(Rng& rng) {
  FullyBayesianOptions o;
  o.sampler = HyperSampler::Nuts;
  o.seed = draw_seed(rng);
  o.samples = static_cast<int>(options_.mcmc_samples);
  o.thin = static_cast<int>(options_.mcmc_thin);
  o.max_treedepth = 5;
  GaussianProcess& model = active();
  const Eigen::VectorXd fitted = model.params();
  // Continue the last chain unless the noise choice changed the hyperparameter vector.
  const bool same_vector = !state_.samples.empty() && state_.samples.back().size() == fitted.size();
  const Eigen::VectorXd start = same_vector ? state_.samples.back() : fitted;
  // One new observation barely moves the hyperparameters' posterior: while the data has grown
  // by less than a quarter since the metric was estimated, keep it and the step size and only
  // re-tune the step size over a short warmup (20 iterations instead of 60). A full
  // windowed adaptation, itself started from the last metric, otherwise.
  HyperSamplerAdaptation warm;
  if (same_vector && state_.mcmc_inverse_metric.size() == fitted.size()) {
    warm.stepsize = state_.mcmc_stepsize;
    warm.inverse_metric = state_.mcmc_inverse_metric;
  }
  const std::size_t n = state_.size;
  const bool keep_metric = warm.stepsize > 0.0 && 4 * n < 5 * state_.mcmc_metric_size;
  o.warmup = keep_metric ? 20 : 60;
  o.adapt_metric = !keep_metric;
  HyperparameterDraws r = sample_hyperparameters(model, start, o, warm);
  state_.mcmc_stepsize = r.adaptation.stepsize;
  state_.mcmc_inverse_metric = r.adaptation.inverse_metric;
  if (!keep_metric) state_.mcmc_metric_size = n;
  state_.samples.clear();
  for (Eigen::Index i = 0; i < r.draws.rows(); ++i) state_.samples.push_back(r.draws.row(i).transpose());
  set_sample_models();
}

void Surrogate::set_sample_models() {
  models_.clear();
  for (const auto& s : state_.samples) {
    GaussianProcess m = active();
    m.set_params(s);
    models_.push_back(std::move(m));
  }
}

void Surrogate::restore(const SurrogateState& state, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                        const Eigen::VectorXd& noise_variances) {
  if (noise_variances.size() != 0 && noise_variances.size() != y.size())
    throw std::invalid_argument("Surrogate::restore: one noise variance per value, or none");
  noise_variances_ = noise_variances;
  state_ = state;
  outliers_ = state_.outlier_variances;
  models_.clear();
  gp_.reset();
  if (!state_.fitted) return;
  if (static_cast<std::size_t>(X.rows()) < state_.size)
    throw std::invalid_argument("Surrogate::restore: fewer observations than the saved model holds");
  gp_ = make_gp();
  if (options_.noise == NoiseMode::Fixed) {
    GpOptions o = gp_->options();
    o.noise.variance = fixed_noise_variance(state_.transform.scale);
    gp_ = GaussianProcess(gp_->kernel().clone(), o);
  }
  const auto n = static_cast<Eigen::Index>(state_.size);
  const auto n_fit = static_cast<Eigen::Index>(state_.size_at_fit);
  // Flagged values clamped as the last refit did, into the range of its rows' other values.
  Eigen::VectorXd ym = y.head(n);
  ym.head(n_fit) = model_values(y.head(n_fit));
  const Eigen::VectorXd ys = state_.transform.apply(ym);
  const Eigen::VectorXd noise = modeled_noise(state_.transform, ym, n);
  const Eigen::VectorXd fit_noise = noise.size() > 0 ? Eigen::VectorXd(noise.head(n_fit)) : Eigen::VectorXd();
  gp_->set_data(X.topRows(n_fit), ys.head(n_fit), fit_noise);
  gp_->set_params(state_.params);
  if (state_.noiseless_params.size() > 0) {  // the noise-free fit, chosen or kept as a warm start
    noiseless_ = make_gp(NoiseMode::None);
    noiseless_->set_data(X.topRows(n_fit), ys.head(n_fit), fit_noise);
    noiseless_->set_params(state_.noiseless_params);
  }
  // Rows told after the last refit (Fast mode) were appended to the active model's factor one
  // at a time; replaying that, rather than factorizing all rows at once, gives the original's
  // factor to the last bit, and so the same suggestions.
  GaussianProcess& model = active();
  for (Eigen::Index r = n_fit; r < n; ++r) model.add_point(X.row(r), ys[r], noise.size() > 0 ? noise[r] : 0.0);
  models_.assign(1, active());
  if (options_.mode == HyperMode::Mcmc && !state_.samples.empty()) set_sample_models();
}

}  // namespace gpbo::bo
