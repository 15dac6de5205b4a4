#include "gpbo/bayesopt/output_transform.hpp"

#include <boost/math/tools/minima.hpp>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gpbo/bayesopt/penalties.hpp"
#include "gpbo/core/moments.hpp"

namespace gpbo::bo {
namespace {

// Sample mean and sd. Values equal up to round-off (sd below 1e-12 of their largest magnitude,
// in whatever units: 1e-30 apart is a real difference between values of 1e-28) or a single
// value are a constant: sd is replaced by their magnitude (1 when they are 0), so that they map
// to 0 up to round-off relative to themselves (with sd 1, values of 1e300 one ulp apart became
// 1e284), and the function returns false.
bool standardization(const Eigen::VectorXd& v, double& mean, double& sd) {
  const MeanSd m = mean_sd(v, 1);
  mean = m.mean;
  const double magnitude = v.size() > 0 ? v.cwiseAbs().maxCoeff() : 0.0;
  const bool varies = m.sd > 1e-12 * magnitude;
  sd = varies ? m.sd : magnitude > 0.0 && std::isfinite(magnitude) ? magnitude : 1.0;
  // Values across the whole double range (a DBL_MAX penalty beside negative values) have an sd
  // beyond it: half their range is a finite scale of the same order.
  if (std::isinf(sd)) sd = 0.5 * v.maxCoeff() - 0.5 * v.minCoeff();
  return varies;
}

// (y - shift) / scale, also when y - shift overflows.
double standardized(double y, double shift, double scale) {
  const double d = y - shift;
  return std::isfinite(d) ? d / scale : (0.5 * y - 0.5 * shift) / (0.5 * scale);
}

// sign(z) log(1 + |z|): log psi_lambda'(z) = (lambda - 1) times this.
double signed_log1p(double z) { return std::copysign(std::log1p(std::abs(z)), z); }

// Negative profile log likelihood of lambda (normal fit to psi(z), Jacobian included).
double negative_log_likelihood(const Eigen::VectorXd& z, double lambda) {
  const auto n = static_cast<double>(z.size());
  Eigen::VectorXd t(z.size());
  double jac = 0.0;
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    t[i] = yeo_johnson(z[i], lambda);
    jac += signed_log1p(z[i]);
  }
  const double var = (t.array() - t.mean()).square().sum() / n;
  return 0.5 * n * std::log(std::max(var, 1e-300)) - (lambda - 1.0) * jac;
}

// d/dc [expm1(c a) / c], the derivative of both branches of psi in their exponent (a >= 0).
double power_exponent_derivative(double c, double a) {
  const double ca = c * a;
  if (std::abs(ca) < 1e-3) return a * a * (0.5 + ca / 3.0 + ca * ca / 8.0 + ca * ca * ca / 30.0);
  return (ca * std::exp(ca) - std::expm1(ca)) / (c * c);
}

}  // namespace

double yeo_johnson_lambda_derivative(double x, double lambda) {
  // psi = expm1(lambda a) / lambda with a = log1p(x) for x >= 0, and -expm1(mu b) / mu with
  // mu = 2 - lambda, b = log1p(-x) below: d/dlambda = -d/dmu, so both read the same function.
  if (x >= 0.0) return power_exponent_derivative(lambda, std::log1p(x));
  return power_exponent_derivative(2.0 - lambda, std::log1p(-x));
}

double yeo_johnson(double x, double lambda) {
  if (x >= 0.0) {
    if (std::abs(lambda) < 1e-12) return std::log1p(x);
    return std::expm1(lambda * std::log1p(x)) / lambda;
  }
  if (std::abs(lambda - 2.0) < 1e-12) return -std::log1p(-x);
  return -std::expm1((2.0 - lambda) * std::log1p(-x)) / (2.0 - lambda);
}

double yeo_johnson_slope(double x, double lambda) {
  return x >= 0.0 ? std::exp((lambda - 1.0) * std::log1p(x)) : std::exp((1.0 - lambda) * std::log1p(-x));
}

