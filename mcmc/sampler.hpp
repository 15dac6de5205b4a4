#pragma once
// The sampler interface. A Sampler runs ONE chain (warmup, then draws) on a LogDensity from an
// initial unconstrained point with a caller-owned random stream, and returns a ChainResult.
// Samplers are configuration only: run() is const and keeps all per-chain state local, so one
// Sampler object serves several chains running in parallel (see chains.hpp for run_chains).
//
// Conventions
// - draws are the reported values (LogDensity::outputs), one row per kept iteration (after
//   thinning); unconstrained_draws holds the matching unconstrained points.
// - lp__ is the log density at the kept point on the unconstrained scale (Jacobian included),
//   as Stan reports it.
// - Per-iteration sampler diagnostics follow CmdStan's names; a sampler fills only the ones that
//   apply to it and leaves the others empty (size 0). Non-empty ones have one entry per kept row.
// - Times are wall-clock seconds of this chain.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc {

/// The HMC mass-matrix ("metric") family: identity, diagonal, or dense.
enum class Metric { unit, diag, dense };

/// Parses "unit" / "diag" / "dense" (CmdStan's unit_e, diag_e, dense_e also accepted);
/// throws std::invalid_argument otherwise.
Metric parse_metric(const std::string& text);
/// "unit_e", "diag_e" or "dense_e", as CmdStan writes it.
std::string metric_name(Metric metric);

/// Options shared by all samplers. Fields a sampler does not use are ignored by it.
struct SamplerOptions {
  int warmup = 1000;           ///< warmup (adaptation) iterations, returned only with save_warmup
  int draws = 1000;            ///< sampling iterations after warmup (kept rows = ceil(draws / thin))
  int thin = 1;                ///< keep every thin-th sampling iteration
  std::uint64_t seed = 1;      ///< the run's seed (chains use make_rng(seed, chain)); recorded in output
  /// Adapt step size / metric / proposal scale during warmup. With warmup 0 nothing adapts, whatever
  /// this says: the chains run at the given stepsize and inverse_metric (a warm continuation; the
  /// CSV header says "engaged = 0"). gpbo sample asks for --no-adapt then, as CmdStan does.
  bool adapt = true;
  /// Also keep every thin-th warmup iteration (ChainResult::warmup; CmdStan's save_warmup), to see
  /// how the chains found the posterior and how adaptation went. Changes no draw.
  bool save_warmup = false;
  /// HMC family, while `adapt` is on: false keeps the initial metric throughout and learns only
  /// the step size (a warm start from a metric adapted on a nearby posterior needs no slow windows).
  bool adapt_metric = true;

  // Hamiltonian samplers (NUTS, static HMC).
  int max_treedepth = 10;      ///< NUTS: at most 2^max_treedepth leapfrog steps per iteration
  double adapt_delta = 0.8;    ///< target mean acceptance statistic of step-size adaptation
  Metric metric = Metric::diag;
  /// Initial inverse metric, as CmdStan's metric_file gives it; empty = identity. diag: a d x 1
  /// positive column; dense: a d x d symmetric positive-definite matrix; refused with unit.
  /// Adaptation starts from it and replaces it when the first slow window closes (after 75 + 25
  /// iterations of a 1000-iteration warmup); with adapt off it is used throughout.
  Eigen::MatrixXd inverse_metric;
  double stepsize = 1.0;       ///< initial step size (before the heuristic search and adaptation)
  double integration_time = 6.283185307179586;  ///< static HMC: stepsize * steps (Stan: 2*pi)
  double max_energy_error = 1000.0;             ///< divergence when H - H0 exceeds this

  // Other samplers.
  double slice_width = 1.0;    ///< slice: initial bracket width (adapted during warmup if adapt)
  int slice_max_steps = 100;   ///< slice: maximum stepping-out steps per side
  double rwm_target_accept = 0.234;  ///< adaptive random-walk Metropolis: target acceptance rate
  int ensemble_walkers = 0;    ///< ensemble: walkers (0 = 2 * dimension, at least 4)
  double ensemble_stretch = 2.0;     ///< ensemble: stretch-move scale a
};

/// Counts over every sampling iteration of an HMC-family chain, kept or thinned away: a thinned
/// run keeps fewer rows, not fewer problems (CmdStan's CSV loses them; gpbo's summary does not).
class HamiltonianTally {
 public:
  /// One sampling iteration: whether it diverged, whether it saturated max_treedepth (NUTS: its
  /// tree reached that depth; static HMC: its trajectory was cut at 2^max_treedepth leapfrog
  /// steps), and the Hamiltonian at the state it ended in.
  void add(bool divergent, bool treedepth_saturated, double energy);
  [[nodiscard]] long long iterations() const { return iterations_; }
  [[nodiscard]] long long divergences() const { return divergences_; }
  [[nodiscard]] long long treedepth_saturated() const { return saturated_; }
  /// E-BFMI of all the counted energies, as ebfmi() of them in a vector (NaN for fewer than 2).
  [[nodiscard]] double ebfmi() const;

 private:
  long long iterations_ = 0, divergences_ = 0, saturated_ = 0;
  double mean_ = 0.0, m2_ = 0.0, diff2_ = 0.0, last_ = 0.0;  // Welford sums; sum of squared steps
  double unit_ = 1.0;  // the sums' unit of energy, a power of two (add() says why)
};

