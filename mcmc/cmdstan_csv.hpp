#pragma once
// Draws in CmdStan's CSV layout, one file per chain, so ArviZ (from_cmdstan), R's
// rstan::read_stan_csv / cmdstanr and other CmdStan readers load them unchanged:
//   - '#' comment header: model, method = sample, num_samples, num_warmup, thin, adaptation
//     settings, algorithm (engine / metric / max_depth for HMC), chain id, seed;
//   - the column row: lp__, the sampler's diagnostic columns (accept_stat__, stepsize__,
//     int_time__, treedepth__, n_leapfrog__, divergent__, energy__ — those the sampler fills), then the
//     reported values with Stan's names (theta.1, ...);
//   - with SamplerOptions::save_warmup, the kept warmup rows (save_warmup = 1 in the header);
//   - adaptation comments (step size, inverse metric) before the draws;
//   - one row per kept draw (shortest round-trip decimal form);
//   - elapsed-time comments at the end.

#include <iosfwd>
#include <string>
#include <vector>

#include "gpbo/core/durable_file.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// Writes chain `chain` (0-based) of `run` to `out`. `options` are those the run used.
void write_cmdstan_csv(std::ostream& out, const MultiChainResult& run, int chain, const SamplerOptions& options);

/// File of chain `chain` (0-based) for an output path: the path itself for a single chain,
/// else CmdStan's multi-chain naming with _1, _2, ... before the extension (draws_1.csv).
std::string chain_file_path(const std::string& path, int chain, int chains);

/// Where CmdStan's save_metric puts chain `chain`'s adapted metric: chain_file_path with its
/// extension replaced by "_metric.json" (draws_2.csv -> draws_2_metric.json).
std::string chain_metric_path(const std::string& path, int chain, int chains);

/// Writes every chain to its file (chain_file_path), all or none: a file that cannot be written
/// (a full disk) leaves every file as it was, so no reader globs new chains beside old ones.
/// Returns the paths written. Throws gpbo::FileError (a std::runtime_error) naming the file.
std::vector<std::string> write_cmdstan_csv_files(const std::string& path, const MultiChainResult& run,
                                                 const SamplerOptions& options);

/// As write_cmdstan_csv_files, with the files staged in `files` (committed with other files of
/// the run, e.g. the metric files); returns their paths.
std::vector<std::string> stage_cmdstan_csv_files(AtomicFileSet& files, const std::string& path, const MultiChainResult& run,
                                                 const SamplerOptions& options);

/// Column names of the CSV row of `chain`: lp__, the sampler's filled diagnostics, the outputs.
std::vector<std::string> cmdstan_columns(const MultiChainResult& run, int chain);

}  // namespace gpbo::mcmc