double yeo_johnson_inverse(double z, double lambda) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (z >= 0.0) {  // psi = expm1(lambda log1p(x)) / lambda, so log1p(x) = log1p(lambda z) / lambda
    if (std::abs(lambda) < 1e-12) return std::expm1(z);
    const double base = lambda * z;
    return base <= -1.0 ? inf : std::expm1(std::log1p(base) / lambda);
  }
  if (std::abs(lambda - 2.0) < 1e-12) return -std::expm1(-z);
  const double mu = 2.0 - lambda;  // psi = -expm1(mu log1p(-x)) / mu
  const double base = -mu * z;
  return base <= -1.0 ? -inf : -std::expm1(std::log1p(base) / mu);
}

double OutputTransform::premapped(double y) const {
  const double v = capped(y);
  if (!(log_offset > 0.0)) return v;
  const double d = v - log_from;
  return d >= 0.0 ? std::log(log_argument(y)) : std::log(log_offset) + d / log_offset;  // the tangent below m
}

double OutputTransform::invert(double w) const {
  const double p = yeo_johnson_inverse(w * post_scale + post_shift, lambda) * scale + shift;
  if (!(log_offset > 0.0)) return p;
  const double at_m = std::log(log_offset);
  return p >= at_m ? log_from + (std::exp(p) - log_offset) : log_from + (p - at_m) * log_offset;
}

namespace {
// y with its penalties capped (penalties.hpp), the cut recorded in t.
Eigen::VectorXd capped_values(const Eigen::VectorXd& y_raw, OutputTransform& t) {
  const PenaltyCut cut = find_penalties(y_raw);
  t.penalty_from = cut.from;
  t.penalty_value = cut.value;
  return y_raw.unaryExpr([&](double v) { return t.capped(v); });
}
}  // namespace

bool OutputTransform::log_worth_trying(const Eigen::VectorXd& y_raw) {
  if (y_raw.size() < 3) return false;
  OutputTransform t;
  const Eigen::VectorXd y = capped_values(y_raw, t);
  const double lo = y.minCoeff(), hi = y.maxCoeff();
  return lo > 0.0 && std::isfinite(hi) && hi >= 1e4 * lo;
}

namespace {

// The cap (and log) and the pre-standardization of y; z receives the standardized capped values.
// False when they are constant (or fewer than 3): then the map is the standardization alone.
bool prestandardize(const Eigen::VectorXd& y_raw, OutputTransform& t, Eigen::VectorXd& z, ValueLog log) {
  Eigen::VectorXd d = capped_values(y_raw, t);
  if (log != ValueLog::None) {
    t.log_from = d.minCoeff();
    d.array() -= t.log_from;
    std::sort(d.data(), d.data() + d.size());
    // The lower quartile of y - m (linear between order statistics, as numpy's default); when a
    // quarter of the values tie with the best, the smallest gap above it.
    const double at = 0.25 * static_cast<double>(d.size() - 1);
    const auto k = static_cast<Eigen::Index>(at);
    t.log_offset = k + 1 < d.size() ? d[k] + (at - static_cast<double>(k)) * (d[k + 1] - d[k]) : d[k];
    if (!(t.log_offset > 0.0))
      for (Eigen::Index i = 0; i < d.size() && !(t.log_offset > 0.0); ++i) t.log_offset = d[i];
    if (log == ValueLog::Plain) t.log_offset = t.log_from;  // log(y - m + m) = log y (m > 0 needed)
    if (!(t.log_offset > 0.0) || !std::isfinite(t.log_offset) || !std::isfinite(t.log_from))
      throw std::invalid_argument("OutputTransform: the log needs values that differ");
  }
  const Eigen::VectorXd y = y_raw.unaryExpr([&](double v) { return t.premapped(v); });
  const bool varies = standardization(y, t.shift, t.scale);
  z = y.unaryExpr([&](double v) { return standardized(v, t.shift, t.scale); });
  // A constant stays a constant: warping and re-standardizing its round-off would amplify it.
  return varies && y.size() >= 3;
}

void set_lambda(OutputTransform& t, const Eigen::VectorXd& z, double lambda) {
  t.lambda = lambda;
  Eigen::VectorXd w(z.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) w[i] = yeo_johnson(z[i], t.lambda);
  standardization(w, t.post_shift, t.post_scale);
}

}  // namespace

