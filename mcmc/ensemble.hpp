#pragma once
// The affine-invariant ensemble sampler of Goodman & Weare (2010) with the stretch move, in the
// parallel two-halves form popularized by emcee (Foreman-Mackey et al. 2013): the walkers are
// split into two halves; each walker k of one half moves to Y = X_j + z (X_k - X_j) with X_j a
// uniformly chosen walker of the other half and z ~ g(z) ∝ 1/sqrt(z) on [1/a, a], accepted with
// probability min(1, z^(d-1) p(Y) / p(X_k)); then the other half moves against the updated first
// half. One iteration updates every walker once. Gradient-free and invariant to affine maps of
// the parameters, so no adaptation is needed: warmup iterations are simply discarded.
//
// How an ensemble is reported (one Sampler::run = one ensemble = one "chain" of run_chains):
//  - ChainResult rows are WALKER-MAJOR blocks: rows [w * K, (w + 1) * K) are the K kept states of
//    walker w in iteration order (K = kept_draws(options)), so a column is W time series laid end
//    to end. The diagnostics (autocovariance-based ESS, split R-hat) then see W stationary
//    segments with the walkers' own autocorrelation, as if the walkers were sub-chains; the few
//    segment boundaries perturb the autocovariances only slightly. Independent ensembles (the
//    chains of run_chains) give the between-chain comparison for R-hat.
//  - split_walkers() turns each ensemble into one chain per walker (iterations x walkers), the
//    layout ArviZ uses for emcee output. Either way the walkers of one ensemble are not
//    independent, so treat R-hat across walkers of ONE ensemble with care.
//  - accept_stat__ holds each walker's acceptance probability of that iteration; no Hamiltonian
//    diagnostics. ChainResult::stepsize is the stretch scale a.
//
// Walker initialization: walker 0 is the given initial point; the others are initial + u with
// u ~ uniform(-0.5, 0.5)^d, redrawn (up to 100 times each) until the log density is finite.

#include <string>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// The Sampler "ensemble". Uses SamplerOptions: warmup, draws, thin, ensemble_walkers (at least
/// max(4, 2d), rounded up to even; 0 = max(4, 2d)), ensemble_stretch (a > 1).
class EnsembleSampler : public Sampler {
 public:
  [[nodiscard]] std::string name() const override { return "ensemble"; }
  [[nodiscard]] bool uses_gradient() const override { return false; }
  ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                  const IterationCallback& progress = {}) const override;
};

/// The number of walkers the ensemble uses for a model of dimension d under `options`: the
/// option rounded up to even, or max(4, 2d) when it is 0. Throws std::invalid_argument for an
/// explicit count below max(4, 2d), which would keep the ensemble in a subspace.
int ensemble_walkers(const SamplerOptions& options, int dimension);

/// One chain per walker: every ChainResult of `run` (walker-major rows, `walkers` blocks) becomes
/// `walkers` chains, numbered ensemble * walkers + walker, with lp__ and accept_stat__ split
/// alike; each ensemble's evaluation counts and times go to its walker 0 so run totals are
/// unchanged. Throws std::invalid_argument when a chain's rows are not a multiple of `walkers`.
MultiChainResult split_walkers(const MultiChainResult& run, int walkers);

}  // namespace gpbo::mcmc
