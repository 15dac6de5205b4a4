#pragma once
// Slice sampling (Neal 2003, "Slice sampling", Annals of Statistics): univariate updates by
// stepping out and shrinkage, applied to each coordinate in turn (one iteration = one sweep over
// all coordinates). Needs log density values only, never gradients, and has no step size to get
// wrong: a bad bracket width costs evaluations, not correctness.
//
// Width adaptation (warmup only, so the sampling phase is a fixed Markov kernel): the width of
// coordinate i becomes the running mean of 2 |x_new - x_old| over warmup sweeps (about 2.3
// posterior standard deviations for a Gaussian), started from the given widths.
//
// Two entry points:
//  - SliceSampler, the Sampler used by run_chains and `gpbo sample --sampler slice`;
//  - slice_sample(), a direct call returning draws, for the GP's fully-Bayesian hyperparameters:
//    warm-start it with the last draw and the adapted widths of the previous call.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <functional>
#include <string>

#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// Settings of a direct slice_sample() call.
struct SliceOptions {
  int warmup = 100;          ///< sweeps that adapt the widths (not returned)
  int draws = 100;           ///< sweeps after warmup
  int thin = 1;              ///< keep every thin-th sweep
  double width = 1.0;        ///< initial bracket width of every coordinate (used when widths is empty)
  Eigen::VectorXd widths;    ///< per-coordinate initial widths (e.g. from a previous call), or empty
  int max_steps = 100;       ///< stepping-out limit m: at most m - 1 expansions in total per update
  bool adapt = true;         ///< adapt the widths during warmup
};

/// Result of slice_sample().
struct SliceDraws {
  Eigen::MatrixXd draws;     ///< kept sweeps x dimension (unconstrained points)
  Eigen::VectorXd lp;        ///< log density of each kept row
  Eigen::VectorXd widths;    ///< the widths after warmup (pass back as SliceOptions::widths)
  Eigen::VectorXd last;      ///< the final state (for a warm start)
  long long density_evaluations = 0;
};

/// Coordinate-wise slice sampling of `model` from `initial` (finite log density) with `rng`.
/// Throws std::invalid_argument for bad options, a wrong-sized or infeasible initial point.
SliceDraws slice_sample(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                        const SliceOptions& options = {});

/// Called after every sweep of slice_sample (warmup and draws: 0-based `sweep`) with the state
/// and its log density.
using SliceSweepObserver = std::function<void(int sweep, const Eigen::VectorXd& state, double lp)>;
/// slice_sample, showing every sweep to `observer` (e.g. to keep warmup states).
SliceDraws slice_sample(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SliceOptions& options,
                        const SliceSweepObserver& observer);

/// The same for a value-only log density (e.g. a GP's log marginal likelihood plus log prior of
/// its log hyperparameters): no LogDensity subclass or gradient needed. NaN counts as -infinity.
SliceDraws slice_sample(const std::function<double(const Eigen::VectorXd&)>& log_density,
                        const Eigen::VectorXd& initial, Rng& rng, const SliceOptions& options = {});

/// The Sampler "slice". Uses SamplerOptions: warmup, draws, thin, adapt, slice_width,
/// slice_max_steps. Reports no CmdStan sampler diagnostics (every update is accepted);
/// ChainResult::stepsize is the mean adapted width.
class SliceSampler : public Sampler {
 public:
  [[nodiscard]] std::string name() const override { return "slice"; }
  [[nodiscard]] bool uses_gradient() const override { return false; }
  ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                  const IterationCallback& progress = {}) const override;
};

}  // namespace gpbo::mcmc
