#pragma once
// Adaptive random-walk Metropolis. Proposal x' = x + N(0, lambda * (2.38^2 / d) * C): C the
// proposal covariance, (2.38^2 / d) the optimal scaling for Gaussian targets (Roberts, Gelman &
// Gilks 1997; Gelman, Roberts & Gilks 1996), lambda a global scale.
//
// Warmup (when options.adapt), in the spirit of Haario, Saksman & Tamminen (2001) with the global
// scale of Andrieu & Thoms (2008, Algorithm 4), on Stan's warmup windows (adaptation.hpp):
//  - C is the covariance of the states of each slow window (75-iteration initial buffer, then
//    windows of 25, 50, 100, ... iterations), regularized toward 1e-3 * I with weight 5 / (n + 5)
//    as Stan does for its metric, and only its diagonal when the window holds fewer than 10 d
//    states; it is replaced at each window end;
//  - log lambda follows Robbins-Monro steps t^-0.6 * (alpha_t - target), target =
//    options.rwm_target_accept (0.234), restarting from lambda = 1 with t = 1 at each window end
//    (the new C already has the right size), and continuing through the terminal buffer.
// Sampling uses the frozen proposal, so the kept chain is a plain Metropolis chain.

#include <string>

#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// The Sampler "rwm". Uses SamplerOptions: warmup, draws, thin, adapt, rwm_target_accept, and
/// stepsize as the initial global scale sqrt(lambda) (C starts at the identity). Reports
/// accept_stat__ (the Metropolis acceptance probability) and stepsize__ (sqrt(lambda));
/// ChainResult::stepsize is the final sqrt(lambda) (inverse_metric stays empty: not an HMC metric).
class RandomWalkMetropolis : public Sampler {
 public:
  [[nodiscard]] std::string name() const override { return "rwm"; }
  [[nodiscard]] bool uses_gradient() const override { return false; }
  ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                  const IterationCallback& progress = {}) const override;
};

}  // namespace gpbo::mcmc
