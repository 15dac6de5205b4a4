#pragma once
// Several chains of one sampler in parallel threads. Chain c draws its initial point and all its
// randomness from make_rng(options.sampler.seed, c), so the draws are identical whatever the
// number of threads. Initial points are drawn like Stan's: uniform(-init_radius, init_radius) on
// the unconstrained scale, retried (up to 100 times) until the log density and its gradient are
// finite; or given by the user, one per chain (or one shared by all chains).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// Options of a multi-chain run.
struct ChainOptions {
  SamplerOptions sampler;               ///< per-chain options, including the run's seed
  int chains = 4;
  unsigned threads = 0;                 ///< worker threads (0 = all cores); never changes the draws
  double init_radius = 2.0;             ///< Stan's init: uniform(-r, r) unconstrained; 0: the origin
  std::vector<Eigen::VectorXd> inits;   ///< empty: random; 1: shared; else one per chain
  /// Progress of each chain, called from worker threads: (chain, iteration, total).
  std::function<void(int chain, int iteration, int total)> progress;
};

/// The chains of one run and the names of their columns.
struct MultiChainResult {
  std::string model;                      ///< LogDensity::name()
  std::vector<std::string> output_names;  ///< columns of every chain's draws
  std::vector<ChainResult> chains;        ///< ordered by chain index
  int max_treedepth = 10;                 ///< the run's SamplerOptions::max_treedepth (NUTS saturation)
  bool approximate_gradient = false;      ///< LogDensity::approximate_gradient() of the model
  bool adapted = true;                    ///< adapts(SamplerOptions) of the run: the warmup tuned the step size

  /// Total gradient evaluations over chains (warmup + sampling).
  [[nodiscard]] long long gradient_evaluations() const;
  /// Sum over chains of warmup + sampling seconds (what rstan's get_elapsed_time sums).
  [[nodiscard]] double chain_seconds_sum() const;
  /// Sum over chains of their threads' CPU seconds (insensitive to other load on the machine).
  [[nodiscard]] double chain_cpu_seconds_sum() const;
  /// Divergent sampling iterations over all chains, thinned away or kept.
  [[nodiscard]] long long divergences() const;
  /// Draws of output column j, kept iterations x chains.
  [[nodiscard]] Eigen::MatrixXd column(int j) const;
  /// Throws std::invalid_argument unless every chain has as many kept draws (and lp values) and
  /// columns as the first: column() and summarize() need the iterations x chains rectangle
  /// (chains of different lengths come from combining runs by hand).
  void check_rectangular() const;
};

/// Runs options.chains chains of `sampler` on `model` in parallel. Throws std::invalid_argument
/// for bad options or inits, std::runtime_error when no finite initial point is found.
MultiChainResult run_chains(const LogDensity& model, const Sampler& sampler, const ChainOptions& options);

/// Convenience: run_chains with the sampler named `sampler_name` (see sampler_registry.hpp).
MultiChainResult run_chains(const LogDensity& model, const std::string& sampler_name, const ChainOptions& options);

/// No starting point with a finite log density and gradient was found: the model (or its data)
/// gives -inf or NaN wherever it was tried.
struct InitializationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Stan-style random initial point: uniform(-radius, radius) per coordinate, retried up to
/// `max_tries` times until the log density (and, with need_gradient, its gradient) is finite;
/// throws InitializationError if not. Radius 0 is the origin (CmdStan's init=0), tried once.
Eigen::VectorXd random_initial_point(const LogDensity& model, Rng& rng, double radius = 2.0, int max_tries = 100,
                                     bool need_gradient = true);

}  // namespace gpbo::mcmc
