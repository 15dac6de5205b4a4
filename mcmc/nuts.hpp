#pragma once
// The No-U-Turn Sampler (NUTS) with multinomial trajectory sampling, as in Stan: the trajectory
// doubles in random directions until the generalized no-U-turn criterion fails (checked across the
// whole tree and across the two merged subtrees), the tree depth reaches max_treedepth, or the
// energy error exceeds max_energy_error (a divergence). The kept state is chosen by biased
// progressive sampling between subtrees and uniform-in-weight sampling within them.
//
// Warmup (when options.adapt): Stan's windowed adaptation — an initial fast window of 75
// iterations, slow windows of 25, 50, 100, ... iterations that estimate the metric (diagonal or
// dense, regularized toward 1e-3 * I with weight 5 / (n + 5)), and a terminal fast window of 50;
// the step size follows dual averaging (target adapt_delta, gamma 0.05, kappa 0.75, t0 10) and is
// re-initialized by the doubling/halving heuristic after each metric update. With fewer than 150
// warmup iterations the windows are scaled down like Stan's (15% / 75% / 10%).

#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// NUTS; name() is "nuts". Uses SamplerOptions: warmup, draws, thin, adapt, max_treedepth,
/// adapt_delta, metric, stepsize, max_energy_error.
class Nuts : public Sampler {
 public:
  [[nodiscard]] std::string name() const override { return "nuts"; }
  ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                  const IterationCallback& progress = {}) const override;
};

}  // namespace gpbo::mcmc
