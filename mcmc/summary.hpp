#pragma once
// A posterior summary table like CmdStan's stansummary: per quantity the mean, its Monte Carlo
// standard error, standard deviation, MAD, 5% / 50% / 95% quantiles, bulk and tail ESS and R-hat
// (definitions in diagnostics.hpp), lp__ first; plus the sampler's health and plain-language
// warnings (R-hat > 1.01, ESS < 100 per chain, divergences, tree-depth saturation, E-BFMI < 0.3).

#include <string>
#include <vector>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"

namespace gpbo::mcmc {

/// One row of the table; the Monte Carlo standard errors of the sd and quantiles are not printed
/// by format_summary (as stansummary's), but are here for a program to judge its estimates by.
struct SummaryRow {
  std::string name;
  double mean = 0, mcse = 0, sd = 0, mad = 0, q5 = 0, q50 = 0, q95 = 0, ess_bulk = 0, ess_tail = 0, rhat = 0;
  double mcse_sd = 0, mcse_q5 = 0, mcse_q50 = 0, mcse_q95 = 0;  ///< posterior's mcse_sd, mcse_quantile
  long non_finite = 0;  ///< draws that are NaN or infinite (their statistics are then NaN)
};

/// The table plus run-level information.
struct Summary {
  std::string model, sampler;
  int chains = 0, draws_per_chain = 0;
  double warmup_seconds = 0, sampling_seconds = 0;  ///< summed over chains
  long long gradient_evaluations = 0;
  long long density_evaluations = 0;                  ///< value-only evaluations (slice, RWM, ...)
  bool approximate_gradient = false;                  ///< the model's gradient is a finite-difference one
  bool adapted = true;                                ///< the warmup adapted the step size (MultiChainResult::adapted)
  std::vector<SummaryRow> rows;                       ///< lp__ then the reported values
  SamplerHealth health;
  std::vector<std::string> warnings;
};

/// Summarizes a run (all chains must have the same number of kept draws); tree-depth
/// saturation is counted against the run's own max_treedepth.
Summary summarize(const MultiChainResult& run);

/// Summary statistics of one quantity's draws (iterations x chains).
SummaryRow summarize_draws(const std::string& name, const Eigen::MatrixXd& draws);

/// The plain-language warnings on a summary's rows and health (what summarize() stores in
/// Summary::warnings): divergences, tree depth, E-BFMI, stuck chains, R-hat and ESS.
std::vector<std::string> health_warnings(const Summary& summary);

/// The table as text, stansummary style, with the warnings at the end.
std::string format_summary(const Summary& summary);

/// The rows as CSV for scripts (as stansummary's --csv_filename): name, Mean, MCSE, StdDev, MAD,
/// 5%, 50%, 95%, ESS_bulk, ESS_tail, R_hat, then MCSE_SD, MCSE_5%, MCSE_50%, MCSE_95% and
/// non_finite; numbers to the last digit (shortest round-trip form), NaN and infinities as "NaN"
/// and "Inf" (as R and pandas read them).
std::string format_summary_csv(const Summary& summary);

}  // namespace gpbo::mcmc
