#pragma once
// CmdStan's metric files, so one run's adapted HMC metric can start another: the JSON that
// CmdStan's metric_file reads ({"inv_metric": [...]}) and its save_metric writes
// ({"stepsize": ..., "metric_type": "diag_e", "inv_metric": [...]}). A vector is a diagonal
// inverse metric, an array of rows a dense one; metric_type "unit_e" (a unit-metric run's file,
// its inv_metric [] or ones) is the identity with the file's step size.

#include <Eigen/Core>
#include <optional>
#include <string>

#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::cli {

/// What a metric file holds; `stepsize` only when the file gives one (save_metric's files do).
struct MetricFile {
  mcmc::Metric kind = mcmc::Metric::diag;
  Eigen::MatrixXd inverse;  ///< diag: d x 1; dense: d x d; unit: empty
  Eigen::Index dimension = 0;  ///< d, the parameters it is for (0: not said, a unit_e file's [])
  std::optional<double> stepsize;
};

/// Reads and checks a metric file (shape, numbers, positive / symmetric positive definite);
/// throws UsageError naming the file and the JSON path that is wrong.
MetricFile read_metric_file(const std::string& path);

/// A chain's adapted step size and inverse metric in save_metric's layout (read_metric_file
/// reads it back exactly: nlohmann/json writes the shortest decimal that round-trips).
std::string metric_file_json(const mcmc::ChainResult& chain);

}  // namespace gpbo::cli
