#pragma once
// Bookkeeping shared by the one-chain samplers other than NUTS (static HMC, slice, elliptical
// slice, random-walk Metropolis, ensemble): allocates a ChainResult for the kept rows, records a
// kept state (outputs, unconstrained point, lp__ and the diagnostics the sampler has), and times
// warmup and sampling. It owns no randomness and no algorithm.

#include <chrono>
#include <string>

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
};

/// Per-iteration values for the diagnostics selected in DiagnosticColumns.
struct IterationInfo {
  double accept_stat = 0.0;
  double stepsize = 0.0;
  double int_time = 0.0;
  int n_leapfrog = 0;
  bool divergent = false;
  double energy = 0.0;
};

/// Fills one ChainResult. Usage: construct before warmup, call begin_sampling() at the first
/// sampling iteration, offer every sampling iteration to record(), then finish().
class ChainRecorder {
 public:
  ChainRecorder(const LogDensity& model, const SamplerOptions& options, std::string sampler,
                const Eigen::VectorXd& initial, DiagnosticColumns columns, int rows_per_iteration = 1);

  /// Marks the end of warmup (for the timing and the sampling gradient count).
  void begin_sampling(long long gradient_evaluations_so_far);
  /// True when sampling iteration `s` (0-based, after warmup) is kept under options.thin.
  [[nodiscard]] bool kept(int s) const { return s % thin_ == 0; }
  /// Stores state q (log density lp) as kept row `row`.
  void record(int row, const Eigen::VectorXd& q, double lp, const IterationInfo& info = {});
  /// Completes timings and evaluation counts and hands over the result.
  ChainResult finish(long long gradient_evaluations, long long density_evaluations);

  /// The result under construction (for sampler-specific fields such as stepsize, metric).
  ChainResult& result() { return result_; }

 private:
  using Clock = std::chrono::steady_clock;
  const LogDensity& model_;
  int thin_;
  DiagnosticColumns columns_;
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
