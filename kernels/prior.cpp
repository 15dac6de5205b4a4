#include "gpbo/kernels/prior.hpp"

#include <array>
#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/cauchy_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "gpbo/core/math_policy.hpp"
#include "gpbo/core/text_list.hpp"

namespace gpbo {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

void require_positive(double v, const char* what, const char* family) {
  if (!(v > 0.0) || !std::isfinite(v)) {
    throw std::invalid_argument(std::string(family) + " prior: " + what + " must be positive and finite, got " +
                                std::to_string(v));
  }
}

// log(1 + exp(x)) without overflow.
double softplus(double x) { return x > 30.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

// Shortest decimal form that reads back to the same double.
std::string format_number(double v) {
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

struct FamilyInfo {
  const char* name;
  Prior::Family family;
  int arity;
};

constexpr std::array<FamilyInfo, 6> kFamilies{{{"lognormal", Prior::Family::LogNormal, 2},
                                                {"gamma", Prior::Family::Gamma, 2},
                                                {"invgamma", Prior::Family::InverseGamma, 2},
                                                {"halfnormal", Prior::Family::HalfNormal, 1},
                                                {"halfcauchy", Prior::Family::HalfCauchy, 1},
                                                {"loguniform", Prior::Family::LogUniform, 2}}};

std::string known_families() {
  return join_text(kFamilies, [](const auto& f) { return std::string(f.name) + (f.arity == 1 ? "(s)" : "(a, b)"); });
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\n\r");
  return s.substr(b, e - b + 1);
}

double parse_number(const std::string& text, const std::string& whole) {
  const std::string t = trim(text);
  double v = 0.0;
  const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || res.ec != std::errc() || res.ptr != t.data() + t.size()) {
    throw std::invalid_argument("prior '" + whole + "': expected a number, got '" + t + "'");
  }
  return v;
}

}  // namespace

Prior Prior::log_normal(double mu, double sigma) {
  if (!std::isfinite(mu)) throw std::invalid_argument("lognormal prior: mu must be finite");
  require_positive(sigma, "sigma", "lognormal");
  return {Family::LogNormal, mu, sigma};
}
Prior Prior::gamma(double shape, double rate) {
  require_positive(shape, "shape", "gamma");
  require_positive(rate, "rate", "gamma");
  return {Family::Gamma, shape, rate};
}
Prior Prior::inverse_gamma(double shape, double scale) {
  require_positive(shape, "shape", "invgamma");
  require_positive(scale, "scale", "invgamma");
  return {Family::InverseGamma, shape, scale};
}
Prior Prior::half_normal(double scale) {
  require_positive(scale, "scale", "halfnormal");
  return {Family::HalfNormal, scale, 0.0};
}
Prior Prior::half_cauchy(double scale) {
  require_positive(scale, "scale", "halfcauchy");
  return {Family::HalfCauchy, scale, 0.0};
}
Prior Prior::log_uniform(double lo, double hi) {
  require_positive(lo, "lo", "loguniform");
  require_positive(hi, "hi", "loguniform");
  if (!(lo < hi)) throw std::invalid_argument("loguniform prior: need lo < hi");
  return {Family::LogUniform, lo, hi};
}

// Closed forms of log p_theta(e^u) + u. Boost 1.74 has no logpdf, and log(pdf) underflows to -inf
// in the tails where an optimizer started far away still needs a finite value and gradient; the
// tests check these against boost::math::pdf.
double Prior::log_density(double u) const {
  const double half_log_2pi = 0.5 * std::log(2.0 * boost::math::constants::pi<double>());
  switch (family_) {
    case Family::LogNormal: {
      const double z = (u - a_) / b_;
      return -0.5 * z * z - std::log(b_) - half_log_2pi;
    }
    case Family::Gamma:
      return a_ * std::log(b_) - boost::math::lgamma(a_, DoublePrecision()) + a_ * u - b_ * std::exp(u);
    case Family::InverseGamma:
      return a_ * std::log(b_) - boost::math::lgamma(a_, DoublePrecision()) - a_ * u - b_ * std::exp(-u);
    case Family::HalfNormal: {
      const double t = std::exp(u) / a_;
      return std::log(2.0) - half_log_2pi - std::log(a_) - 0.5 * t * t + u;
    }
    case Family::HalfCauchy:
      return std::log(2.0 / boost::math::constants::pi<double>()) - std::log(a_) - softplus(2.0 * (u - std::log(a_))) + u;
    case Family::LogUniform: {
      const double lo = std::log(a_), hi = std::log(b_);
      return (u < lo || u > hi) ? kNegInf : -std::log(hi - lo);
    }
  }
  return kNegInf;
}

double Prior::log_density_gradient(double u) const {
  switch (family_) {
    case Family::LogNormal:
      return -(u - a_) / (b_ * b_);
    case Family::Gamma:
      return a_ - b_ * std::exp(u);
    case Family::InverseGamma:
      return -a_ + b_ * std::exp(-u);
    case Family::HalfNormal: {
      const double t = std::exp(u) / a_;
      return 1.0 - t * t;
    }
    case Family::HalfCauchy: {
      // 1 - 2 t^2 / (1 + t^2) with t = e^u / a, written with a logistic to avoid overflow.
      const double s = 2.0 * (u - std::log(a_));
      const double logistic = s > 0 ? 1.0 / (1.0 + std::exp(-s)) : std::exp(s) / (1.0 + std::exp(s));
      return 1.0 - 2.0 * logistic;
    }
    case Family::LogUniform:
      return 0.0;
  }
  return 0.0;
}

double Prior::sample(Rng& rng) const {
  switch (family_) {
    case Family::LogNormal:
      return boost::random::normal_distribution<double>(a_, b_)(rng);
    case Family::Gamma:
      return std::log(boost::random::gamma_distribution<double>(a_, 1.0 / b_)(rng));
    case Family::InverseGamma:
      return -std::log(boost::random::gamma_distribution<double>(a_, 1.0 / b_)(rng));
    case Family::HalfNormal:
      return std::log(std::abs(boost::random::normal_distribution<double>(0.0, a_)(rng)));
    case Family::HalfCauchy:
      return std::log(std::abs(boost::random::cauchy_distribution<double>(0.0, a_)(rng)));
    case Family::LogUniform:
      return boost::random::uniform_real_distribution<double>(std::log(a_), std::log(b_))(rng);
  }
  return 0.0;
}

std::string Prior::to_string() const {
  for (const auto& f : kFamilies) {
    if (f.family == family_) {
      std::string s = std::string(f.name) + "(" + format_number(a_);
      if (f.arity == 2) s += ", " + format_number(b_);
      return s + ")";
    }
  }
  return "";
}

Prior parse_prior(const std::string& text) {
  const auto open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open || !trim(text.substr(close + 1)).empty()) {
    throw std::invalid_argument("prior '" + text + "': expected the form name(args), one of: " + known_families());
  }
  const std::string name = trim(text.substr(0, open));
  std::vector<double> args;
  const std::string inner = text.substr(open + 1, close - open - 1);
  std::size_t start = 0;
  while (true) {
    const auto comma = inner.find(',', start);
    args.push_back(parse_number(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start), text));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const auto& f : kFamilies) {
    if (name != f.name) continue;
    if (static_cast<int>(args.size()) != f.arity) {
      throw std::invalid_argument("prior '" + text + "': " + name + " takes " + std::to_string(f.arity) +
                                  " argument(s), got " + std::to_string(args.size()));
    }
    switch (f.family) {
      case Prior::Family::LogNormal: return Prior::log_normal(args[0], args[1]);
      case Prior::Family::Gamma: return Prior::gamma(args[0], args[1]);
      case Prior::Family::InverseGamma: return Prior::inverse_gamma(args[0], args[1]);
      case Prior::Family::HalfNormal: return Prior::half_normal(args[0]);
      case Prior::Family::HalfCauchy: return Prior::half_cauchy(args[0]);
      case Prior::Family::LogUniform: return Prior::log_uniform(args[0], args[1]);
    }
  }
  throw std::invalid_argument("prior '" + text + "': unknown family '" + name + "'; known: " + known_families());
}

}  // namespace gpbo
