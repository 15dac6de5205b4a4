#include "gpbo/bayesopt/acquisition.hpp"

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <stdexcept>

#include "gpbo/core/math_policy.hpp"

namespace gpbo::bo {
namespace {

constexpr double kHalfLog2Pi = 0.91893853320467274178;  // log(2 pi) / 2
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kFractionFrom = 4.0;  // t from which the continued fraction gives the tail

double erfc(double x) { return boost::math::erfc(x, DoublePrecision()); }

// exp(-z^2 / 2) / sqrt(2 pi) with z^2 split exactly into hi + lo (fma): exp of the rounded
// -z^2/2 - log(2 pi)/2 was off by z^2 eps / 2 relative (4e-14 at z = 20).
double normal_pdf(double z) {
  if (std::abs(z) < kFractionFrom) return std::exp(-0.5 * z * z - kHalfLog2Pi);  // off by at most 8 eps
  const double hi = z * z, lo = std::fma(z, z, -hi);
  return std::exp(-0.5 * hi) * std::exp(-0.5 * lo - kHalfLog2Pi);
}
double normal_cdf(double z) { return 0.5 * erfc(-z / kSqrt2); }

// The Mills ratio m(t) = Phi(-t) / phi(t) as Laplace's continued fraction 1 / (t + K(t)), with
// K(t) = 1 / (t + 2 / (t + 3 / (t + ...))), for t >= kFractionFrom. From K, with no cancellation:
// m = 1 / (t + K) and q = 1 - t m = K / (t + K). The erfc form m = erfc(t/sqrt 2) exp(t^2/2) /
// (2 phi(0)) carried t^2 eps of rounding into 1 - t m, losing up to 1e-10 of log-EI's gradient
// between t = 4 and 30. 10 + 560 / t^2 terms reach double precision (45 at t = 4, 11 at 30;
// checked against 60-digit values).
double mills_tail(double t) {
  const int terms = 10 + static_cast<int>(std::ceil(560.0 / (t * t)));
  double d = 0.0;
  for (int k = terms; k >= 2; --k) d = k / (t + d);
  return 1.0 / (t + d);
}

// q(t) = 1 - t m(t) for 1 <= t < kFractionFrom, where the erfc form's rounding stays near 1e-14.
double one_minus_t_mills_near(double t) {
  const double mills = 0.5 * erfc(t / kSqrt2) * std::exp(0.5 * t * t + kHalfLog2Pi);
  return 1.0 - t * mills;
}

// log h(z) and its slope d log h / dz, computed together: log-EI needs both for every candidate,
// and in the tail they share one continued fraction.
struct LogH {
  double value, slope;
};

LogH log_h_terms(double z) {
  if (z > -1.0) {
    const double pdf = normal_pdf(z), cdf = normal_cdf(z), h = pdf + z * cdf;
    return {std::log(h), cdf / h};
  }
  const double t = -z;
  // h(z) = phi(t) q(t): its log never underflows (-inf only where t^2 / 2 passes DBL_MAX).
  if (t < kFractionFrom) {
    const double q = one_minus_t_mills_near(t);
    return {-0.5 * t * t - kHalfLog2Pi + std::log(q), (1.0 - q) / (t * q)};  // slope m / q, m = (1 - q) / t
  }
  const double k = mills_tail(t);
  return {-0.5 * t * t - kHalfLog2Pi + std::log(k) - std::log(t + k), 1.0 / k};  // m / q = 1 / K: no t^2
}

// phi(z) / h(z), the part of log-EI's derivative in sd, given `slope` = d log h(z). It equals
// 1 - z slope, which for z <= 2 adds like-signed terms or cancels by at most a factor 37 (at
// z = 2), but for large z cancels completely (it came out -1.1e-16 for +4.2e-17 at z = 8.2):
// there the ratio itself.
double normal_pdf_over_h(double z, double slope) {
  if (z <= 2.0) return 1.0 - z * slope;
  const double pdf = normal_pdf(z);
  return pdf / (pdf + z * normal_cdf(z));
}

}  // namespace

double log_h(double z) { return log_h_terms(z).value; }

double d_log_h(double z) { return log_h_terms(z).slope; }

double log_normal_cdf(double z) {
  // Right tail: log(1 - Phi(-z)) with Phi(-z) = phi(z) m(z) (erfc's rounded argument z / sqrt 2
  // cost z^2 eps of Phi(-z): 1.3e-14 at z = 12).
  if (z >= kFractionFrom) return std::log1p(-normal_pdf(z) / (z + mills_tail(z)));
  if (z > 0.0) return std::log1p(-0.5 * erfc(z / kSqrt2));
  if (z > -kFractionFrom) return std::log(normal_cdf(z));
  const double t = -z;
  return -0.5 * t * t - kHalfLog2Pi - std::log(t + mills_tail(t));  // log phi(t) + log m(t)
}

double d_log_normal_cdf(double z) {
  if (z > -kFractionFrom) return normal_pdf(z) / normal_cdf(z);
  const double t = -z;
  return t + mills_tail(t);  // 1 / m(t)
}

AcqTerms expected_improvement(double mean, double var, double best) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v), z = (best - mean) / sd;
  const double pdf = normal_pdf(z), cdf = normal_cdf(z);
  return {sd * (pdf + z * cdf), -cdf, var < kMinVariance ? 0.0 : pdf / (2.0 * sd)};  // floored: no var dependence
}

