#pragma once
// Bookkeeping shared by the one-chain samplers (NUTS, static HMC, slice, elliptical slice,
// random-walk Metropolis, ensemble): allocates a ChainResult for the kept rows (and the kept
// warmup rows with save_warmup), records a kept state (outputs, unconstrained point, lp__ and the
// diagnostics the sampler has), and times warmup and sampling. It owns no randomness and no
// algorithm, so what it keeps never changes a draw.

#include <chrono>
#include <string>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// Which CmdStan per-iteration diagnostics a sampler reports (the others stay empty).
struct DiagnosticColumns {
  bool accept_stat = false;
  bool stepsize = false;
  bool hamiltonian = false;  ///< n_leapfrog__, divergent__, energy__
  bool int_time = false;     ///< int_time__ (static HMC)
  bool treedepth = false;    ///< treedepth__ (NUTS)
};

/// Per-iteration values for the diagnostics selected in DiagnosticColumns.
struct IterationInfo {
  double accept_stat = 0.0;
  double stepsize = 0.0;
  double int_time = 0.0;
  int n_leapfrog = 0;
  bool divergent = false;
  double energy = 0.0;
  int treedepth = 0;
};

/// Fills one ChainResult. Usage: construct before warmup, offer every warmup iteration that
/// kept_warmup() keeps to record_warmup(), call begin_sampling() at the first sampling iteration,
/// offer every sampling iteration that kept() keeps to record(), then finish().
class ChainRecorder {
 public:
  ChainRecorder(const LogDensity& model, const SamplerOptions& options, std::string sampler,
                const Eigen::VectorXd& initial, DiagnosticColumns columns, int rows_per_iteration = 1);

  /// Marks the end of warmup (for the timing and the sampling gradient count).
  void begin_sampling(long long gradient_evaluations_so_far);
  /// True when sampling iteration `s` (0-based, after warmup) is kept under options.thin.
  [[nodiscard]] bool kept(int s) const { return s % thin_ == 0; }
  /// True when warmup iteration `it` (0-based) is kept: with save_warmup, every thin-th.
  [[nodiscard]] bool kept_warmup(int it) const { return warmup_rows_ > 0 && it % thin_ == 0; }
  /// Kept warmup rows of one walker (of the chain, for a one-walker sampler).
  [[nodiscard]] int warmup_rows() const { return warmup_rows_; }
  /// Stores state q (log density lp) as kept row `row`.
  void record(int row, const Eigen::VectorXd& q, double lp, const IterationInfo& info = {});
  /// Stores state q (log density lp) as kept warmup row `row` (ChainResult::warmup).
  void record_warmup(int row, const Eigen::VectorXd& q, double lp, const IterationInfo& info = {});
  /// Completes timings and evaluation counts and hands over the result.
  ChainResult finish(long long gradient_evaluations, long long density_evaluations);

  /// The result under construction (for sampler-specific fields such as stepsize, metric).
  ChainResult& result() { return result_; }

 private:
  using Clock = std::chrono::steady_clock;
  const LogDensity& model_;
  int thin_;
  DiagnosticColumns columns_;
  int warmup_rows_;
  ChainResult result_;
  Eigen::VectorXd out_;
  Clock::time_point start_, sampling_start_;
  bool sampling_ = false;
  long long warmup_gradients_ = 0;
};

/// Throws std::invalid_argument unless `initial` has the model's dimension and a finite log
/// density; returns that log density. `who` names the sampler in the message.
double checked_initial_log_density(const LogDensity& model, const Eigen::VectorXd& initial, const std::string& who);
/// Throws std::invalid_argument naming `who` and the model when it has no parameter.
void check_dimension(const LogDensity& model, const std::string& who);

}  // namespace gpbo::mcmc
