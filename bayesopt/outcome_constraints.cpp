#include "gpbo/bayesopt/outcome_constraints.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include "gpbo/gp/default_priors.hpp"
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

void validate_constraints(const std::vector<OutcomeConstraint>& constraints) {
  std::set<std::string> names;
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const OutcomeConstraint& c = constraints[k];
    const std::string which = "outcome constraint " + std::to_string(k) + (c.name.empty() ? "" : " (\"" + c.name + "\")");
    if (c.name.empty()) throw std::invalid_argument(which + ": needs a name");
    if (!names.insert(c.name).second) throw std::invalid_argument(which + ": the name is used twice");
    if (!c.lower && !c.upper) throw std::invalid_argument(which + ": needs a lower or an upper bound");
    if ((c.lower && !std::isfinite(*c.lower)) || (c.upper && !std::isfinite(*c.upper)))
      throw std::invalid_argument(which + ": bounds must be finite");
    if (c.lower && c.upper && *c.lower > *c.upper)
      throw std::invalid_argument(which + ": the lower bound is above the upper bound");
  }
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

}  // namespace

ConstraintModels ConstraintModels::fit(const std::vector<OutcomeConstraint>& constraints, const Eigen::MatrixXd& X,
                                       const Eigen::MatrixXd& values) {
  validate_constraints(constraints);
  if (values.rows() != X.rows() || values.cols() != static_cast<Eigen::Index>(constraints.size()))
    throw std::invalid_argument("ConstraintModels::fit: one value per point and constraint expected");
  if (X.rows() < 2) throw std::invalid_argument("ConstraintModels::fit: at least 2 points are needed");
  if (!values.allFinite()) throw std::invalid_argument("ConstraintModels::fit: constraint values must be finite");
  // One-sided constraints are modeled as bilog(excess / s) <= 0 (see the header).
  std::vector<OutcomeConstraint> modeled = constraints;
  Eigen::MatrixXd targets = values;
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    OutcomeConstraint& c = modeled[k];
    if (c.lower && c.upper) continue;
    const auto col = static_cast<Eigen::Index>(k);
    const Eigen::VectorXd excess = c.upper ? Eigen::VectorXd(values.col(col).array() - *c.upper)
                                           : Eigen::VectorXd(*c.lower - values.col(col).array());
    const double s = median_magnitude(excess);
    for (Eigen::Index i = 0; i < excess.size(); ++i) targets(i, col) = bilog(excess[i] / s);
    c.lower.reset();
    c.upper = 0.0;
  }
  const int d = static_cast<int>(X.cols());
  std::vector<GaussianProcess> models;
  for (Eigen::Index k = 0; k < targets.cols(); ++k) {
    auto matern = std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, true);
    matern->set_bounds("lengthscale", 1e-3, 1e3);
    auto kernel = std::make_unique<ScaleKernel>(std::move(matern), 1.0);
    GpOptions o;
    o.scale_inputs = false;  // the encoded cube, as the objective's GP sees it
    o.standardize_outputs = true;
    o.mean.kind = MeanOptions::Kind::Constant;
    o.noise.learn = true;
    o.noise.variance = 1e-4;
    o.noise.lower = 1e-6;
    o.noise.upper = 1.0;
    set_weak_default_priors(*kernel, o, d);
    // Start between the length-scale prior's mode and median, as the objective's surrogate does.
    kernel->set_value("lengthscale", std::exp(std::sqrt(2.0) + 0.5 * std::log(static_cast<double>(d)) - 1.0));
    GaussianProcess gp(std::move(kernel), o);
    gp.set_data(X, targets.col(k));
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
    models.push_back(std::move(gp));
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
