#include "gpbo/bayesopt/outcome_constraints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "gpbo/core/json_text.hpp"
#include "gpbo/gp/default_priors.hpp"
#include "gpbo/gp/noise_evidence.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/scale.hpp"

namespace gpbo::bo {

std::string OutcomeConstraint::describe() const {
  std::ostringstream os;
  os.precision(15);
  if (lower) os << *lower << " <= ";
  os << name;
  if (upper) os << " <= " << *upper;
  return os.str();
}

std::optional<ConstraintIssue> find_constraint_issue(const std::vector<OutcomeConstraint>& constraints) {
  std::map<std::string, std::size_t> first_with;  // name -> the first constraint with it
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const OutcomeConstraint& c = constraints[k];
    const auto issue = [k](std::string field, std::string message) {
      return ConstraintIssue{k, std::move(field), std::move(message)};
    };
    if (c.name.empty()) return issue("name", "needs a name");
    // The state is JSON: a name that is not UTF-8 made every save fail with the JSON library's error.
    if (valid_utf8(c.name) != c.name) return issue("name", "the name is not valid UTF-8 text");
    if (const auto [at, added] = first_with.emplace(c.name, k); !added)
      return issue("name", "the name is used twice (constraint " + std::to_string(at->second) + " has it too)");
    if (!c.lower && !c.upper) return issue("", "needs a lower or an upper bound");
    if (c.lower && !std::isfinite(*c.lower)) return issue("min", "bounds must be finite");
    if (c.upper && !std::isfinite(*c.upper)) return issue("max", "bounds must be finite");
    if (c.lower && c.upper && *c.lower > *c.upper) return issue("", "the lower bound is above the upper bound");
  }
  return std::nullopt;
}

void validate_constraints(const std::vector<OutcomeConstraint>& constraints) {
  const std::optional<ConstraintIssue> issue = find_constraint_issue(constraints);
  if (!issue) return;
  const std::string& name = constraints[issue->index].name;
  throw std::invalid_argument("outcome constraint " + std::to_string(issue->index) +
                              (name.empty() ? "" : " (\"" + valid_utf8(name) + "\")") + ": " + issue->message);
}

namespace {

double log_normal_pdf(double z) { return -0.5 * z * z - 0.5 * std::log(2.0 * M_PI); }

}  // namespace

AcqTerms log_probability_within(double mean, double var, const std::optional<double>& lower,
                                const std::optional<double>& upper) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v);
  const double a = lower ? (*lower - mean) / sd : -std::numeric_limits<double>::infinity();
  const double b = upper ? (*upper - mean) / sd : std::numeric_limits<double>::infinity();
  double log_p = 0.0, da = 0.0, db = 0.0;  // d log p / da, d log p / db
  if (!lower) {
    log_p = log_normal_cdf(b);
    db = d_log_normal_cdf(b);
  } else if (!upper) {
    log_p = log_normal_cdf(-a);
    da = -d_log_normal_cdf(-a);
  } else {
    // P = Phi(hi) - Phi(lo) on the side of the mean where both tails are small: Phi(b) - Phi(a)
    // when the interval lies mostly below the mean, Phi(-a) - Phi(-b) when above, so that the
    // difference of two numbers near 1 never cancels.
    const bool flip = a + b > 0.0;
    const double hi = flip ? -a : b, lo = flip ? -b : a;
    const double log_hi = log_normal_cdf(hi), log_lo = log_normal_cdf(lo);
    const double gap = std::max(log_hi - log_lo, 1e-300);  // hi == lo only by round-off
    log_p = log_hi + std::log(-std::expm1(-gap));
    const double d_hi = std::exp(log_normal_pdf(hi) - log_p), d_lo = -std::exp(log_normal_pdf(lo) - log_p);
    if (flip) {
      da = -d_hi;
      db = -d_lo;
    } else {
      db = d_hi;
      da = d_lo;
    }
  }
  // a and b fall as the mean rises (slope -1/sd) and move towards 0 as the variance grows.
  const double d_mean = -(da + db) / sd;
  double d_var = 0.0;
  if (var >= kMinVariance) {
    if (lower) d_var -= da * a / (2.0 * v);
    if (upper) d_var -= db * b / (2.0 * v);
  }
  return {log_p, d_mean, d_var};
}

