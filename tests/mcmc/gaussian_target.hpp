#pragma once
// Shared closed-form target for the sampler tests (HMC, slice, elliptical slice, random-walk
// Metropolis, ensemble): a correlated 2-D Gaussian, and a check that a run's means, variances and
// covariance agree with the closed form within 4 Monte Carlo standard errors (MCSE from the
// diagnostics module: sd / sqrt(ESS) of the relevant function of the draws).

#include <catch2/catch.hpp>

#include <cmath>

#include <Eigen/Dense>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::testing {

/// N(mean, cov) with mean (1, -2), standard deviations (1, 3), correlation 0.8.
struct Gaussian2 {
  Eigen::Vector2d mean{1.0, -2.0};
  Eigen::Matrix2d cov;
  Eigen::Matrix2d precision;
  Gaussian2() {
    cov << 1.0, 0.8 * 3.0, 0.8 * 3.0, 9.0;
    precision = cov.inverse();
  }
  /// The log density (up to a constant) with its gradient.
  [[nodiscard]] FunctionLogDensity density() const {
    const Eigen::Vector2d m = mean;
    const Eigen::Matrix2d p = precision;
    return FunctionLogDensity(2, [m, p](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
      const Eigen::VectorXd r = x - m;
      g = -p * r;
      return -0.5 * r.dot(p * r);
    });
  }
};

/// Neal's centered funnel in 10-D, hard on purpose (NUTS diverges there): v ~ normal(0, 3),
/// x_i ~ normal(0, exp(v / 2)), i = 1..9.
inline FunctionLogDensity centered_funnel() {
  return FunctionLogDensity(10, [](const Eigen::VectorXd& t, Eigen::VectorXd& g) {
    const double v = t(0), s2 = std::exp(v);
    const auto x = t.tail(9);
    g.resize(10);
    g(0) = -v / 9.0 - 4.5 + 0.5 * x.squaredNorm() / s2;
    g.tail(9) = -x / s2;
    return -v * v / 18.0 - 4.5 * v - 0.5 * x.squaredNorm() / s2;
  });
}

/// Checks E[x_i], E[(x_i - m_i)^2] and E[(x_1 - m_1)(x_2 - m_2)] of the first two output columns
/// over all chains of `run` against N(mean, cov), each within 4 MCSE; also that each MCSE is
/// small (so the check has power) and R-hat < 1.05. Returns the smaller bulk ESS of the two.
inline double check_against_gaussian(const MultiChainResult& run, const Eigen::Vector2d& mean,
                                     const Eigen::Matrix2d& cov) {
  REQUIRE(run.output_names.size() >= 2);
  const Eigen::MatrixXd x0 = run.column(0), x1 = run.column(1);
  const Eigen::MatrixXd d0 = x0.array() - mean(0), d1 = x1.array() - mean(1);
  struct Check {
    const char* what;
    Eigen::MatrixXd values;
    double expected, scale;
  };
  const Check checks[] = {{"mean x1", x0, mean(0), std::sqrt(cov(0, 0))},
                          {"mean x2", x1, mean(1), std::sqrt(cov(1, 1))},
                          {"var x1", d0.array().square(), cov(0, 0), cov(0, 0)},
                          {"var x2", d1.array().square(), cov(1, 1), cov(1, 1)},
                          {"cov x1 x2", d0.cwiseProduct(d1), cov(0, 1), std::sqrt(cov(0, 0) * cov(1, 1))}};
  for (const auto& c : checks) {
    const double estimate = c.values.mean();
    const double se = mcse_mean(c.values);
    INFO(c.what << ": estimate " << estimate << ", expected " << c.expected << ", mcse " << se << ", ess "
                << ess_mean(c.values));
    CHECK(std::isfinite(se));
    CHECK(std::abs(estimate - c.expected) < 4.0 * se);
    CHECK(se < 0.1 * c.scale);  // the MCSE must be small enough for the check to mean something
  }
  CHECK(rhat(x0) < 1.05);
  CHECK(rhat(x1) < 1.05);
  return std::min(ess_bulk(x0), ess_bulk(x1));
}

/// The same check against the Gaussian2 target.
inline double check_against_gaussian(const MultiChainResult& run, const Gaussian2& g) {
  return check_against_gaussian(run, g.mean, g.cov);
}

/// True when the two runs produced identical draws in every chain.
inline bool identical_draws(const MultiChainResult& a, const MultiChainResult& b) {
  if (a.chains.size() != b.chains.size()) return false;
  for (std::size_t c = 0; c < a.chains.size(); ++c)
    if (a.chains[c].draws != b.chains[c].draws) return false;
  return true;
}

/// The standard normal in d dimensions, with its gradient -x.
inline FunctionLogDensity standard_normal(int d) {
  return FunctionLogDensity(d, [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = -x;
    return -0.5 * x.squaredNorm();
  });
}

}  // namespace gpbo::mcmc::testing
