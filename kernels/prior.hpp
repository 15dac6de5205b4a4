#pragma once
// Priors on positive hyperparameters theta, evaluated on u = log(theta).
// log_density(u) = log p_theta(exp(u)) + u   (the change-of-variables Jacobian is included),
// so MAP fitting and MCMC in log space target the right density.
// Densities come from Boost.Math; sampling is reproducible from an Rng (core/random.hpp).

#include <string>

#include "gpbo/core/random.hpp"

namespace gpbo {

class Prior {
 public:
  enum class Family { LogNormal, Gamma, InverseGamma, HalfNormal, HalfCauchy, LogUniform };

  /// log(theta) ~ Normal(mu, sigma).
  static Prior log_normal(double mu, double sigma);
  /// theta ~ Gamma(shape, rate).
  static Prior gamma(double shape, double rate);
  /// theta ~ InverseGamma(shape, scale).
  static Prior inverse_gamma(double shape, double scale);
  /// theta ~ |Normal(0, scale)|.
  static Prior half_normal(double scale);
  /// theta ~ |Cauchy(0, scale)|.
  static Prior half_cauchy(double scale);
  /// log(theta) ~ Uniform(log lo, log hi).
  static Prior log_uniform(double lo, double hi);

  [[nodiscard]] Family family() const { return family_; }
  [[nodiscard]] double a() const { return a_; }
  [[nodiscard]] double b() const { return b_; }

  /// log density of u = log(theta), Jacobian included; -inf outside the support.
  [[nodiscard]] double log_density(double u) const;
  /// d log_density / du.
  [[nodiscard]] double log_density_gradient(double u) const;
  /// A draw of u = log(theta).
  [[nodiscard]] double sample(Rng& rng) const;
  /// "lognormal(0, 1)", "gamma(2, 0.5)", ... ; parse_prior() reads the same form.
  [[nodiscard]] std::string to_string() const;

 private:
  Prior(Family f, double a, double b) : family_(f), a_(a), b_(b) {}
  Family family_;
  double a_, b_;
};

/// Parses "lognormal(0, 1)", "gamma(2, 0.5)", "invgamma(a, b)", "halfnormal(s)", "halfcauchy(s)",
/// "loguniform(lo, hi)"; throws std::invalid_argument naming what was expected.
Prior parse_prior(const std::string& text);

}  // namespace gpbo