namespace {

double bilog(double y) { return std::copysign(std::log1p(std::abs(y)), y); }

// The (lower) median of |v|; where it is 0 (most values exactly at the bound) the largest |v|,
// and 1 if every value is 0, so that no excess is divided by zero.
double median_magnitude(const Eigen::VectorXd& v) {
  std::vector<double> a(static_cast<std::size_t>(v.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) a[static_cast<std::size_t>(i)] = std::abs(v[i]);
  const auto mid = a.begin() + static_cast<std::ptrdiff_t>((a.size() - 1) / 2);
  std::nth_element(a.begin(), mid, a.end());
  if (*mid > 0.0) return *mid;
  const double largest = *std::max_element(a.begin(), a.end());
  return largest > 0.0 ? largest : 1.0;
}

// The noise variance (standardized units) of a constraint modeled as noise-free, below the
// objective's (1e-6, NoiseMode::None): once the incumbent sits on a boundary, the constrained EI's
// best trade-off lies where the improvement the objective's model still resolves balances the
// fall of the probability of feasibility, so a boundary resolved no finer than the objective's
// values put suggestion after suggestion just past it (x + y <= 1, 20 seeds of 30 evaluations:
// 375 infeasible with 1e-6, 105 with 1e-7 or 1e-8, all in the initial design; 1e-8 left the
// spring design's median best at 60 evaluations 0.0127211 against 0.0127031).
constexpr double kNoiselessVariance = 1e-7;

GaussianProcess constraint_gp(int d, bool learn_noise) {
  auto matern = std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, true);
  matern->set_bounds("lengthscale", 1e-3, 1e3);
  auto kernel = std::make_unique<ScaleKernel>(std::move(matern), 1.0);
  GpOptions o;
  o.scale_inputs = false;  // the encoded cube, as the objective's GP sees it
  o.standardize_outputs = true;
  o.mean.kind = MeanOptions::Kind::Constant;
  o.noise.learn = learn_noise;
  o.noise.variance = learn_noise ? 1e-4 : kNoiselessVariance;
  o.noise.lower = learn_noise ? 1e-6 : kNoiselessVariance;
  o.noise.upper = 1.0;
  set_weak_default_priors(*kernel, o, d);
  // Start between the length-scale prior's mode and median, as the objective's surrogate does.
  kernel->set_value("lengthscale", std::exp(std::sqrt(2.0) + 0.5 * std::log(static_cast<double>(d)) - 1.0));
  return GaussianProcess(std::move(kernel), o);
}

// log p(targets) of a fitted GP: its MAP objective, with a learned noise integrated out by
// Laplace's method (gp/noise_evidence.hpp), as the objective's surrogate weighs noise against none.
double log_evidence(const GaussianProcess& gp) {
  return noise_param_index(gp) < 0 ? gp.log_posterior_and_gradient(gp.params(), nullptr) : laplace_noise_log_evidence(gp);
}

// A constraint's GP and the log evidence of the values it models, in the values' own units.
// `usable`: the GP holds the data (their standardization did not fail); `noise_at_floor`: a
// learned noise that stayed at its lower bound (the fixed-noise fit is that model already).
struct ConstraintFit {
  GaussianProcess gp;
  double log_evidence;
  bool usable;
  bool noise_at_floor;
  std::string error;  // why not usable
};

// Fits a GP to targets = t(values), log_slope the sum of log t'(value): the evidence of the values
// is that of the standardized targets plus the Jacobians of t and of the standardization, so that
// fits of different t (and noise) compare on the same data. -inf where the fit broke down.
ConstraintFit fit_targets(const Eigen::MatrixXd& X, const Eigen::VectorXd& targets, double log_slope, bool learn_noise) {
  GaussianProcess gp = constraint_gp(static_cast<int>(X.cols()), learn_noise);
  try {
    gp.set_data(X, targets);  // refuses values spread too widely to standardize (raw 1e300s)
  } catch (const std::exception& e) {
    return {std::move(gp), -std::numeric_limits<double>::infinity(), false, false, e.what()};
  }
  const Eigen::VectorXd start = gp.params();
  FitOptions f;
  f.restarts = 0;  // deterministic: a reloaded optimizer rebuilds the same model
  f.threads = 1;
  f.max_evaluations = 100;
  try {
    gp.fit(f);
  } catch (const std::exception&) {
    gp.set_params(start);
  }
  double evidence = -std::numeric_limits<double>::infinity();
  try {
    evidence = log_evidence(gp) - static_cast<double>(targets.size()) * std::log(gp.output_map().scale) + log_slope;
  } catch (const std::exception&) {  // a Cholesky failure: this model loses the comparison
  }
  const bool at_floor = noise_at_lower_bound(gp);
  return {std::move(gp), std::isfinite(evidence) ? evidence : -std::numeric_limits<double>::infinity(), true, at_floor, ""};
}

// The fit of highest evidence among the targets' candidate maps (targets, log_slope) and, unless
// the objective's noise is `none`, a learned noise and none: a deterministic constraint is then
// interpolated, and a noisy one still gets its noise. A learned noise left at its floor yields to
// the fixed noise of the same map when that fit holds; a fit that could not take the data never
// wins (std::invalid_argument, its reason, when none could).
GaussianProcess best_fit(const Eigen::MatrixXd& X, const std::vector<std::pair<Eigen::VectorXd, double>>& maps,
                         NoiseMode noise) {
  std::vector<ConstraintFit> fits;
  for (const bool learn : {false, true}) {
    if (learn && noise == NoiseMode::None) continue;
    for (const auto& [targets, log_slope] : maps) fits.push_back(fit_targets(X, targets, log_slope, learn));
  }
  const std::size_t per_noise = maps.size();
  ConstraintFit* best = nullptr;
  for (std::size_t i = 0; i < fits.size(); ++i) {
    ConstraintFit& fit = fits[i];
    if (!fit.usable) continue;
    if (fit.noise_at_floor && i >= per_noise && fits[i - per_noise].usable &&
        std::isfinite(fits[i - per_noise].log_evidence))
      continue;
    if (!best || fit.log_evidence > best->log_evidence) best = &fit;
  }
  if (!best) throw std::invalid_argument("constraint values cannot be modeled: " + fits.front().error);
  return std::move(best->gp);
}

}  // namespace