/// Per-iteration sampler diagnostics, CmdStan's column names in the comments. Empty when not
/// applicable to the sampler.
struct SamplerDiagnostics {
  Eigen::VectorXd accept_stat;  ///< accept_stat__: mean Metropolis acceptance probability
  Eigen::VectorXd stepsize;     ///< stepsize__
  Eigen::VectorXd int_time;     ///< int_time__: static HMC's integration time this iteration (n_leapfrog__ x stepsize__)
  Eigen::VectorXi treedepth;    ///< treedepth__
  Eigen::VectorXi n_leapfrog;   ///< n_leapfrog__: leapfrog steps (= gradient evaluations) this iteration
  Eigen::VectorXi divergent;    ///< divergent__: 1 when the trajectory diverged
  Eigen::VectorXd energy;       ///< energy__: Hamiltonian at the kept state
  HamiltonianTally all;         ///< NUTS and static HMC: every sampling iteration, thinned or not
};

/// The kept warmup iterations of a chain run with SamplerOptions::save_warmup, laid out as the
/// sampling rows of ChainResult (the same diagnostic columns); empty otherwise. No summary or
/// diagnostic uses them: warmup is not a draw from the posterior.
struct WarmupDraws {
  Eigen::MatrixXd draws;           ///< kept warmup iterations x output values
  Eigen::VectorXd lp;              ///< lp__ of each
  SamplerDiagnostics diagnostics;  ///< per row (accept_stat, stepsize, ...); `all` unused
};

/// Everything one chain produced.
struct ChainResult {
  std::string sampler;                 ///< e.g. "nuts", "hmc", "slice"
  int chain = 0;                       ///< 0-based chain index (set by run_chains)
  Eigen::MatrixXd draws;               ///< kept iterations x output values
  Eigen::MatrixXd unconstrained_draws; ///< kept iterations x dimension
  Eigen::VectorXd lp;                  ///< lp__ of each kept row
  SamplerDiagnostics diagnostics;
  WarmupDraws warmup;                  ///< kept warmup iterations (SamplerOptions::save_warmup), else empty
  Eigen::VectorXd initial;             ///< the unconstrained initial point
  long long gradient_evaluations = 0;  ///< calls of log_density_gradient, warmup + sampling
  long long sampling_gradient_evaluations = 0;  ///< the part spent after warmup
  long long density_evaluations = 0;   ///< value-only calls (slice, Metropolis, ensemble)
  long long nonfinite_gradients = 0;   ///< HMC family: gradient calls with a finite value but a non-finite gradient (rejected)
  Eigen::VectorXd first_nonfinite_gradient;  ///< the unconstrained point of the first of them
  double warmup_seconds = 0.0;
  double sampling_seconds = 0.0;
  double cpu_seconds = 0.0;            ///< CPU time of the chain's thread, warmup + sampling (set by run_chains)
  // Adaptation result, for output headers and for warm starts (empty when not applicable).
  double stepsize = 0.0;               ///< adapted step size (HMC family) or proposal scale
  Eigen::MatrixXd inverse_metric;      ///< diag: d x 1 column; dense: d x d; unit/other: empty
  Metric metric = Metric::unit;
};

/// Divergent sampling iterations of a chain: all of them when the sampler tallied them
/// (SamplerDiagnostics::all), else those among its kept rows.
[[nodiscard]] long long divergent_iterations(const ChainResult& chain);

/// Called after every iteration (warmup and sampling, 1-based `iteration` of `total`). May be
/// called from worker threads: implementations must be thread-safe and cheap.
using IterationCallback = std::function<void(int iteration, int total)>;

/// One-chain MCMC algorithm. Implementations: Nuts (nuts.hpp) and the samplers listed by
/// sampler_names() (sampler_registry.hpp).
class Sampler {
 public:
  virtual ~Sampler() = default;

  /// Short lower-case name ("nuts", "hmc", "slice", "ess", "rwm", "ensemble").
  [[nodiscard]] virtual std::string name() const = 0;
  /// Whether run() calls log_density_gradient. Gradient-free samplers (slice, ess, rwm,
  /// ensemble) only call log_density, so models without a gradient can use them.
  [[nodiscard]] virtual bool uses_gradient() const { return true; }

  /// Runs options.warmup + options.draws iterations from `initial` (unconstrained, finite log
  /// density) using only `rng` for randomness. Throws std::invalid_argument for unusable
  /// options or a wrong-sized initial point.
  virtual ChainResult run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                          const SamplerOptions& options, const IterationCallback& progress = {}) const = 0;
};

/// Number of rows a chain keeps: ceil(draws / thin).
int kept_draws(const SamplerOptions& options);
/// Number of warmup rows a chain keeps: ceil(warmup / thin) with save_warmup, else 0.
int kept_warmup_draws(const SamplerOptions& options);

/// Whether the warmup adapts anything: `adapt` on and a warmup to do it in (CmdStan's "adapt engaged").
[[nodiscard]] bool adapts(const SamplerOptions& options);

/// Validates the shared options (non-negative warmup, positive draws/thin, 0 < adapt_delta < 1,
/// ...); throws std::invalid_argument naming the bad field.
void validate(const SamplerOptions& options);

/// What is wrong with `inverse` as the initial inverse metric of a `metric` chain (shape for the
/// kind, finite, positive / symmetric positive definite), or nothing when it is usable or empty.
/// The dimension is checked when a chain starts, against the model's.
[[nodiscard]] std::optional<std::string> inverse_metric_problem(Metric metric, const Eigen::MatrixXd& inverse);

}  // namespace gpbo::mcmc