OutputTransform OutputTransform::fit(const Eigen::VectorXd& y_raw, bool warp, double lambda_min, double lambda_max,
                                     ValueLog log) {
  // Penalties count as bad as the worst other value plus the others' range: still the worst
  // points, without a jump that dwarfs everything the GP has to resolve.
  OutputTransform t;
  Eigen::VectorXd z;
  if (!prestandardize(y_raw, t, z, log) || !warp) return t;
  const auto best = boost::math::tools::brent_find_minima(
      [&](double l) { return negative_log_likelihood(z, l); }, lambda_min, lambda_max, 40);
  // Keep the identity unless the warp is clearly better (3 log-likelihood units).
  set_lambda(t, z, negative_log_likelihood(z, 1.0) - best.second > 3.0 ? best.first : 1.0);
  return t;
}

OutputTransform OutputTransform::with_lambda(const Eigen::VectorXd& y, double lambda, ValueLog log) {
  OutputTransform t;
  Eigen::VectorXd z;
  if (prestandardize(y, t, z, log)) set_lambda(t, z, lambda);
  return t;
}

std::optional<PowerWarp> PowerWarp::make(const Eigen::VectorXd& y, double lower, double upper, ValueLog log) {
  OutputTransform t;
  Eigen::VectorXd z;
  if (!prestandardize(y, t, z, log)) return std::nullopt;
  Eigen::VectorXd signed_log = z.unaryExpr([](double v) { return signed_log1p(v); });
  Eigen::VectorXd log_premap_slope = Eigen::VectorXd::Zero(y.size());
  if (log != ValueLog::None) log_premap_slope = y.unaryExpr([&](double v) { return -std::log(t.log_argument(v)); });
  return PowerWarp(std::move(z), std::move(signed_log), std::move(log_premap_slope), t.scale, lower, upper);
}

WarpedTargets PowerWarp::apply(const Eigen::VectorXd& p, bool derivatives) const {
  const double lambda = p[0];
  const Eigen::Index n = z_.size();
  const double dof = static_cast<double>(n - 1);  // standardization's sd: ddof 1
  const Eigen::VectorXd u = z_.unaryExpr([&](double v) { return yeo_johnson(v, lambda); });
  const Eigen::ArrayXd uc = u.array() - u.mean();
  const double sd = std::sqrt(uc.square().sum() / dof);
  WarpedTargets out;
  out.w = (uc / sd).matrix();
  out.log_slope = ((lambda - 1.0) * signed_log_.array() - log_scale_ - std::log(sd) + log_premap_slope_.array()).matrix();
  if (derivatives) {
    const Eigen::VectorXd du = z_.unaryExpr([&](double v) { return yeo_johnson_lambda_derivative(v, lambda); });
    const Eigen::ArrayXd duc = du.array() - du.mean();
    const double dsd = (uc * duc).sum() / (dof * sd);  // d sd / d lambda
    out.dw = ((duc - out.w.array() * dsd) / sd).matrix();
    out.dlog_slope = (signed_log_.array() - dsd / sd).matrix();
  }
  return out;
}

// A bound on transformed values. The values a transform was fitted to map within sqrt(n) of 0
// (standardized), so it binds only on values far outside those: one told after the fit (-1e307
// after values near 0.3 overflowed to -inf, and gpbo show's model refused it, "point and value
// must be finite", until the next refit mapped it exactly), or a gross value the outlier look
// maps with the transform fitted without it (its misfit stays beyond any noise either way).
// Values past the bound tie: their order among themselves is lost, not their side.
constexpr double kMaxTransformed = 1e10;

double OutputTransform::apply(double y) const {
  const double w = (yeo_johnson(standardized(premapped(y), shift, scale), lambda) - post_shift) / post_scale;
  return std::clamp(w, -kMaxTransformed, kMaxTransformed);
}

double OutputTransform::variance_to_model(double v, double y) const {
  double slope = yeo_johnson_slope(standardized(premapped(y), shift, scale), lambda) / (scale * post_scale);
  if (log_offset > 0.0) slope /= log_argument(y);  // the log's slope (its tangent's below m)
  return std::min(v * slope * slope, kMaxCarriedVariance);  // inf for 1e-200 told with sd 1
}

Eigen::VectorXd OutputTransform::apply(const Eigen::VectorXd& y) const {
  Eigen::VectorXd out(y.size());
  for (Eigen::Index i = 0; i < y.size(); ++i) out[i] = apply(y[i]);
  return out;
}

}  // namespace gpbo::bo