ConstraintModels ConstraintModels::fit(const std::vector<OutcomeConstraint>& constraints, const Eigen::MatrixXd& X,
                                       const Eigen::MatrixXd& values, NoiseMode noise, Eigen::Index scale_rows) {
  validate_constraints(constraints);
  if (values.rows() != X.rows() || values.cols() != static_cast<Eigen::Index>(constraints.size()))
    throw std::invalid_argument("ConstraintModels::fit: one value per point and constraint expected");
  if (X.rows() < 2) throw std::invalid_argument("ConstraintModels::fit: at least 2 points are needed");
  if (!values.allFinite()) throw std::invalid_argument("ConstraintModels::fit: constraint values must be finite");
  std::vector<OutcomeConstraint> modeled = constraints;
  std::vector<GaussianProcess> models;
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    OutcomeConstraint& c = modeled[k];
    const auto col = static_cast<Eigen::Index>(k);
    if (c.lower && c.upper) {
      models.push_back(best_fit(X, {{values.col(col), 0.0}}, noise));
      continue;
    }
    // One-sided: the excess e as it is, or bilog(e / s), whichever explains it better (see the
    // header); both keep its sign, so the constraint becomes "modeled value <= 0".
    const Eigen::VectorXd excess = c.upper ? Eigen::VectorXd(values.col(col).array() - *c.upper)
                                           : Eigen::VectorXd(*c.lower - values.col(col).array());
    c.lower.reset();
    c.upper = 0.0;
    // The leading rows' scale; where they all sit on the bound (a "violation = max(0, g)"
    // constraint met throughout the design) that of every row, not 1 in the constraint's units.
    const Eigen::Index n_scale = scale_rows >= 2 ? std::min(scale_rows, excess.size()) : excess.size();
    const bool head_on_bound = (excess.head(n_scale).array() == 0.0).all();
    const double s = median_magnitude(head_on_bound ? excess : Eigen::VectorXd(excess.head(n_scale)));
    Eigen::VectorXd compressed(excess.size());
    double log_slope = 0.0;  // d bilog(e / s) / de = 1 / (s + |e|)
    for (Eigen::Index i = 0; i < excess.size(); ++i) {
      compressed[i] = bilog(excess[i] / s);
      log_slope -= std::log(s + std::abs(excess[i]));
    }
    models.push_back(best_fit(X, {{excess, 0.0}, {compressed, log_slope}}, noise));
  }
  return ConstraintModels(std::move(modeled), std::move(models));
}

Eigen::VectorXd ConstraintModels::log_success(const Eigen::MatrixXd& U) const {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(U.rows());
  for (std::size_t k = 0; k < models_.size(); ++k) {
    const Prediction p = models_[k].predict(U);
    for (Eigen::Index i = 0; i < U.rows(); ++i)
      sum[i] += log_probability_within(p.mean[i], p.variance[i], constraints_[k].lower, constraints_[k].upper).value;
  }
  return sum;
}

double ConstraintModels::log_success_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const {
  gradient = Eigen::RowVectorXd::Zero(u.size());
  double sum = 0.0;
  for (std::size_t k = 0; k < models_.size(); ++k) {
    const PointPrediction p = models_[k].predict_gradient(u);
    const AcqTerms t = log_probability_within(p.mean, p.variance, constraints_[k].lower, constraints_[k].upper);
    sum += t.value;
    gradient += chain_gradient(t, p.mean_gradient, p.variance_gradient);
  }
  return sum;
}

std::vector<bool> ConstraintModels::sample_success(const Eigen::MatrixXd& U, Rng& rng) const {
  std::vector<bool> ok(static_cast<std::size_t>(U.rows()), true);
  for (std::size_t k = 0; k < models_.size(); ++k) {
    const Eigen::VectorXd draw = models_[k].sample_posterior(U, 1, rng).col(0);
    for (Eigen::Index i = 0; i < U.rows(); ++i)
      ok[static_cast<std::size_t>(i)] = ok[static_cast<std::size_t>(i)] && constraints_[k].satisfied(draw[i]);
  }
  return ok;
}

}  // namespace gpbo::bo
