#pragma once
// Static Hamiltonian Monte Carlo: every iteration draws a momentum p ~ N(0, M), integrates L
// leapfrog steps of size eps and accepts the end point with probability min(1, exp(H0 - H1))
// (Duane et al. 1987; Neal 2011). L is either fixed, or T / eps (floored, at least 1 and at most
// 2^max_treedepth so a collapsing step size cannot stall a chain) with the integration time T
// drawn every iteration uniformly from integration_time * [1 - jitter, 1 + jitter]: a fixed T is
// nearly periodic on near-Gaussian targets (T = 2 pi returns a standard normal to its start) and
// then mixes very poorly (Neal 2011, section 5.4.2.2).
//
// Warmup (when options.adapt) is Stan's windowed adaptation, shared with NUTS (adaptation.hpp):
// step-size dual averaging toward adapt_delta on the acceptance probability, and the inverse
// metric (diag or dense) estimated in doubling slow windows, with the step size re-initialized by
// the doubling/halving heuristic after each metric update.
//
// A trajectory whose energy error exceeds max_energy_error is stopped and counted as divergent
// (divergent__ = 1, accept_stat__ = 0, the chain stays put).

#include <string>

#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// The Sampler "hmc". Uses SamplerOptions: warmup, draws, thin, adapt, adapt_delta, metric,
/// stepsize, integration_time, max_treedepth (cap on L), max_energy_error. Reports accept_stat__,
/// stepsize__, int_time__ (L x stepsize: the time integrated), n_leapfrog__, divergent__, energy__;
/// the diagnostics' tally counts the iterations whose L was cut at 2^max_treedepth as saturated.
class StaticHmc : public Sampler {
 public:
  /// fixed_steps > 0: always take that many leapfrog steps (integration_time and jitter are
  /// ignored); 0: L = T / stepsize with T ~ integration_time * uniform(1 - jitter, 1 + jitter).
  /// Throws std::invalid_argument for fixed_steps < 0 or jitter outside [0, 1).
  explicit StaticHmc(int fixed_steps = 0, double time_jitter = 0.5);

  [[nodiscard]] std::string name() const override { return "hmc"; }
  ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                  const IterationCallback& progress = {}) const override;

 private:
  int fixed_steps_;
  double time_jitter_;
};

}  // namespace gpbo::mcmc
