#pragma once
// Acquisition functions as functions of the GP posterior at one point, with analytic
// derivatives, for a MINIMIZATION problem (smaller objective values are better).
//
// Conventions
// - Inputs: the posterior mean `mean` and variance `var` of the latent f at the point (in the
//   modeled units the optimizer uses, i.e. standardized outputs) and the incumbent `best`.
// - Output: AcqTerms{value, d value/d mean, d value/d var}; larger values are more promising.
//   chain_gradient() turns them into d value/dx given dmean/dx and dvar/dx from the GP.
// - Variances are floored at kMinVariance so a point on top of an observation stays finite.
// - z = (best - mean) / sd is the standardized improvement.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstddef>
#include <string>

namespace gpbo::bo {

/// Floor on the posterior variance seen by the acquisitions.
inline constexpr double kMinVariance = 1e-18;

struct AcqTerms {
  double value = 0.0;
  double d_mean = 0.0;
  double d_var = 0.0;
};

/// log h(z) with h(z) = phi(z) + z Phi(z) (the EI of a unit-variance posterior), finite for
/// every finite z with |z| below 1e154: for z < -1 it uses log h = -z^2/2 - log(2 pi)/2 +
/// log(1 - t m(t)), t = -z, with m the Mills ratio, taking 1 - t m(t) from Laplace's continued
/// fraction for t >= 4 so that nothing cancels or underflows (the approach of Ament et al. 2023,
/// "Unexpected improvements to expected improvement"; relative error near 1e-15).
double log_h(double z);
/// d log h / dz = Phi(z) / h(z), finite for every finite z (about -z far in the left tail).
double d_log_h(double z);
/// log Phi(z), finite for every finite z (log phi(z) + log m(-z) in the left tail).
double log_normal_cdf(double z);
/// d log Phi / dz = phi(z) / Phi(z).
double d_log_normal_cdf(double z);

/// EI(mean, var) = sd h(z). Underflows to 0 far in the tail: use log_expected_improvement.
AcqTerms expected_improvement(double mean, double var, double best);
/// log EI = log sd + log h(z); finite whenever mean, var, best are.
AcqTerms log_expected_improvement(double mean, double var, double best);
/// log PI = log Phi(z).
AcqTerms log_probability_of_improvement(double mean, double var, double best);
/// Negated lower confidence bound: -(mean - sqrt(beta) sd).
AcqTerms upper_confidence_bound(double mean, double var, double beta);

/// GP-UCB schedule (Srinivas et al. 2010): beta_t = scale * 2 log(d t^2 pi^2 / (6 delta)),
/// t = the index of the coming query (observations + 1), d = input dimension (the encoded
/// one's). The paper's finite-domain form with |D| replaced by d: beta grows with log t and log d
/// (the paper's continuous-domain bound grows with d log t and over-explores more; the default
/// scale 0.2 shrinks this one further).
double gp_ucb_beta(std::size_t t, std::size_t d, double delta = 0.1, double scale = 1.0);

/// d value / dx from the terms and the GP's mean and variance gradients (1 x d each).
Eigen::RowVectorXd chain_gradient(const AcqTerms& terms, const Eigen::RowVectorXd& mean_gradient,
                                  const Eigen::RowVectorXd& var_gradient);

/// Which acquisition the optimizer maximizes.
/// LogEI: log expected improvement over the best observed value (default).
/// EI: plain expected improvement. LogPI: log probability of improvement.
/// UCB: negated lower confidence bound with the GP-UCB beta schedule.
/// Thompson: argmin of one joint posterior sample over a candidate set (no gradient).
/// NoisyEI: log-EI over the best posterior mean at the observed points (noisy objectives).
/// LogNEI: log noisy expected improvement (Letham et al. 2019), the expected improvement over the
/// best latent value at the observed points, averaged over their joint posterior
/// (bayesopt/noisy_ei.hpp); the same as LogEI when the model has no noise.
enum class AcquisitionKind { LogEI, EI, LogPI, UCB, Thompson, NoisyEI, LogNEI };

/// "log_ei", "ei", "log_pi", "ucb", "thompson", "noisy_ei", "log_nei" and back (parse throws
/// std::invalid_argument listing the names).
std::string to_string(AcquisitionKind kind);
AcquisitionKind parse_acquisition_kind(const std::string& name);

/// Terms of `kind` (not Thompson) with incumbent `best` and UCB parameter `beta`.
AcqTerms acquisition_terms(AcquisitionKind kind, double mean, double var, double best, double beta);

}  // namespace gpbo::bo