AcqTerms log_expected_improvement(double mean, double var, double best) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v), z = (best - mean) / sd;
  const LogH h = log_h_terms(z);
  const double d_var = var < kMinVariance ? 0.0 : normal_pdf_over_h(z, h.slope) / (2.0 * v);  // d/dsd / (2 sd)
  return {std::log(sd) + h.value, -h.slope / sd, d_var};
}

AcqTerms log_probability_of_improvement(double mean, double var, double best) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v), z = (best - mean) / sd;
  const double g = d_log_normal_cdf(z);
  return {log_normal_cdf(z), -g / sd, var < kMinVariance ? 0.0 : -g * z / (2.0 * v)};
}

AcqTerms upper_confidence_bound(double mean, double var, double beta) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v), rb = std::sqrt(beta);
  return {-mean + rb * sd, -1.0, var < kMinVariance ? 0.0 : rb / (2.0 * sd)};
}

double gp_ucb_beta(std::size_t t, std::size_t d, double delta, double scale) {
  const double pi = boost::math::constants::pi<double>();
  const double tt = static_cast<double>(std::max<std::size_t>(t, 1));
  return scale * 2.0 * std::log(static_cast<double>(std::max<std::size_t>(d, 1)) * tt * tt * pi * pi / (6.0 * delta));
}

Eigen::RowVectorXd chain_gradient(const AcqTerms& terms, const Eigen::RowVectorXd& mean_gradient,
                                  const Eigen::RowVectorXd& var_gradient) {
  return terms.d_mean * mean_gradient + terms.d_var * var_gradient;
}

std::string to_string(AcquisitionKind kind) {
  switch (kind) {
    case AcquisitionKind::LogEI: return "log_ei";
    case AcquisitionKind::EI: return "ei";
    case AcquisitionKind::LogPI: return "log_pi";
    case AcquisitionKind::UCB: return "ucb";
    case AcquisitionKind::Thompson: return "thompson";
    case AcquisitionKind::NoisyEI: return "noisy_ei";
    case AcquisitionKind::LogNEI: break;
  }
  return "log_nei";
}

AcquisitionKind parse_acquisition_kind(const std::string& name) {
  for (auto k : {AcquisitionKind::LogEI, AcquisitionKind::EI, AcquisitionKind::LogPI, AcquisitionKind::UCB,
                 AcquisitionKind::Thompson, AcquisitionKind::NoisyEI, AcquisitionKind::LogNEI})
    if (to_string(k) == name) return k;
  throw std::invalid_argument("unknown acquisition \"" + name +
                              "\", expected one of log_ei, ei, log_pi, ucb, thompson, noisy_ei, log_nei");
}

AcqTerms acquisition_terms(AcquisitionKind kind, double mean, double var, double best, double beta) {
  switch (kind) {
    case AcquisitionKind::LogEI:
    case AcquisitionKind::NoisyEI:
    case AcquisitionKind::LogNEI: return log_expected_improvement(mean, var, best);
    case AcquisitionKind::EI: return expected_improvement(mean, var, best);
    case AcquisitionKind::LogPI: return log_probability_of_improvement(mean, var, best);
    case AcquisitionKind::UCB: return upper_confidence_bound(mean, var, beta);
    case AcquisitionKind::Thompson: break;
  }
  throw std::invalid_argument("acquisition_terms: Thompson sampling has no closed form; use the candidate search");
}

}  // namespace gpbo::bo
