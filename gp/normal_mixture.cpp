#include "gpbo/gp/normal_mixture.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/tools/roots.hpp>

namespace gpbo {
namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Standard normal p-quantile.
double normal_quantile(double p) { return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p); }

}  // namespace

double mixture_cdf(const std::vector<Prediction>& parts, Eigen::Index row, double x) {
  if (parts.empty()) throw std::invalid_argument("mixture_cdf: no parts");
  double sum = 0.0;
  for (const auto& part : parts) {
    const double m = part.mean(row), sd = std::sqrt(std::max(part.variance(row), 0.0));
    sum += sd > 0.0 ? normal_cdf((x - m) / sd) : (x >= m ? 1.0 : 0.0);
  }
  return sum / static_cast<double>(parts.size());
}

double mixture_quantile(const std::vector<Prediction>& parts, Eigen::Index row, double p) {
  if (parts.empty()) throw std::invalid_argument("mixture_quantile: no parts");
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("mixture_quantile: p must be in (0, 1)");
  const double z = normal_quantile(p);
  const auto own_quantile = [&](const Prediction& part) {
    return part.mean(row) + z * std::sqrt(std::max(part.variance(row), 0.0));
  };
  if (parts.size() == 1) return own_quantile(parts.front());
  // Every part's CDF is <= p at the smallest own quantile and >= p at the largest, so the
  // average crosses p between them.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& part : parts) {
    lo = std::min(lo, own_quantile(part));
    hi = std::max(hi, own_quantile(part));
  }
  if (!(hi > lo)) return lo;
  const auto f = [&](double x) { return mixture_cdf(parts, row, x) - p; };
  const double f_lo = f(lo), f_hi = f(hi);
  if (f_lo >= 0.0) return lo;
  if (f_hi <= 0.0) return hi;
  std::uintmax_t iterations = 200;
  const auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, f_lo, f_hi,
                                                        boost::math::tools::eps_tolerance<double>(50), iterations);
  return 0.5 * (a + b);
}

}  // namespace gpbo
