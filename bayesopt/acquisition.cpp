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
constexpr double kTailSwitch = 30.0;                    // t beyond which the series is used

double erfc(double x) { return boost::math::erfc(x, DoublePrecision()); }

double normal_pdf(double z) { return std::exp(-0.5 * z * z - kHalfLog2Pi); }
double normal_cdf(double z) { return 0.5 * erfc(-z / kSqrt2); }

// q(t) = 1 - t m(t) for t >= 1, m(t) = Phi(-t) / phi(t) the Mills ratio. Near 1/t^2 for large t.
double one_minus_t_mills(double t) {
  if (t <= kTailSwitch) {
    // m(t) = sqrt(pi/2) erfcx(t / sqrt 2); erfc(t / sqrt 2) exp(t^2 / 2) stays representable here.
    const double mills = 0.5 * erfc(t / kSqrt2) * std::exp(0.5 * t * t + kHalfLog2Pi);
    return 1.0 - t * mills;
  }
  // Asymptotic series: 1 - t m(t) = sum_k>=1 (-1)^(k+1) (2k-1)!! / t^(2k); its terms shrink
  // fast for t > 30 (the 12th is below 1e-24 of the first).
  const double inv2 = 1.0 / (t * t);
  double term = inv2, sum = 0.0;
  for (int k = 1; k <= 12; ++k) {
    sum += term;
    term *= -static_cast<double>(2 * k + 1) * inv2;
  }
  return sum;
}

}  // namespace

double log_h(double z) {
  if (z > -1.0) return std::log(normal_pdf(z) + z * normal_cdf(z));
  const double t = -z;
  return -0.5 * t * t - kHalfLog2Pi + std::log(one_minus_t_mills(t));
}

double d_log_h(double z) {
  if (z > -1.0) return normal_cdf(z) / (normal_pdf(z) + z * normal_cdf(z));
  const double t = -z, q = one_minus_t_mills(t);
  return (1.0 - q) / (t * q);  // m(t) / q(t) with m(t) = (1 - q) / t
}

double log_normal_cdf(double z) {
  if (z > 0.0) return std::log1p(-0.5 * erfc(z / kSqrt2));
  if (z > -5.0) return std::log(normal_cdf(z));
  const double t = -z;
  return -0.5 * t * t - kHalfLog2Pi + std::log((1.0 - one_minus_t_mills(t)) / t);
}

double d_log_normal_cdf(double z) {
  if (z > -5.0) return normal_pdf(z) / normal_cdf(z);
  const double t = -z;
  return t / (1.0 - one_minus_t_mills(t));  // 1 / m(t)
}

AcqTerms expected_improvement(double mean, double var, double best) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v), z = (best - mean) / sd;
  const double pdf = normal_pdf(z), cdf = normal_cdf(z);
  return {sd * (pdf + z * cdf), -cdf, pdf / (2.0 * sd)};
}

AcqTerms log_expected_improvement(double mean, double var, double best) {
  const double v = std::max(var, kMinVariance), sd = std::sqrt(v), z = (best - mean) / sd;
  const double g = d_log_h(z);
  const double d_var = var < kMinVariance ? 0.0 : (1.0 - g * z) / (2.0 * v);  // d/dsd / (2 sd)
  return {std::log(sd) + log_h(z), -g / sd, d_var};
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
